#include "ctl/ctlcontext.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QTimer>

namespace mailroom::ctl
{

namespace
{
constexpr int kTimeoutMs = 120000;
constexpr int kPage = 1000;
} // namespace

CtlContext::CtlContext(QString socketPath, bool json)
    : m_client(QStringLiteral("mailroomctl " MAILROOM_VERSION))
    , m_socketPath(std::move(socketPath))
    , m_json(json)
{
}

QString CtlContext::arg(int i, const char *what) const
{
    if (i >= args.size())
        throw CtlError { exitcode::Usage, QStringLiteral("missing %1").arg(QLatin1String(what)) };
    return args.at(i);
}

void CtlContext::connect()
{
    QEventLoop loop;
    QString failure;
    bool finished = false; // the socket may fail inside connectToEngine(), before the loop runs
    auto c1 = QObject::connect(&m_client, &adminclient::AdminClient::connected, &loop, [&] {
        finished = true;
        loop.quit();
    });
    auto c2
        = QObject::connect(&m_client, &adminclient::AdminClient::connectionFailed, &loop, [&](const QString &message) {
              failure = message;
              finished = true;
              loop.quit();
          });
    QTimer::singleShot(kTimeoutMs, &loop, [&] {
        failure = QStringLiteral("The engine did not answer within %1 seconds.").arg(kTimeoutMs / 1000);
        loop.quit();
    });
    m_client.connectToEngine(m_socketPath);
    if (!finished)
        loop.exec();
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    if (!m_client.isConnected())
        throw CtlError { exitcode::Unavailable, failure.isEmpty() ? m_client.lastError() : failure };
}

QJsonObject CtlContext::call(const QString &method, const QJsonObject &params)
{
    QEventLoop loop;
    adminclient::Reply reply;
    bool done = false;
    m_client.call(method, params, [&](const adminclient::Reply &r) {
        reply = r;
        done = true;
        loop.quit();
    });
    QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    if (!done)
        throw CtlError { exitcode::Unavailable, QStringLiteral("The engine did not answer %1 in time.").arg(method) };
    if (!reply.ok)
        throw CtlError { reply.errorCode == u"unavailable" || reply.errorCode == u"version_mismatch"
                ? exitcode::Unavailable
                : exitcode::Failed,
            reply.errorMessage };
    return reply.object();
}

QJsonArray CtlContext::listAll(const QString &method, QJsonObject params)
{
    QJsonArray all;
    qint64 offset = 0;
    for (;;) {
        params.insert(QStringLiteral("offset"), offset);
        params.insert(QStringLiteral("limit"), kPage);
        const QJsonObject page = call(method, params);
        const QJsonArray items = page.value(QStringLiteral("items")).toArray();
        for (const QJsonValue &v : items)
            all.append(v);
        offset += items.size();
        if (items.isEmpty() || offset >= page.value(QStringLiteral("total")).toInteger())
            return all;
    }
}

} // namespace mailroom::ctl
