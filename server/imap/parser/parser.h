// The IMAP command reader: framing and parsing, pure and I/O-free (STYLE
// rule 2). Bytes go in as they arrive; out come complete commands (tag,
// name, argument tree), requests for a continuation ("+ ") before a
// synchronizing literal, or errors with the reason for a BAD.
//
//   command  = tag SP (command-any / command-auth / command-nonauth /
//              command-select) CRLF                       (RFC 9051 §9)
//   literal  = "{" number64 ["+"] "}" CRLF *CHAR8         (RFC 7888 LITERAL+)
//   literal8 = "~{" number64 ["+"] "}" CRLF *OCTET        (RFC 3516)
//
// Trust level: parses input from the Internet. Every line is bounded, every
// literal is bounded, the whole command is bounded, and lists nest at most
// maxDepth deep: a literal bomb or an endless line is refused without being
// stored (its bytes are read and dropped).
#pragma once

#include <QByteArray>

#include "imap/parser/args.h"

namespace mailroom::imap
{

struct ReaderLimits {
    qint64 lineBytes = 65536; // one line of a command, without literals
    qint64 literalBytes = 64LL * 1024 * 1024; // one literal (APPEND)
    qint64 commandBytes = 64LL * 1024 * 1024 + 65536; // all lines and literals of a command
    int maxDepth = 32; // nesting of ( )
    int maxArgs = 100000; // atoms, strings and lists in one command
};

struct Command {
    QByteArray tag;
    QByteArray name; // upper-cased; "UID FETCH" style for UID commands
    Args args;
};

class CommandReader
{
public:
    enum class Event {
        None, // need more bytes
        Command, // command() holds a complete command
        Continue, // a synchronizing literal follows: send "+ " and read on
        Error, // tag() (may be "*") and error() say what to answer BAD / BYE
    };

    explicit CommandReader(ReaderLimits limits = {});

    // Appends bytes; call next() until it returns None.
    void feed(const QByteArray &bytes);
    Event next();

    const Command &command() const
    {
        return m_command;
    }
    // For Error: the command's tag if it could be read, else "*".
    QByteArray tag() const
    {
        return m_errorTag;
    }
    QByteArray error() const
    {
        return m_error;
    }
    // Error that leaves the stream unusable (a literal too large to skip
    // safely): the session must say BYE and close.
    bool fatal() const
    {
        return m_fatal;
    }
    // A synchronizing literal that exceeds the limits is refused, the
    // client is told so (error()), and the rest of that command line is
    // dropped; nothing more to do for the caller.

    // Raw bytes after a complete command that were not consumed yet
    // (IDLE's DONE, AUTHENTICATE responses, COMPRESS and STARTTLS take
    // over the stream): returns them and empties the reader.
    QByteArray takeBuffered();
    // Reads one line (without CRLF) outside command syntax: AUTHENTICATE
    // responses and IDLE's DONE. Returns false until a whole line is there;
    // *tooLong is set when the line exceeds lineBytes (it is dropped).
    bool readRawLine(QByteArray *line, bool *tooLong);

    qint64 bufferedBytes() const
    {
        return m_in.size();
    }

private:
    bool parseCommand(const QByteArray &whole);
    void failCommand(const QByteArray &reason, bool fatal = false);

    ReaderLimits m_limits;
    QByteArray m_in; // bytes not consumed yet
    QByteArray m_current; // the command so far (lines and literals)
    QList<QPair<qsizetype, qsizetype>> m_literals; // (offset, length) of literals in m_current
    qint64 m_literalRemaining = 0; // bytes of a literal still to read
    qint64 m_skipRemaining = 0; // bytes of a refused literal still to drop
    bool m_skippingLine = false; // dropping the rest of a refused command
    bool m_binaryLiteral = false;
    Command m_command;
    QByteArray m_errorTag;
    QByteArray m_error;
    bool m_fatal = false;
};

// Parses a complete command (lines joined with their literals, as the reader
// collects them) into tag, name and arguments. literals lists the (offset,
// length) of each literal's bytes, so that literal data is never scanned
// for syntax. Exposed for unit and fuzz tests.
bool parseCommandText(const QByteArray &whole,
    const QList<QPair<qsizetype, qsizetype>> &literals,
    const ReaderLimits &limits,
    Command *out,
    QByteArray *error,
    QByteArray *tag);

} // namespace mailroom::imap
