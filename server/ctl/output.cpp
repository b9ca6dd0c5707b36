#include "ctl/output.h"

#include <cstdio>

#include <QJsonDocument>
#include <QJsonObject>

namespace mailroom::ctl
{

void printJson(const QJsonValue &value)
{
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    std::fputs(doc.toJson(QJsonDocument::Indented).constData(), stdout);
}

QString cell(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case QJsonValue::Double:
        return QString::number(v.toInteger());
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &e : v.toArray())
            parts << cell(e);
        return parts.join(QStringLiteral(", "));
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    default:
        return v.toString();
    }
}

void printTable(const QJsonArray &rows, const QStringList &keys, const QStringList &headers)
{
    QList<QStringList> cells;
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << h.size();
    for (const QJsonValue &r : rows) {
        QStringList line;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            line << cell(r.toObject().value(keys.at(i)));
            widths[i] = std::max(widths[i], line.last().size());
        }
        cells << line;
    }
    auto printRow = [&](const QStringList &line) {
        QString out;
        for (qsizetype i = 0; i < line.size(); ++i)
            out += (i + 1 == line.size() ? line.at(i) : line.at(i).leftJustified(widths[i] + 2));
        printLine(out);
    };
    printRow(headers);
    for (const QStringList &line : std::as_const(cells))
        printRow(line);
}

void printLine(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
}

void printError(const QString &line)
{
    std::fprintf(stderr, "mailroomctl: %s\n", line.toUtf8().constData());
}

} // namespace mailroom::ctl
