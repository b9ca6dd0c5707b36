// SMTP reply parsing for outbound delivery: multi-line replies ("250-..." then
// "250 ..."), enhanced status codes and the diagnostic text of a reply.
// RFC 5321 §4.2 (reply lines), §4.5.3.1.5 (reply line length), RFC 3463 and
// RFC 2034 (enhanced status codes). Pure and I/O-free (STYLE rule 2).
// Trust level: parses bytes from servers on the Internet; bounds line length
// and lines per reply, and never trusts the text (control bytes are masked).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace mailroom::delivery
{

struct SmtpReply {
    int code = 0; // 200..599
    QString enhanced; // "2.1.5" when the first line carries a code of the same class, else ""
    QStringList lines; // text of each line without the code, separator and enhanced code

    int kind() const
    {
        return code / 100;
    }
    // Lines joined with one space.
    QString text() const;
    // The enhanced code, or one derived from the class ("2.0.0", "4.0.0", "5.0.0").
    QString status() const;
    // RFC 3464 Diagnostic-Code: "smtp; 550 5.1.1 No such user".
    QString diagnostic() const;
};

class ReplyParser
{
public:
    static constexpr int DefaultMaxLineBytes = 4096;
    static constexpr int DefaultMaxLines = 100;

    explicit ReplyParser(int maxLineBytes = DefaultMaxLineBytes, int maxLines = DefaultMaxLines);

    // Adds bytes as they come from the socket; complete replies queue up.
    // After an error the parser ignores further input until reset().
    void feed(QByteArrayView data);

    bool hasReply() const
    {
        return !m_replies.isEmpty();
    }
    SmtpReply takeReply();

    bool failed() const
    {
        return !m_error.isEmpty();
    }
    QString error() const
    {
        return m_error;
    }
    // True when no partial line or reply is buffered (checked before STARTTLS:
    // bytes after the 220 reply would be an injection attempt).
    bool isIdle() const
    {
        return m_line.isEmpty() && m_current.lines.isEmpty() && m_replies.isEmpty();
    }
    void reset();

private:
    void parseLine(QByteArrayView line);
    void fail(const QString &why);

    int m_maxLineBytes;
    int m_maxLines;
    QByteArray m_line; // partial line
    SmtpReply m_current; // partial multi-line reply
    QList<SmtpReply> m_replies;
    QString m_error;
};

// Splits "5.1.1 text" into the enhanced code and the rest when the text starts
// with a well-formed code of class `kind` (RFC 3463 §2: class.subject.detail).
QString takeEnhancedCode(QString &text, int kind);

} // namespace mailroom::delivery
