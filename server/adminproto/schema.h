// The admin protocol schema (schema.json, compiled in as a resource): every
// method with its parameters, their types and its permission. The engine
// validates each request against it before a handler runs, so handlers see
// only well-typed parameters; clients use it for help texts.
// Trust level: local admins.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace mailroom::adminproto
{

enum class ParamType { String, Int, Bool, Strings };

struct ParamDef {
    QString name;
    ParamType type = ParamType::String;
    bool required = false;
    bool secret = false; // never logged
    QString doc;
};

struct MethodDef {
    QString name;
    QString permission; // "none" or "<area>.<read|write>"
    QString doc;
    QList<ParamDef> params;
    QString result;
};

class Schema
{
public:
    static const Schema &instance(); // parsed once from the resource; immutable
    int version() const
    {
        return m_version;
    }
    const MethodDef *method(const QString &name) const;
    const QList<MethodDef> &methods() const
    {
        return m_methods;
    }
    QStringList pushes() const
    {
        return m_pushes;
    }

    // Checks params against the method: required ones present, types right,
    // no unknown names, strings bounded. On failure returns a sentence.
    bool validate(const MethodDef &method, const QJsonObject &params, QString *error) const;
    // params with secret values replaced by "********", for logs.
    static QJsonObject masked(const MethodDef &method, const QJsonObject &params);

    QString markdown() const; // the method reference of docs/admin-protocol.md

private:
    Schema();
    int m_version = 0;
    QList<MethodDef> m_methods;
    QHash<QString, qsizetype> m_index;
    QStringList m_pushes;
};

} // namespace mailroom::adminproto
