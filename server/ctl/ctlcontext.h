// CtlContext: one mailroomctl run: its arguments, output mode and a blocking
// wrapper around AdminClient. Blocking is right here: a command-line tool
// waits for its answer (the engine never does, STYLE rule 13).
#pragma once

#include <QJsonObject>
#include <QStringList>

#include "adminclient/adminclient.h"

namespace mailroom::ctl
{

namespace exitcode
{
constexpr int Ok = 0;
constexpr int Failed = 1; // the engine refused or failed the request
constexpr int Usage = 2;
constexpr int Unavailable = 69; // engine not reachable or another protocol version
} // namespace exitcode

// Thrown by commands; main turns it into a message and an exit code.
struct CtlError {
    int exitCode;
    QString message;
};

class CtlContext
{
public:
    CtlContext(QString socketPath, bool json);
    void connect(); // throws CtlError
    // Sends one request and waits; throws CtlError on any failure.
    QJsonObject call(const QString &method, const QJsonObject &params = {});
    // Fetches every page of a *.list method.
    QJsonArray listAll(const QString &method, QJsonObject params);
    adminclient::AdminClient &client()
    {
        return m_client;
    }
    bool json() const
    {
        return m_json;
    }

    QStringList args; // positional arguments after the verb
    QHash<QString, QString> options; // --name value / --flag ("")
    bool has(const QString &option) const
    {
        return options.contains(option);
    }
    QString option(const QString &name, const QString &fallback = {}) const
    {
        return options.value(name, fallback);
    }
    QString arg(int i, const char *what) const; // throws usage error when missing

private:
    adminclient::AdminClient m_client;
    QString m_socketPath;
    bool m_json;
};

} // namespace mailroom::ctl
