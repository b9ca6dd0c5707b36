// LogPipeline: takes every event from the EventBus, drops those below
// log.level, writes them to the text log (and stderr in the foreground) and
// hands them in batches to the structured sink (logs.db, wired by main) from
// its own thread, so no session or handler waits for log I/O. It also prunes
// logs.db by age and size every hour. Trust level: internal.
#pragma once

#include <functional>
#include <memory>

#include <QList>
#include <QObject>
#include <QThread>
#include <QTimer>

#include "base/events.h"
#include "base/result.h"

namespace mailroom::config
{
class Settings;
}

namespace mailroom::telemetry
{

class TextLog;

class LogPipeline : public QObject
{
    Q_OBJECT
public:
    // Stores a batch; returns the id each event got, in order.
    using BatchSink = std::function<Result<QList<qint64>>(const QList<Event> &)>;
    using Pruner = std::function<Status(int retentionDays, qint64 maxBytes)>;

    LogPipeline(EventBus &bus, config::Settings &settings, const QString &textLogPath, QObject *parent = nullptr);
    ~LogPipeline() override;

    void setSinks(BatchSink batchSink, Pruner pruner); // before start()
    void start();
    void stop(); // flushes what is queued, then stops the thread
    // Stores what is queued now and returns when it is stored (shutdown).
    void flush();

    static QString formatLine(const Event &e);

Q_SIGNALS:
    // A batch was stored (emitted from the log thread): what live views show,
    // with the ids that logs.query pages by.
    void stored(const QList<mailroom::Event> &events, const QList<qint64> &ids);

private:
    class Worker;
    EventBus &m_bus;
    config::Settings &m_settings;
    std::unique_ptr<TextLog> m_text;
    QThread m_thread;
    Worker *m_worker = nullptr;
    BatchSink m_batchSink;
    Pruner m_pruner;
};

} // namespace mailroom::telemetry
