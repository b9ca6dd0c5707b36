#include "pop3/maildrop.h"

namespace mailroom::pop3
{

Maildrop::Maildrop(qint64 mailboxId, qint64 uidValidity, QList<Message> messages)
    : m_mailboxId(mailboxId)
    , m_uidValidity(uidValidity)
    , m_messages(std::move(messages))
{
}

int Maildrop::liveCount() const
{
    int n = 0;
    for (const Message &m : m_messages)
        n += m.deleted ? 0 : 1;
    return n;
}

qint64 Maildrop::liveBytes() const
{
    qint64 n = 0;
    for (const Message &m : m_messages)
        n += m.deleted ? 0 : m.size;
    return n;
}

std::optional<qint64> Maildrop::parseNumber(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 10)
        return std::nullopt;
    qint64 n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

Maildrop::Lookup Maildrop::find(const QByteArray &arg, int *number) const
{
    const auto n = parseNumber(arg);
    if (!n || *n < 1 || *n > count())
        return Lookup::NoSuch;
    *number = int(*n);
    return at(*number).deleted ? Lookup::Deleted : Lookup::Found;
}

QByteArray Maildrop::uniqueId(int number) const
{
    // 1-70 characters in 0x21..0x7E (RFC 1939 §7): at most 16 + 1 + 16.
    return QByteArray::number(m_uidValidity, 16) + '.' + QByteArray::number(at(number).uid, 16);
}

void Maildrop::markDeleted(int number)
{
    m_messages[number - 1].deleted = true;
}

void Maildrop::markRetrieved(int number)
{
    m_messages[number - 1].retrieved = true;
}

void Maildrop::unmarkAll()
{
    for (Message &m : m_messages)
        m.deleted = false;
}

QList<qint64> Maildrop::deletedUids() const
{
    QList<qint64> uids;
    for (const Message &m : m_messages)
        if (m.deleted)
            uids << m.uid;
    return uids;
}

QList<qint64> Maildrop::seenUids() const
{
    QList<qint64> uids;
    for (const Message &m : m_messages)
        if (m.retrieved && !m.deleted)
            uids << m.uid;
    return uids;
}

} // namespace mailroom::pop3
