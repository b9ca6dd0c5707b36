// Settings of outbound SMTP delivery (delivery.* and relay.* in
// config/settingdefs.cpp), filled in by main and changed at run time through
// RemoteDelivery::setOptions. RFC 5321 §4.5.3.2 (timeouts), RFC 3207, RFC 4954.
// Trust level: internal (admin settings); relayPassword is a secret: never
// logged, sent only over TLS unless relayTls is None.
#pragma once

#include <QSslConfiguration>
#include <QString>

namespace mailroom::delivery
{

struct RemoteOptions {
    QString heloName; // our host name for EHLO
    quint16 port = 25; // delivery.port: port of MX hosts (tests use a high port)
    int connectTimeoutSecs = 30;
    int commandTimeoutSecs = 300;
    int dataTimeoutSecs = 600;
    int maxConnectionsPerDomain = 5;
    QString relayHost; // relay.host: "host", "host:port" or "[v6]:port"; empty delivers by MX
    quint16 relayPort = 587;
    enum class RelayTls { None, StartTls, Implicit } relayTls = RelayTls::StartTls;
    QString relayUsername; // empty: no AUTH
    QString relayPassword;
    // Client configuration; peer verification is done by us (the result is
    // logged), so the socket runs with QueryPeer whatever this says.
    QSslConfiguration tls;
};

} // namespace mailroom::delivery
