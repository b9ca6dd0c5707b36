#include "telemetry/logpipeline.h"

#include <cstdio>

#include <QJsonDocument>
#include <QJsonObject>

#include "config/settings.h"
#include "telemetry/logging.h"
#include "telemetry/textlog.h"

namespace mailroom::telemetry
{

namespace
{
constexpr int kFlushMs = 200;
constexpr int kMaxBatch = 2000;
constexpr int kMaxQueued = 100000; // beyond this, events are counted and dropped
constexpr int kPruneMs = 3600 * 1000;
} // namespace

class LogPipeline::Worker : public QObject
{
public:
    Worker(LogPipeline &owner)
        : m_owner(owner)
    {
    }

    void init()
    {
        m_flush = new QTimer(this);
        m_flush->setInterval(kFlushMs);
        connect(m_flush, &QTimer::timeout, this, [this] { flush(); });
        m_flush->start();
        m_prune = new QTimer(this);
        m_prune->setInterval(kPruneMs);
        connect(m_prune, &QTimer::timeout, this, [this] { prune(); });
        m_prune->start();
        prune();
    }

    void take(const Event &e)
    {
        if (m_queue.size() >= kMaxQueued) {
            ++m_dropped;
            return;
        }
        m_queue.append(e);
        if (m_queue.size() >= kMaxBatch)
            flush();
    }

    void flush()
    {
        if (m_dropped) {
            qCWarning(lcTelemetry) << "dropped" << m_dropped << "log events: the log could not keep up";
            m_dropped = 0;
        }
        if (m_queue.isEmpty() || !m_owner.m_batchSink)
            return;
        const QList<Event> batch = std::exchange(m_queue, {});
        const auto ids = m_owner.m_batchSink(batch);
        if (!ids) {
            qCWarning(lcTelemetry).noquote()
                << "could not store" << batch.size() << "log events:" << ids.error().message;
            return;
        }
        Q_EMIT m_owner.stored(batch, *ids);
    }

    void prune()
    {
        if (!m_owner.m_pruner)
            return;
        const auto &settings = m_owner.m_settings;
        const Status s = m_owner.m_pruner(int(settings.intValue(QStringLiteral("log.retention_days"))),
            settings.intValue(QStringLiteral("log.db_max_mb")) * 1024 * 1024);
        if (!s)
            qCWarning(lcTelemetry).noquote() << "could not prune logs.db:" << s.error().message;
    }

    void shutdown()
    {
        flush();
        m_flush->stop();
        m_prune->stop();
    }

private:
    LogPipeline &m_owner;
    QList<Event> m_queue;
    qint64 m_dropped = 0;
    QTimer *m_flush = nullptr;
    QTimer *m_prune = nullptr;
};

LogPipeline::LogPipeline(EventBus &bus, config::Settings &settings, const QString &textLogPath, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_settings(settings)
    , m_text(std::make_unique<TextLog>(textLogPath,
          settings.intValue(QStringLiteral("log.file_max_mb")) * 1024 * 1024,
          int(settings.intValue(QStringLiteral("log.file_keep")))))
{
    m_thread.setObjectName(QStringLiteral("telemetry"));
    qRegisterMetaType<QList<mailroom::Event>>();
    qRegisterMetaType<QList<qint64>>();
}

LogPipeline::~LogPipeline()
{
    stop();
}

void LogPipeline::setSinks(BatchSink batchSink, Pruner pruner)
{
    m_batchSink = std::move(batchSink);
    m_pruner = std::move(pruner);
}

QString LogPipeline::formatLine(const Event &e)
{
    const EventType &t = e.type();
    return e.time.toString(Qt::ISODateWithMs) + u' ' + QString::fromLatin1(severityName(t.severity)).leftJustified(8)
        + QLatin1String(t.module) + u' ' + QLatin1String(t.name) + QStringLiteral(": ") + e.text();
}

void LogPipeline::start()
{
    if (!m_text->open())
        qCWarning(lcTelemetry).noquote() << "cannot open the text log" << m_text->path();
    m_worker = new Worker(*this);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->init(); });

    connect(&m_settings, &config::Settings::changed, this, [this](const QString &name) {
        if (name.startsWith(u"log.file_"))
            m_text->setLimits(m_settings.intValue(QStringLiteral("log.file_max_mb")) * 1024 * 1024,
                int(m_settings.intValue(QStringLiteral("log.file_keep"))));
    });
    // Direct: runs in the raising thread; filtering and the text line are
    // cheap, and the batch goes to the worker's queue.
    connect(
        &m_bus, &EventBus::eventRaised, this,
        [this](const Event &e) {
            const auto min = severityFromName(m_settings.stringValue(QStringLiteral("log.level")));
            if (min && e.type().severity < *min)
                return;
            const QString line = formatLine(e);
            m_text->write(line);
            if (m_settings.boolValue(QStringLiteral("log.stderr")))
                std::fprintf(stderr, "%s\n", line.toLocal8Bit().constData());
            QMetaObject::invokeMethod(m_worker, [w = m_worker, e] { w->take(e); });
        },
        Qt::DirectConnection);
}

void LogPipeline::flush()
{
    if (!m_thread.isRunning() || !m_worker)
        return;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->flush(); }, Qt::BlockingQueuedConnection);
}

void LogPipeline::stop()
{
    if (!m_thread.isRunning())
        return;
    disconnect(&m_bus, nullptr, this, nullptr);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace mailroom::telemetry
