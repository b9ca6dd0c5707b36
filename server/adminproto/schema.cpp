#include "adminproto/schema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace mailroom::adminproto
{

namespace
{
constexpr qsizetype kMaxStringParam = 1024 * 1024;
constexpr qsizetype kMaxListParam = 10000;

ParamType typeFromName(const QString &t)
{
    if (t == u"int")
        return ParamType::Int;
    if (t == u"bool")
        return ParamType::Bool;
    if (t == u"strings")
        return ParamType::Strings;
    return ParamType::String;
}

const char *typeName(ParamType t)
{
    switch (t) {
    case ParamType::String:
        return "string";
    case ParamType::Int:
        return "int";
    case ParamType::Bool:
        return "bool";
    case ParamType::Strings:
        return "list of strings";
    }
    return "string";
}
} // namespace

const Schema &Schema::instance()
{
    static const Schema schema;
    return schema;
}

Schema::Schema()
{
    QFile file(QStringLiteral(":/mailroom/adminproto/schema.json"));
    const bool opened = file.open(QIODevice::ReadOnly);
    Q_ASSERT_X(opened, "Schema", "schema.json resource missing");
    Q_UNUSED(opened);
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    m_version = root.value(QStringLiteral("version")).toInt();
    for (const QJsonValue &mv : root.value(QStringLiteral("methods")).toArray()) {
        const QJsonObject m = mv.toObject();
        MethodDef def;
        def.name = m.value(QStringLiteral("name")).toString();
        def.permission = m.value(QStringLiteral("permission")).toString();
        def.doc = m.value(QStringLiteral("doc")).toString();
        def.result = m.value(QStringLiteral("result")).toString();
        const QJsonObject params = m.value(QStringLiteral("params")).toObject();
        for (auto it = params.begin(); it != params.end(); ++it) {
            const QJsonObject p = it.value().toObject();
            def.params.append({ it.key(), typeFromName(p.value(QStringLiteral("type")).toString()),
                p.value(QStringLiteral("required")).toBool(), p.value(QStringLiteral("secret")).toBool(),
                p.value(QStringLiteral("doc")).toString() });
        }
        m_index.insert(def.name, m_methods.size());
        m_methods.append(def);
    }
    for (const QJsonValue &pv : root.value(QStringLiteral("pushes")).toArray())
        m_pushes.append(pv.toObject().value(QStringLiteral("name")).toString());
}

const MethodDef *Schema::method(const QString &name) const
{
    const auto it = m_index.constFind(name);
    return it == m_index.cend() ? nullptr : &m_methods.at(*it);
}

bool Schema::validate(const MethodDef &method, const QJsonObject &params, QString *error) const
{
    for (auto it = params.begin(); it != params.end(); ++it) {
        const auto p = std::find_if(
            method.params.cbegin(), method.params.cend(), [&](const ParamDef &d) { return d.name == it.key(); });
        if (p == method.params.cend()) {
            *error = QStringLiteral("%1 has no parameter \"%2\".").arg(method.name, it.key().left(64));
            return false;
        }
        const QJsonValue v = it.value();
        bool ok = true;
        switch (p->type) {
        case ParamType::String:
            ok = v.isString() && v.toString().size() <= kMaxStringParam;
            break;
        case ParamType::Int:
            ok = v.isDouble() && v.toDouble() == double(qint64(v.toDouble())) && qAbs(v.toDouble()) < 9.0e15;
            break;
        case ParamType::Bool:
            ok = v.isBool();
            break;
        case ParamType::Strings: {
            const QJsonArray a = v.toArray();
            ok = v.isArray() && a.size() <= kMaxListParam
                && std::all_of(a.begin(), a.end(), [](const QJsonValue &e) { return e.isString(); });
            break;
        }
        }
        if (!ok) {
            *error = QStringLiteral("Parameter \"%1\" of %2 must be a %3.")
                         .arg(p->name, method.name, QLatin1String(typeName(p->type)));
            return false;
        }
    }
    for (const ParamDef &p : method.params) {
        if (p.required && !params.contains(p.name)) {
            *error = QStringLiteral("%1 needs the parameter \"%2\" (%3).").arg(method.name, p.name, p.doc);
            return false;
        }
    }
    return true;
}

QJsonObject Schema::masked(const MethodDef &method, const QJsonObject &params)
{
    QJsonObject out = params;
    for (const ParamDef &p : method.params)
        if (p.secret && out.contains(p.name))
            out.insert(p.name, QStringLiteral("********"));
    return out;
}

QString Schema::markdown() const
{
    QString out
        = QStringLiteral("| method | permission | parameters | result | description |\n|---|---|---|---|---|\n");
    for (const MethodDef &m : m_methods) {
        QStringList ps;
        for (const ParamDef &p : m.params)
            ps << QStringLiteral("`%1`%2: %3")
                      .arg(p.name, p.required ? QStringLiteral("*") : QString(), QLatin1String(typeName(p.type)));
        out += QStringLiteral("| `%1` | %2 | %3 | `%4` | %5 |\n")
                   .arg(m.name, m.permission, ps.isEmpty() ? QStringLiteral("—") : ps.join(QStringLiteral("<br>")),
                       m.result, m.doc);
    }
    return out;
}

} // namespace mailroom::adminproto
