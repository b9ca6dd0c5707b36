// Transaction (see transaction.h). Reply handling follows RFC 5321 §3.3: a
// 2xx RCPT adds the recipient; 4xx/5xx settle it at once. After DATA, the
// final reply settles every accepted recipient. RFC 2920 §3.1: with
// PIPELINING the DATA reply tells whether any RCPT was accepted; a 354 with
// none accepted gets an empty message (".") so the session stays in sync.
// Trust level: replies from a server on the Internet decide results only for
// the recipients of this job; nothing from the peer reaches the log unmasked.
#include "delivery/remote/transaction.h"

namespace mailroom::delivery
{

namespace
{

// Our queue checked the syntax; this only keeps a broken address from
// injecting a command line.
bool safeAddress(const QString &address)
{
    for (const QChar c : address) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == u'<' || c == u'>')
            return false;
    }
    return true;
}

QByteArray notifyValue(quint8 notify)
{
    if (notify & queue::NotifyNever)
        return QByteArrayLiteral("NEVER");
    QByteArrayList parts;
    if (notify & queue::NotifySuccess)
        parts.append(QByteArrayLiteral("SUCCESS"));
    if (notify & queue::NotifyFailure)
        parts.append(QByteArrayLiteral("FAILURE"));
    if (notify & queue::NotifyDelay)
        parts.append(QByteArrayLiteral("DELAY"));
    return parts.join(',');
}

} // namespace

QByteArray xtext(const QByteArray &in)
{
    QByteArray out;
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 33 && c <= 126 && c != '+' && c != '=')
            out.append(ch);
        else
            out.append('+').append(QByteArray::number(c, 16).toUpper().rightJustified(2, '0'));
    }
    return out;
}

Transaction::Transaction(
    SmtpClient &client, const queue::DeliveryJob &job, ResultSlots &results, std::function<void(bool reusable)> done)
    : m_client(client)
    , m_job(job)
    , m_results(results)
    , m_done(std::move(done))
{
}

Transaction::~Transaction() = default;

void Transaction::start()
{
    const Capabilities &caps = m_client.capabilities();
    const QString mta = m_client.target().remoteMta();
    if (m_job.smtpUtf8 && !caps.smtpUtf8) {
        resolveOpen(queue::Outcome::Failed, QStringLiteral("5.6.7"),
            QStringLiteral("x-mailroom; %1 does not support SMTPUTF8, which this message needs").arg(mta));
        finish(m_client.isReusable());
        return;
    }
    if (caps.sizeLimit > 0 && m_job.size > caps.sizeLimit) {
        resolveOpen(queue::Outcome::Failed, QStringLiteral("5.3.4"),
            QStringLiteral("x-mailroom; message of %1 bytes exceeds the limit of %2 (%3 bytes)")
                .arg(m_job.size)
                .arg(mta)
                .arg(caps.sizeLimit));
        finish(m_client.isReusable());
        return;
    }
    if (!safeAddress(m_job.sender)) {
        resolveOpen(queue::Outcome::Failed, QStringLiteral("5.1.7"), QStringLiteral("x-mailroom; bad sender address"));
        finish(m_client.isReusable());
        return;
    }
    m_file.setFileName(m_job.contentPath);
    if (!m_file.open(QIODevice::ReadOnly) || !m_file.seek(m_job.contentOffset)) {
        resolveOpen(queue::Outcome::Deferred, QStringLiteral("4.3.0"),
            QStringLiteral("x-mailroom; cannot read the message file: %1").arg(m_file.errorString()));
        finish(m_client.isReusable());
        return;
    }
    for (int i = 0; i < m_job.recipients.size(); ++i) {
        if (m_results.at(i))
            continue;
        if (safeAddress(m_job.recipients.at(i).address))
            m_toSend.append(i);
        else
            resolve(i, queue::Outcome::Failed, QStringLiteral("5.1.3"),
                QStringLiteral("x-mailroom; bad recipient address"));
    }
    if (m_toSend.isEmpty()) {
        finish(m_client.isReusable());
        return;
    }
    m_client.onFailure = [this](const SessionFailure &f) {
        resolveOpen(f.outcome, f.status, f.diagnostic);
        finish(false);
    };
    const int timeout = m_client.settings().commandTimeoutSecs;
    if (!caps.pipelining) {
        m_client.write(mailCommand());
        m_client.expect([this](const SmtpReply &r) { onMail(r); }, timeout);
        return;
    }
    QByteArray burst = mailCommand();
    for (const int i : std::as_const(m_toSend))
        burst += rcptCommand(m_job.recipients.at(i));
    burst += QByteArrayLiteral("DATA\r\n");
    m_client.write(burst);
    m_client.expect([this](const SmtpReply &r) { onMail(r); }, timeout);
    for (const int i : std::as_const(m_toSend))
        m_client.expect([this, i](const SmtpReply &r) { onRcpt(i, r); }, timeout);
    m_client.expect([this](const SmtpReply &r) { onData(r); }, timeout);
}

QByteArray Transaction::mailCommand() const
{
    const Capabilities &caps = m_client.capabilities();
    QByteArray line = "MAIL FROM:<" + m_job.sender.toUtf8() + '>';
    if (caps.size)
        line += " SIZE=" + QByteArray::number(m_job.size);
    if (m_job.body8bit && caps.eightBitMime)
        line += " BODY=8BITMIME";
    if (m_job.smtpUtf8)
        line += " SMTPUTF8";
    if (caps.dsn
        && (m_job.ret.compare(u"FULL", Qt::CaseInsensitive) == 0
            || m_job.ret.compare(u"HDRS", Qt::CaseInsensitive) == 0))
        line += " RET=" + m_job.ret.toUpper().toLatin1();
    if (caps.dsn && !m_job.envid.isEmpty())
        line += " ENVID=" + xtext(m_job.envid.toUtf8());
    return line + "\r\n";
}

