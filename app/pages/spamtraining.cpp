// SpamTraining: the order of work is stored messages (per user and mailbox),
// then a message dragged from a mail program, then files. At most one
// request is open at a time and at most one part is read ahead, so memory
// stays near two parts (about 8 MiB) however large the drop is.
// Trust level: the admin's files, sent to the local engine.
#include "pages/spamtraining.h"

#include <QDir>
#include <QJsonArray>
#include <QLocale>
#include <QtConcurrentRun>

#include "adminclient/adminclient.h"

namespace mailroom::console
{

namespace
{
constexpr qsizetype kStoredPart = 200; // UIDs per request
constexpr qsizetype kMaxFiles = 100000; // per drop
const widgets::MessagePartLimits kLimits; // 200 messages or 4 MiB of base64, files up to 10 MiB

QString messages(qint64 n)
{
    return n == 1 ? SpamTraining::tr("1 message") : SpamTraining::tr("%1 messages").arg(QLocale().toString(n));
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString problemsText(const QList<widgets::FileProblem> &problems)
{
    constexpr qsizetype kNamed = 3;
    QStringList named;
    for (qsizetype i = 0; i < problems.size() && i < kNamed; ++i)
        named << QDir::toNativeSeparators(problems.at(i).path) + u' ' + problems.at(i).reason;
    QString text = problems.size() == 1
        ? SpamTraining::tr("1 file was left out: %1.").arg(named.first())
        : SpamTraining::tr("%1 files were left out: %2").arg(number(problems.size()), named.join(QStringLiteral("; ")));
    if (problems.size() > kNamed)
        text += SpamTraining::tr("; and %1 more.").arg(number(problems.size() - kNamed));
    else if (problems.size() > 1)
        text += u'.';
    return text + u' '
        + SpamTraining::tr("Check that those are mail messages (.eml) you may read, then drop them again.");
}
} // namespace

QString describeTraining(const TrainingResult &r)
{
    const QString cls = r.spam ? SpamTraining::tr("spam") : SpamTraining::tr("not spam");
    const QString other = r.spam ? SpamTraining::tr("not spam") : SpamTraining::tr("spam");
    const QString counts
        = SpamTraining::tr("Learned %1 as %2: %3 new, %4 moved from %5, %6 known already.")
              .arg(messages(r.answered()), cls, number(r.learned), number(r.moved), other, number(r.unchanged));
    QStringList parts;
    if (!r.error.isEmpty()) {
        parts << SpamTraining::tr("Training stopped: %1").arg(r.error);
        if (r.answered() > 0)
            parts << SpamTraining::tr("Before that:") << counts;
        else
            parts << SpamTraining::tr("Nothing of this drop was learned.");
    } else if (r.cancelled && r.done == 0) {
        parts << SpamTraining::tr("Stopped as you asked; nothing was learned.");
    } else if (r.cancelled) {
        parts
            << SpamTraining::tr("Stopped as you asked, after %1 of %2 messages.").arg(number(r.done), number(r.total));
        parts << counts;
    } else if (r.answered() > 0 || r.leftOut.isEmpty()) {
        parts << counts;
    } else {
        parts << SpamTraining::tr("Nothing was learned.");
    }
    if (!r.leftOut.isEmpty())
        parts << problemsText(r.leftOut);
    return parts.join(u' ');
}

SpamTraining::SpamTraining(adminclient::AdminClient &client, bool spam, widgets::MessageDrop drop, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_drop(std::move(drop))
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{
    m_result.spam = spam;
    connect(&m_listing, &QFutureWatcher<widgets::MessageFileList>::finished, this, &SpamTraining::filesListed);
    connect(&m_reading, &QFutureWatcher<widgets::MessageFilePart>::finished, this, &SpamTraining::partRead);
}

SpamTraining::~SpamTraining()
{
    // Workers may still run: they hold their own copies and stop soon.
    m_cancel->store(true);
    if (m_call)
        m_client.cancel(m_call);
}

void SpamTraining::start()
{
    m_result.total = m_drop.knownMessages();
    if (m_drop.paths.isEmpty()) {
        Q_EMIT progress(0, m_result.total);
        return next();
    }
    Q_EMIT progress(0, 0);
    m_listingBusy = true;
    m_listing.setFuture(QtConcurrent::run([paths = m_drop.paths, cancel = m_cancel] {
        return widgets::listMessageFiles(paths, kMaxFiles, cancel.get());
    }));
}

void SpamTraining::cancel()
{
    if (m_finished || m_result.cancelled)
        return;
    m_result.cancelled = true;
    m_cancel->store(true);
    if (!m_call)
        finish(); // a worker's result that comes later is dropped
}

void SpamTraining::filesListed()
{
    m_listingBusy = false;
    if (m_finished)
        return;
    const widgets::MessageFileList list = m_listing.result();
    m_files = list.files;
    m_result.total += m_files.size() + list.problems.size();
    leaveOut(list.problems);
    next();
}

void SpamTraining::readNextPart()
{
    m_readingBusy = true;
    m_reading.setFuture(QtConcurrent::run([files = m_files, from = m_nextFile, cancel = m_cancel] {
        return widgets::readMessageFiles(files, from, kLimits, cancel.get());
    }));
}

void SpamTraining::partRead()
{
    m_readingBusy = false;
    if (m_finished)
        return;
    m_ready = m_reading.result();
    m_nextFile += m_ready->consumed;
    next();
}

void SpamTraining::leaveOut(const QList<widgets::FileProblem> &problems)
{
    if (problems.isEmpty())
        return;
    m_result.leftOut += problems;
    m_result.done += problems.size();
    Q_EMIT progress(m_result.done, m_result.total);
}

void SpamTraining::next()
{
    if (m_finished || m_call || m_listingBusy)
        return;
    if (m_result.cancelled)
        return finish();
    // Stored messages: no upload, the engine reads them itself.
    while (m_group < m_drop.stored.size()) {
        const widgets::StoredMessages &g = m_drop.stored.at(m_group);
        if (m_uid >= g.uids.size()) {
            ++m_group;
            m_uid = 0;
            continue;
        }
        const QStringList uids = g.uids.mid(m_uid, kStoredPart);
        m_uid += uids.size();
        return send({ { QStringLiteral("user"), g.user }, { QStringLiteral("mailbox"), g.mailbox },
                        { QStringLiteral("uids"), QJsonArray::fromStringList(uids) } },
            uids.size());
    }
    if (!m_inlineDone && !m_drop.inlineMessages.isEmpty()) {
        m_inlineDone = true;
        QJsonArray list;
        QList<widgets::FileProblem> tooLarge;
        for (const QByteArray &m : std::as_const(m_drop.inlineMessages)) {
            if (m.size() > kLimits.maxFileBytes)
                tooLarge.append({ tr("The message dragged from the mail program"), tr("is larger than 10 MB") });
            else
                list.append(QString::fromLatin1(m.toBase64()));
        }
        leaveOut(tooLarge);
        if (!list.isEmpty())
            return send({ { QStringLiteral("messages"), list } }, list.size());
    }
    // Files: send what was read ahead, and read the next part meanwhile.
    while (m_ready) {
        widgets::MessageFilePart part = std::move(*m_ready);
        m_ready.reset();
        leaveOut(part.problems);
        if (m_nextFile < m_files.size())
            readNextPart();
        if (!part.messages.isEmpty())
            return send({ { QStringLiteral("messages"), part.messages } }, part.messages.size());
    }
    if (m_readingBusy)
        return; // partRead() comes back here
    if (m_nextFile < m_files.size())
        return readNextPart();
    finish();
}

void SpamTraining::send(QJsonObject params, qsizetype count)
{
    params.insert(QStringLiteral("class"), m_result.spam ? QStringLiteral("spam") : QStringLiteral("ham"));
    m_call = m_client.call(QStringLiteral("spam.train"), params, [this, count](const adminclient::Reply &r) {
        m_call = 0;
        if (!r.ok) {
            m_result.error = r.errorMessage;
            return finish();
        }
        const QJsonObject o = r.object();
        m_result.learned += o.value(QStringLiteral("learned")).toInteger();
        m_result.moved += o.value(QStringLiteral("moved")).toInteger();
        m_result.unchanged += o.value(QStringLiteral("unchanged")).toInteger();
        m_result.done += count;
        Q_EMIT progress(m_result.done, m_result.total);
        next();
    });
}

void SpamTraining::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_cancel->store(true); // a part read ahead is not needed any more
    Q_EMIT finished(m_result);
}

} // namespace mailroom::console
