// Dispatcher: the table of admin methods and the one place where a request
// becomes a reply. It validates parameters against the schema, asserts the
// method's permission, runs the handler on the admin worker thread (handlers
// touch SQLite and hash passwords, which must not stall the event loop), and
// converts an AdminError, or any other exception, into an error reply.
// Trust level: local admins.
#pragma once

#include <functional>

#include <QJsonObject>
#include <QObject>
#include <QThreadPool>

#include "admin/requestcontext.h"
#include "adminproto/protocol.h"

namespace mailroom::admin
{

using Handler = QJsonValue (*)(const RequestContext &ctx, const QJsonObject &params);

struct HandlerEntry {
    const char *method;
    Handler handler;
    // non-null: a success is pushed as directory.changed ("queue": as
    // queue.changed, to queue subscribers only)
    const char *changeArea;
};

struct Outcome {
    QJsonObject reply; // result or error message, ready to frame
    // non-empty: {area, action, name} to push to every client, or
    // {area: "queue", queueIds} for queue subscribers
    QJsonObject change;
};

class Dispatcher : public QObject
{
    Q_OBJECT
public:
    Dispatcher(const Services &services, QObject *parent = nullptr);
    ~Dispatcher() override;

    // Runs the request; done is called on the caller's thread (via context).
    void dispatch(const adminproto::Request &request,
        const Peer &peer,
        QObject *context,
        std::function<void(const Outcome &)> done);

    // Synchronous form, for tests and for the worker itself.
    Outcome run(const adminproto::Request &request, const Peer &peer) const;

    static const QList<HandlerEntry> &table();

private:
    const Services &m_services;
    QThreadPool m_pool;
};

} // namespace mailroom::admin
