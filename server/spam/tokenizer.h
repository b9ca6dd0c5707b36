// The tokens Bayes counts in a message (DESIGN §6): words of the decoded MIME
// text (HTML turned into text), the subject, selected headers, the hosts of
// URLs, attachment types and HTML tag names. Each token is a 64-bit FNV-1a
// hash of its prefix and lower-cased text; a message yields each token once.
// RFC 2045-2047 (MIME decoding through the mime module), RFC 5322 (headers).
// Trust level: parses input from the Internet. Text, tokens and headers are
// bounded (TokenizerLimits); a hostile message costs at most that much work.
#pragma once

#include <functional>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include "mime/part.h"

namespace mailroom::spam
{

struct TokenizerLimits {
    qsizetype maxTextChars = 200'000; // decoded text looked at, all parts together
    qsizetype maxHeaderBytes = 64 * 1024; // of the top-level header block
    int maxTokens = 20'000; // distinct tokens kept, the first ones found
    int maxParts = 64;
};

// The message's MIME tree as the tokenizer reads it (depth and parts
// bounded by limits). The filter parses once and gives the tree to both
// tokenize() and the rules.
mime::Part parseForTokens(const QByteArray &message, const TokenizerLimits &limits = {});

// Hashes of the message's distinct tokens, in no particular order.
std::vector<quint64> tokenize(const QByteArray &message, const TokenizerLimits &limits = {});
// The same from a tree parseForTokens() made of message.
std::vector<quint64> tokenize(const QByteArray &message, const mime::Part &root, const TokenizerLimits &limits = {});

struct Token {
    QString text; // "subject:free", "url:example.com", "money"
    quint64 hash = 0;
};
// The same tokens with their text, in the order found, for the "why" view
// and for tests. Duplicates are kept out here too.
QList<Token> tokenTexts(const QByteArray &message, const TokenizerLimits &limits = {});

// The hash of one token as tokenize() makes it: prefix, then text lower-cased.
quint64 tokenHash(QStringView prefix, QStringView text);

} // namespace mailroom::spam
