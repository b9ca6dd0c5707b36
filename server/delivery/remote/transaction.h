// One mail transaction on a ready SmtpClient: MAIL FROM with its ESMTP
// parameters, RCPT TO per recipient, DATA and the message, and a result per
// recipient from the replies. RFC 5321 §4.1.1.2-4 and §3.3; RFC 2920
// PIPELINING (MAIL, all RCPT and DATA in one write); RFC 1870 SIZE; RFC 6152
// 8BITMIME; RFC 6531 §3.4 SMTPUTF8; RFC 3461 §4 (RET, ENVID, NOTIFY, ORCPT).
// Trust level: talks to a server on the Internet through SmtpClient.
#pragma once

#include <functional>
#include <optional>

#include <QFile>
#include <QList>

#include "delivery/remote/smtpclient.h"
#include "queue/deliveryagent.h"

namespace mailroom::delivery
{

using ResultSlots = QList<std::optional<queue::RecipientResult>>;

class Transaction
{
public:
    // `results` has one slot per recipient of `job`; slots already filled are
    // left alone. `done(reusable)` runs once, when every slot this transaction
    // is responsible for is filled.
    Transaction(SmtpClient &client,
        const queue::DeliveryJob &job,
        ResultSlots &results,
        std::function<void(bool reusable)> done);
    ~Transaction();

    void start();

    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

private:
    QByteArray mailCommand() const;
    QByteArray rcptCommand(const queue::Recipient &r) const;
    void sendNextRcpt();
    void sendData();
    void onMail(const SmtpReply &reply);
    void onRcpt(int index, const SmtpReply &reply);
    void onData(const SmtpReply &reply);
    void onFinal(const SmtpReply &reply);
    void resolve(int index, const SmtpReply &reply);
    void resolve(int index, queue::Outcome outcome, const QString &status, const QString &diagnostic);
    void resolveOpen(queue::Outcome outcome, const QString &status, const QString &diagnostic);
    void finish(bool reusable);

    SmtpClient &m_client;
    const queue::DeliveryJob &m_job;
    ResultSlots &m_results;
    std::function<void(bool)> m_done;
    QFile m_file;
    QList<int> m_toSend; // recipients that get a RCPT, in order
    qsizetype m_nextRcpt = 0;
    QList<int> m_accepted;
    bool m_mailOk = false;
};

// RFC 3461 §4: xtext = *( xchar / hexchar ), hexchar = "+" 2HEXDIG.
QByteArray xtext(const QByteArray &in);

} // namespace mailroom::delivery
