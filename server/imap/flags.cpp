// Flag lists of APPEND and STORE (RFC 9051 §2.3.2, §9 flag-list):
//   flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" /
//          flag-keyword / flag-extension
// Trust level: parses input from the Internet.
#include "imap/commands.h"
#include "store/mailboxes.h"

namespace mailroom::imap
{

namespace
{
bool addFlag(const Arg &a, quint32 *flags, QStringList *keywords, QByteArray *error)
{
    if (!a.isAtom() || a.text.isEmpty()) {
        *error = "Flags are atoms";
        return false;
    }
    const QByteArray &t = a.text;
    static const struct {
        const char *name;
        quint32 bit;
    } kSystem[] = { { "\\Seen", store::FlagSeen }, { "\\Answered", store::FlagAnswered },
        { "\\Flagged", store::FlagFlagged }, { "\\Deleted", store::FlagDeleted }, { "\\Draft", store::FlagDraft } };
    if (t.startsWith('\\')) {
        for (const auto &s : kSystem) {
            if (t.compare(s.name, Qt::CaseInsensitive) == 0) {
                *flags |= s.bit;
                return true;
            }
        }
        *error = "Unknown system flag " + t.left(40);
        return false;
    }
    if (t.size() > 100) {
        *error = "Keyword too long";
        return false;
    }
    for (char ch : t) {
        const auto u = static_cast<unsigned char>(ch);
        if (u <= 0x20 || u >= 0x7f || ch == '(' || ch == ')' || ch == '{' || ch == '%' || ch == '*' || ch == '"'
            || ch == '\\' || ch == ']') {
            *error = "Invalid keyword";
            return false;
        }
    }
    const QString k = QString::fromLatin1(t);
    if (!keywords->contains(k, Qt::CaseInsensitive))
        keywords->append(k);
    return true;
}
} // namespace

bool parseFlags(const Arg &arg, bool allowBare, quint32 *flags, QStringList *keywords, QByteArray *error)
{
    *flags = 0;
    keywords->clear();
    if (!arg.isList()) {
        if (!allowBare) {
            *error = "Expected a flag list";
            return false;
        }
        return addFlag(arg, flags, keywords, error);
    }
    if (arg.children.size() > 1000) {
        *error = "Too many flags";
        return false;
    }
    for (const Arg &a : arg.children) {
        if (!addFlag(a, flags, keywords, error))
            return false;
    }
    return true;
}

} // namespace mailroom::imap
