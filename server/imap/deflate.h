// Deflate: the two zlib streams of COMPRESS=DEFLATE (RFC 4978): raw deflate
// (no zlib header) each way, every write flushed with Z_SYNC_FLUSH so the
// client can read each response at once. Trust level: talks to the Internet;
// inflating works in 64 KiB steps, so a small input cannot make a huge
// output in one call (the caller stops pulling when its buffer is full).
#pragma once

#include <memory>

#include <QByteArray>

namespace mailroom::imap
{

class Deflate
{
public:
    Deflate();
    ~Deflate();
    Deflate(const Deflate &) = delete;
    Deflate &operator=(const Deflate &) = delete;

    QByteArray deflate(const QByteArray &plain);
    // Inflates from the front of *compressed into *out, at most 64 KiB of
    // output per call, consuming what it used. False on corrupt input.
    bool inflate(QByteArray *compressed, QByteArray *out);

private:
    struct Streams;
    std::unique_ptr<Streams> m_s;
};

} // namespace mailroom::imap
