// Turns SIGTERM, SIGINT and SIGHUP into Qt signals on the main thread (the
// self-pipe trick: the handler only writes one byte). Trust level: internal.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace mailroom
{

class UnixSignals : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;
    bool install();

Q_SIGNALS:
    void terminateRequested(const QString &signalName);
    void reloadRequested();

private:
    void onReadable();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace mailroom