QByteArray Transaction::rcptCommand(const queue::Recipient &r) const
{
    QByteArray line = "RCPT TO:<" + r.address.toUtf8() + '>';
    if (m_client.capabilities().dsn) {
        if (r.notify != 0)
            line += " NOTIFY=" + notifyValue(r.notify);
        if (!r.originalRecipient.isEmpty()) {
            // "rfc822;addr": the type stays as is, the address is xtext.
            const qsizetype semi = r.originalRecipient.indexOf(u';');
            const QString type = semi < 0 ? QStringLiteral("rfc822") : r.originalRecipient.left(semi).trimmed();
            const QString addr = semi < 0 ? r.originalRecipient : r.originalRecipient.mid(semi + 1).trimmed();
            if (safeAddress(type) && !type.contains(u' '))
                line += " ORCPT=" + type.toUtf8() + ';' + xtext(addr.toUtf8());
        }
    }
    return line + "\r\n";
}

void Transaction::onMail(const SmtpReply &reply)
{
    m_mailOk = reply.kind() == 2;
    if (!m_mailOk) {
        for (const int i : std::as_const(m_toSend))
            resolve(i, reply);
        if (!m_client.capabilities().pipelining)
            finish(m_client.isReusable());
        return; // pipelined: the RCPT and DATA replies still come and are ignored
    }
    if (!m_client.capabilities().pipelining)
        sendNextRcpt();
}

void Transaction::sendNextRcpt()
{
    if (m_nextRcpt >= m_toSend.size()) {
        if (m_accepted.isEmpty())
            finish(m_client.isReusable());
        else
            sendData();
        return;
    }
    const int i = m_toSend.at(m_nextRcpt++);
    m_client.write(rcptCommand(m_job.recipients.at(i)));
    m_client.expect([this, i](const SmtpReply &r) { onRcpt(i, r); }, m_client.settings().commandTimeoutSecs);
}

void Transaction::sendData()
{
    m_client.write(QByteArrayLiteral("DATA\r\n"));
    m_client.expect([this](const SmtpReply &r) { onData(r); }, m_client.settings().commandTimeoutSecs);
}

void Transaction::onRcpt(int index, const SmtpReply &reply)
{
    if (m_mailOk) {
        if (reply.kind() == 2)
            m_accepted.append(index);
        else
            resolve(index, reply);
    }
    if (!m_client.capabilities().pipelining)
        sendNextRcpt();
}

void Transaction::onData(const SmtpReply &reply)
{
    if (reply.code == 354) {
        if (m_mailOk && !m_accepted.isEmpty()) {
            m_client.sendBody(m_file, [this] {
                m_client.expect([this](const SmtpReply &r) { onFinal(r); }, m_client.settings().dataTimeoutSecs);
            });
        } else {
            m_client.write(QByteArrayLiteral(".\r\n"));
            m_client.expect(
                [this](const SmtpReply &) { finish(m_client.isReusable()); }, m_client.settings().dataTimeoutSecs);
        }
        return;
    }
    if (m_mailOk) {
        for (const int i : std::as_const(m_accepted)) {
            if (reply.kind() == 2) // DATA cannot succeed without 354
                resolve(i, queue::Outcome::Deferred, QStringLiteral("4.5.0"), reply.diagnostic());
            else
                resolve(i, reply);
        }
    }
    finish(m_client.isReusable());
}

void Transaction::onFinal(const SmtpReply &reply)
{
    for (const int i : std::as_const(m_accepted))
        resolve(i, reply);
    finish(m_client.isReusable());
}

void Transaction::resolve(int index, const SmtpReply &reply)
{
    switch (reply.kind()) {
    case 2:
        resolve(index, queue::Outcome::Delivered, reply.status(), reply.diagnostic());
        break;
    case 5:
        resolve(index, queue::Outcome::Failed, reply.status(), reply.diagnostic());
        break;
    case 4:
        resolve(index, queue::Outcome::Deferred, reply.status(), reply.diagnostic());
        break;
    default: // 3xx where none belongs
        resolve(index, queue::Outcome::Deferred, QStringLiteral("4.5.0"), reply.diagnostic());
        break;
    }
}

void Transaction::resolve(int index, queue::Outcome outcome, const QString &status, const QString &diagnostic)
{
    if (m_results.at(index))
        return;
    queue::RecipientResult r;
    r.recipientId = m_job.recipients.at(index).id;
    r.outcome = outcome;
    r.status = status;
    r.diagnostic = diagnostic;
    r.remoteMta = m_client.target().remoteMta();
    r.dsnPassedOn = m_client.capabilities().dsn;
    m_results[index] = r;
}

void Transaction::resolveOpen(queue::Outcome outcome, const QString &status, const QString &diagnostic)
{
    for (int i = 0; i < m_job.recipients.size(); ++i)
        resolve(i, outcome, status, diagnostic);
}

void Transaction::finish(bool reusable)
{
    m_client.onFailure = nullptr;
    if (!m_done)
        return;
    auto done = std::move(m_done);
    m_done = nullptr;
    done(reusable);
}

} // namespace mailroom::delivery
