// The argument tree of one IMAP command, as the pure parser (parser.h)
// produces it: atoms, quoted strings, literals and parenthesised lists.
// RFC 9051 §4 (data formats), §9 (formal syntax). Trust level: parses input
// from the Internet; every value is bounded by the command reader's limits.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace mailroom::imap
{

struct Arg {
    enum class Kind {
        Atom, // also NIL, numbers, sequence sets, and fetch items with their
              // [section]<partial> kept whole: "BODY.PEEK[HEADER.FIELDS (A B)]<0.10>"
        Quoted, // "..." with the escapes removed
        Literal, // {n} / {n+} / ~{n} (literal8, RFC 3516): raw bytes
        List, // ( ... )
    };
    Kind kind = Kind::Atom;
    QByteArray text; // atoms, strings and literals
    QList<Arg> children; // lists
    bool binaryLiteral = false; // ~{n}

    bool isAtom() const
    {
        return kind == Kind::Atom;
    }
    bool isString() const
    {
        return kind == Kind::Quoted || kind == Kind::Literal;
    }
    bool isList() const
    {
        return kind == Kind::List;
    }
    bool isNil() const
    {
        return kind == Kind::Atom && text.compare("NIL", Qt::CaseInsensitive) == 0;
    }
    // astring = 1*ASTRING-CHAR / string
    bool isAString() const
    {
        return isAtom() || isString();
    }
    // Case-insensitive atom comparison.
    bool is(const char *atom) const
    {
        return kind == Kind::Atom && text.compare(atom, Qt::CaseInsensitive) == 0;
    }
};

using Args = QList<Arg>;

// Value helpers: each returns false when the argument has the wrong form.
bool toNumber(const Arg &a, qint64 *out); // number / nz-number (up to 2^63-1)
bool toNzNumber(const Arg &a, qint64 *out);
// date = date-text / DQUOTE date-text DQUOTE, date-text = 1*2DIGIT "-" month "-" 4DIGIT
bool toDate(const Arg &a, QDate *out);
// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
bool toDateTime(const Arg &a, QDateTime *out);
// Formats a date-time for INTERNALDATE: "17-Jul-1996 02:44:25 -0700".
QByteArray formatDateTime(const QDateTime &dt);

} // namespace mailroom::imap
