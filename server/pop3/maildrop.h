// Maildrop: the user's INBOX as one POP3 session sees it (RFC 1939 §§5-6).
// It is a snapshot taken at login, so message numbers stay fixed for the
// session; DELE only marks, RSET unmarks, and the marks reach the store at
// QUIT (UPDATE state) as a list of UIDs, never as numbers. Unique ids
// (UIDL, RFC 1939 §7) are "<uidvalidity>.<uid>" in hex: stable across
// sessions, unique per mailbox, and new when the mailbox is recreated.
// Trust level: internal (message numbers come from clients; they are
// checked by find()).
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroom::pop3
{

class Maildrop
{
public:
    struct Message {
        qint64 uid = 0;
        qint64 size = 0; // octets as stored (CRLF line ends)
        QString blobHash;
        bool deleted = false;
        bool retrieved = false; // RETR: gets \Seen at QUIT
    };

    Maildrop() = default;
    Maildrop(qint64 mailboxId, qint64 uidValidity, QList<Message> messages);

    qint64 mailboxId() const
    {
        return m_mailboxId;
    }
    // Message numbers run 1..count(), deleted ones included.
    int count() const
    {
        return int(m_messages.size());
    }
    // Not deleted: what STAT and LIST report.
    int liveCount() const;
    qint64 liveBytes() const;

    enum class Lookup { Found, NoSuch, Deleted };
    // Checks a client's "msg" argument (RFC 1939: a decimal message number).
    Lookup find(const QByteArray &arg, int *number) const;
    const Message &at(int number) const
    {
        return m_messages.at(number - 1);
    }
    QByteArray uniqueId(int number) const;

    void markDeleted(int number);
    void markRetrieved(int number);
    void unmarkAll(); // RSET
    QList<qint64> deletedUids() const;
    QList<qint64> seenUids() const; // retrieved and not deleted

    // A strict decimal number (1-10 digits, no sign, no spaces).
    static std::optional<qint64> parseNumber(const QByteArray &text);

private:
    qint64 m_mailboxId = 0;
    qint64 m_uidValidity = 0;
    QList<Message> m_messages;
};

} // namespace mailroom::pop3
