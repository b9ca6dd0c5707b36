// Deflate: zlib streams for COMPRESS=DEFLATE (RFC 4978 §4: raw deflate,
// windowBits -15). Trust level: talks to the Internet.
#include "imap/deflate.h"

#include <zlib.h>

namespace mailroom::imap
{

struct Deflate::Streams {
    z_stream out {};
    z_stream in {};
    bool ok = false;
};

Deflate::Deflate()
    : m_s(std::make_unique<Streams>())
{
    const bool a = deflateInit2(&m_s->out, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    const bool b = inflateInit2(&m_s->in, -15) == Z_OK;
    m_s->ok = a && b;
}

Deflate::~Deflate()
{
    deflateEnd(&m_s->out);
    inflateEnd(&m_s->in);
}

QByteArray Deflate::deflate(const QByteArray &plain)
{
    QByteArray out;
    if (!m_s->ok)
        return out;
    z_stream &z = m_s->out;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(plain.constData()));
    z.avail_in = uInt(plain.size());
    char buf[16384];
    do {
        z.next_out = reinterpret_cast<Bytef *>(buf);
        z.avail_out = sizeof buf;
        ::deflate(&z, Z_SYNC_FLUSH);
        out.append(buf, qsizetype(sizeof buf - z.avail_out));
    } while (z.avail_out == 0);
    return out;
}

bool Deflate::inflate(QByteArray *compressed, QByteArray *out)
{
    if (!m_s->ok)
        return false;
    z_stream &z = m_s->in;
    z.next_in = reinterpret_cast<Bytef *>(compressed->data());
    z.avail_in = uInt(compressed->size());
    QByteArray buf(64 * 1024, Qt::Uninitialized);
    z.next_out = reinterpret_cast<Bytef *>(buf.data());
    z.avail_out = uInt(buf.size());
    const int rc = ::inflate(&z, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
        return false;
    compressed->remove(0, compressed->size() - qsizetype(z.avail_in));
    buf.truncate(buf.size() - qsizetype(z.avail_out));
    *out = buf;
    return true;
}

} // namespace mailroom::imap
