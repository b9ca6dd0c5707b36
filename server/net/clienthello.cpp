#include "net/clienthello.h"

namespace mailroom::net
{

namespace
{
// A bounds-checked reader over one record's payload.
class Reader
{
public:
    explicit Reader(QByteArrayView data)
        : m_data(data)
    {
    }
    bool has(qsizetype n) const
    {
        return n >= 0 && m_pos + n <= m_data.size();
    }
    bool skip(qsizetype n)
    {
        if (!has(n))
            return false;
        m_pos += n;
        return true;
    }
    bool u8(quint32 *v)
    {
        if (!has(1))
            return false;
        *v = quint8(m_data[m_pos++]);
        return true;
    }
    bool u16(quint32 *v)
    {
        if (!has(2))
            return false;
        *v = (quint32(quint8(m_data[m_pos])) << 8) | quint8(m_data[m_pos + 1]);
        m_pos += 2;
        return true;
    }
    bool u24(quint32 *v)
    {
        quint32 hi = 0;
        quint32 lo = 0;
        if (!u8(&hi) || !u16(&lo))
            return false;
        *v = (hi << 16) | lo;
        return true;
    }
    // A vector with a length prefix of width bytes: skipped.
    bool skipVector(int width)
    {
        quint32 n = 0;
        if (!(width == 1 ? u8(&n) : u16(&n)))
            return false;
        return skip(qsizetype(n));
    }
    QByteArrayView take(qsizetype n)
    {
        const QByteArrayView out = m_data.sliced(m_pos, n);
        m_pos += n;
        return out;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

constexpr quint8 kHandshakeRecord = 22;
constexpr quint8 kClientHello = 1;
constexpr quint32 kServerNameExtension = 0;
constexpr quint8 kHostName = 0;

QString hostName(QByteArrayView raw)
{
    if (raw.isEmpty() || raw.size() > 253)
        return {};
    for (char c : raw) {
        const bool ok
            = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok)
            return {};
    }
    return QString::fromLatin1(raw).toLower();
}

// The server_name extension's first host_name (RFC 6066 §3).
QString serverNameIn(QByteArrayView ext)
{
    Reader r(ext);
    quint32 listLength = 0;
    if (!r.u16(&listLength) || !r.has(listLength))
        return {};
    Reader list(r.take(listLength));
    quint32 type = 0;
    quint32 length = 0;
    while (list.u8(&type) && list.u16(&length) && list.has(length)) {
        const QByteArrayView name = list.take(length);
        if (type == kHostName)
            return hostName(name);
    }
    return {};
}
} // namespace

HelloState parseClientHello(QByteArrayView data, QString *serverName)
{
    serverName->clear();
    if (data.size() < 5)
        return data.isEmpty() || quint8(data[0]) == kHandshakeRecord ? HelloState::NeedMore : HelloState::NotHello;
    Reader record(data);
    quint32 type = 0;
    quint32 version = 0;
    quint32 length = 0;
    record.u8(&type);
    record.u16(&version);
    record.u16(&length);
    if (type != kHandshakeRecord || (version >> 8) != 3 || length == 0 || length > 16384)
        return HelloState::NotHello;
    if (!record.has(length))
        return HelloState::NeedMore;
    // The first record holds at least the start of the ClientHello; one that
    // goes on in a second record (very large hellos) is read as far as it
    // goes here, and a name past its end is not seen.
    Reader hello(record.take(length));
    quint32 handshakeType = 0;
    quint32 handshakeLength = 0;
    if (!hello.u8(&handshakeType) || handshakeType != kClientHello || !hello.u24(&handshakeLength))
        return HelloState::NotHello;
    // legacy_version, random, legacy_session_id, cipher_suites,
    // legacy_compression_methods, then the extensions.
    if (!hello.skip(2 + 32) || !hello.skipVector(1) || !hello.skipVector(2) || !hello.skipVector(1))
        return HelloState::Complete;
    quint32 extensionsLength = 0;
    if (!hello.u16(&extensionsLength))
        return HelloState::Complete;
    quint32 extType = 0;
    quint32 extLength = 0;
    while (hello.u16(&extType) && hello.u16(&extLength) && hello.has(extLength)) {
        const QByteArrayView ext = hello.take(extLength);
        if (extType == kServerNameExtension) {
            *serverName = serverNameIn(ext);
            break;
        }
    }
    return HelloState::Complete;
}

} // namespace mailroom::net
