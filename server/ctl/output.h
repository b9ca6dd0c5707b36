// Text and JSON output of mailroomctl (doveadm-print style): aligned columns
// for people, one JSON document for scripts (--json).
#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QStringList>

namespace mailroom::ctl
{

void printJson(const QJsonValue &value);
// Prints rows of objects as aligned columns; keys name the fields to show.
void printTable(const QJsonArray &rows, const QStringList &keys, const QStringList &headers);
void printLine(const QString &line);
void printError(const QString &line);
QString cell(const QJsonValue &v);

} // namespace mailroom::ctl
