#include "net/tlsstart.h"

#include <QSslSocket>

#include "net/clienthello.h"
#include "net/tlscontext.h"

namespace mailroom::net
{

namespace
{
// True once the handshake was started.
bool tryStart(QSslSocket *socket, const TlsContext &tls)
{
    // peek() on a socket not yet encrypted leaves the bytes for the
    // handshake to read.
    const QByteArray head = socket->peek(kMaxClientHello);
    QString name;
    if (parseClientHello(head, &name) == HelloState::NeedMore && head.size() < kMaxClientHello)
        return false;
    socket->setSslConfiguration(tls.serverConfiguration(name));
    socket->startServerEncryption();
    return true;
}
} // namespace

void startServerTls(QSslSocket *socket, const TlsContext &tls)
{
    if (tryStart(socket, tls))
        return;
    // A child of the socket: gone with it if the client leaves first.
    auto *waiter = new QObject(socket);
    QObject::connect(socket, &QSslSocket::readyRead, waiter, [socket, &tls, waiter] {
        if (!tryStart(socket, tls))
            return;
        QObject::disconnect(socket, nullptr, waiter, nullptr);
        waiter->deleteLater();
    });
}

} // namespace mailroom::net
