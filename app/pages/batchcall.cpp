// BatchCall: parts are sent one after another from the reply of the one
// before, never from a loop, so the event loop runs between them.
// Trust level: local admin's input, sent to the local engine.
#include "pages/batchcall.h"

#include <QJsonArray>

#include "adminclient/adminclient.h"

namespace mailroom::console
{

BatchCall::BatchCall(adminclient::AdminClient &client,
    QString method,
    QString idsKey,
    QStringList ids,
    QJsonObject params,
    qsizetype part,
    QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_method(std::move(method))
    , m_idsKey(std::move(idsKey))
    , m_ids(std::move(ids))
    , m_params(std::move(params))
    , m_part(part > 0 ? part : 1)
{
    m_result.total = m_ids.size();
}

BatchCall::~BatchCall()
{
    if (m_call)
        m_client.cancel(m_call);
}

void BatchCall::start()
{
    Q_EMIT progress(0, m_result.total);
    sendNext();
}

void BatchCall::cancel()
{
    if (m_finished || m_result.cancelled)
        return;
    m_result.cancelled = true;
    if (!m_call)
        finish();
}

void BatchCall::sendNext()
{
    if (m_finished)
        return;
    if (m_result.cancelled || m_result.done >= m_ids.size())
        return finish();
    const QStringList part = m_ids.mid(m_result.done, m_part);
    QJsonObject params = m_params;
    params.insert(m_idsKey, QJsonArray::fromStringList(part));
    m_call = m_client.call(m_method, params, [this, size = part.size()](const adminclient::Reply &r) {
        m_call = 0;
        if (!r.ok) {
            m_result.error = r.errorMessage;
            return finish();
        }
        const QJsonObject o = r.object();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (it.value().isDouble())
                m_result.counts[it.key()] += it.value().toInteger();
        }
        for (const QJsonValue &v : o.value(QStringLiteral("missing")).toArray())
            m_result.missing << v.toString();
        m_result.done += size;
        Q_EMIT progress(m_result.done, m_result.total);
        sendNext();
    });
}

void BatchCall::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(m_result);
}

} // namespace mailroom::console
