// Tags: what an analyzer found, by name ("SPF_FAIL", "BAYES_99"), with a
// detail for the "why" view. Analyzers only add tags; the score table turns
// them into points (DESIGN §6). Trust level: internal.
#pragma once

#include <QList>
#include <QString>

namespace mailroom::spam
{

struct TagHit {
    QString name;
    QString detail; // "192.0.2.1 is listed in zen.example", may be empty
};

class TagList
{
public:
    void add(const QString &name, const QString &detail = {})
    {
        for (const TagHit &t : std::as_const(m_tags))
            if (t.name == name)
                return;
        m_tags.append({ name, detail });
    }
    bool contains(const QString &name) const
    {
        for (const TagHit &t : m_tags)
            if (t.name == name)
                return true;
        return false;
    }
    const QList<TagHit> &hits() const
    {
        return m_tags;
    }

private:
    QList<TagHit> m_tags;
};

} // namespace mailroom::spam
