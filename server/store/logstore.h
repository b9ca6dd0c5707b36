// LogStore: the structured event log in logs.db that the console's Logs page
// and `mailroomctl logs` read. Batched appends, newest-first queries paged by
// id, pruning by age and by size. Trust level: internal (event fields were
// masked by the EventBus before they got here).
#pragma once

#include <optional>

#include <QDateTime>
#include <QList>
#include <QVariantMap>

#include "base/events.h"
#include "base/result.h"

namespace mailroom::store
{

class Database;

struct LogQuery {
    std::optional<Severity> minLevel;
    QString module;
    QString text; // substring of the text
    QDateTime since, until;
    qint64 beforeId = 0; // paging: only rows older than this id
    int limit = 200;
};

struct LogRow {
    qint64 id = 0;
    QDateTime time;
    Severity level = Severity::Info;
    QString module;
    QString event;
    QString text;
    QVariantMap fields;
};

class LogStore
{
public:
    explicit LogStore(Database &db);
    // Stores events in one transaction; returns their ids, in order.
    Result<QList<qint64>> append(const QList<Event> &events);
    Result<QList<LogRow>> query(const LogQuery &q);
    Status prune(int retentionDays, qint64 maxBytes);
    Result<qint64> count();

private:
    Database &m_db;
};

} // namespace mailroom::store
