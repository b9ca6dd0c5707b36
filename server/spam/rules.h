// The rule file: scores of tags and regex rules over headers, body text and
// links, which add tags of their own (DESIGN §6). The defaults ship in
// resources/spam/rules.cf (compiled in); an admin's spam/local.cf in the
// data folder is read after them and may change any score.
// Trust level: rule files come from admins; the messages they run on come
// from the Internet (text bounded by the caller, regexes are PCRE2 through
// QRegularExpression).
#pragma once

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include "spam/tags.h"

namespace mailroom::spam
{

struct Rule {
    QString tag;
    enum class Target { Subject, From, To, Header, Body, Uri, Missing } target = Target::Subject;
    QString header; // Header and Missing: the field name
    QRegularExpression regex;
    QString description;
};

// What rules look at, decoded once per message.
struct RuleInput {
    QString subject;
    QString from; // the From address
    QStringList to; // To and Cc addresses
    QList<std::pair<QString, QString>> headers; // lower-case name, decoded value
    QString body; // text of the message, HTML as text, bounded
    QStringList uris; // links found in text and HTML
};

class RuleSet
{
public:
    // Adds the lines of one file; the problems go to errors as "file:line:
    // what", and those lines are skipped. Later files override scores.
    void parse(const QString &text, const QString &origin, QStringList *errors);
    void evaluate(const RuleInput &input, TagList &tags) const;
    // The score of a tag; 0 for a tag nobody scored.
    double score(const QString &tag) const
    {
        return m_scores.value(tag, 0.0);
    }
    const QHash<QString, double> &scores() const
    {
        return m_scores;
    }
    const QList<Rule> &rules() const
    {
        return m_rules;
    }
    void setScore(const QString &tag, double points)
    {
        m_scores.insert(tag, points);
    }

private:
    QList<Rule> m_rules;
    QHash<QString, double> m_scores;
};

// The compiled-in default rules (resources/spam/rules.cf).
QString defaultRulesText();

// What an analyzer's tag means, in a few words ("" for tags of rules,
// whose descriptions are in the rule file).
QString analyzerTagDescription(const QString &tag);

} // namespace mailroom::spam
