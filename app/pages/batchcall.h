// BatchCall: one admin method applied to many ids, sent in parts so that a
// selection of 100,000 stays within the engine's per-call limit and the
// window keeps answering. One part is open at a time; the integer fields of
// the answers are added up and their "missing" lists joined. It can be
// cancelled between parts: the part the engine is working on is waited for,
// so what the result says was done is what the engine did.
// Trust level: local admin's input, sent to the local engine.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::console
{

struct BatchResult {
    qsizetype total = 0; // ids asked for
    qsizetype done = 0; // ids sent and answered
    QHash<QString, qint64> counts; // integer result fields, added up
    QStringList missing; // the answers' "missing" ids
    QString error; // the engine's sentence when a part failed
    bool cancelled = false;

    qint64 count(const QString &field) const
    {
        return counts.value(field);
    }
};

class BatchCall : public QObject
{
    Q_OBJECT
public:
    // Sends {idsKey: [part], ...params} to method, part ids at a time.
    BatchCall(adminclient::AdminClient &client,
        QString method,
        QString idsKey,
        QStringList ids,
        QJsonObject params,
        qsizetype part,
        QObject *parent = nullptr);
    ~BatchCall() override;

    void start();
    // Stops after the part the engine is working on; finished() follows.
    void cancel();
    bool isCancelling() const
    {
        return m_result.cancelled;
    }
    const BatchResult &result() const
    {
        return m_result;
    }

Q_SIGNALS:
    void progress(qsizetype done, qsizetype total);
    void finished(const mailroom::console::BatchResult &result);

private:
    void sendNext();
    void finish();

    adminclient::AdminClient &m_client;
    QString m_method;
    QString m_idsKey;
    QStringList m_ids;
    QJsonObject m_params;
    qsizetype m_part;
    BatchResult m_result;
    qint64 m_call = 0;
    bool m_finished = false;
};

} // namespace mailroom::console
