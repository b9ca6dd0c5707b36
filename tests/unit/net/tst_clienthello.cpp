// ClientHello peeking: the server name from a real ClientHello made by Qt's
// own TLS client (OpenSSL), fed whole and byte by byte; plain text, other
// record types and damaged lengths are told apart without reading out of
// bounds.
#include <QDeadlineTimer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>

#include "net/clienthello.h"

using namespace mailroom::net;

class TestClientHello : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realHelloWithName();
    void realHelloWithoutName();
    void notTls();
    void damaged();

private:
    // The first bytes a TLS client sends, asking for peerName (none if empty).
    static QByteArray helloFor(const QString &peerName);
};

QByteArray TestClientHello::helloFor(const QString &peerName)
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return {};
    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyNone);
    // An address as the host sends no SNI; the peer name is what is asked for.
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(), peerName);
    // Both ends live on this thread: let the event loop run for them.
    QTcpSocket *accepted = nullptr;
    QByteArray bytes;
    QDeadlineTimer deadline(10000);
    // Until the first record is in (its length is in bytes 3-4).
    while (!deadline.hasExpired()
        && (bytes.size() < 5 || bytes.size() < 5 + ((quint8(bytes[3]) << 8) | quint8(bytes[4])))) {
        QTest::qWait(5);
        if (!accepted)
            accepted = server.nextPendingConnection();
        if (accepted)
            bytes += accepted->readAll();
    }
    client.abort();
    return bytes;
}

void TestClientHello::realHelloWithName()
{
    const QByteArray hello = helloFor(QStringLiteral("Mail.Example.ORG"));
    QVERIFY(hello.size() > 50);
    QString name;
    QCOMPARE(parseClientHello(hello, &name), HelloState::Complete);
    QCOMPARE(name, QStringLiteral("mail.example.org"));
    // Byte by byte: more is needed until the whole record is in.
    for (qsizetype n = 0; n < hello.size(); ++n) {
        QString partial = QStringLiteral("stale");
        QCOMPARE(parseClientHello(QByteArrayView(hello).first(n), &partial), HelloState::NeedMore);
        QVERIFY(partial.isEmpty());
    }
}

void TestClientHello::realHelloWithoutName()
{
    const QByteArray hello = helloFor(QString());
    QVERIFY(hello.size() > 50);
    QString name = QStringLiteral("stale");
    QCOMPARE(parseClientHello(hello, &name), HelloState::Complete);
    QVERIFY(name.isEmpty());
}

void TestClientHello::notTls()
{
    QString name;
    QCOMPARE(parseClientHello("EHLO client.example\r\n", &name), HelloState::NotHello);
    QCOMPARE(parseClientHello("a1 LOGIN x y\r\n", &name), HelloState::NotHello);
    QCOMPARE(parseClientHello("E", &name), HelloState::NotHello);
    QCOMPARE(parseClientHello({}, &name), HelloState::NeedMore);
    // An alert record, and a handshake record that is not a ClientHello.
    QCOMPARE(parseClientHello(QByteArray::fromHex("15030300020228"), &name), HelloState::NotHello);
    QCOMPARE(parseClientHello(QByteArray::fromHex("160303000402000000"), &name), HelloState::NotHello);
}

void TestClientHello::damaged()
{
    const QByteArray hello = helloFor(QStringLiteral("mail.example.org"));
    QVERIFY(hello.size() > 50);
    QString name;
    // A record longer than TLS allows.
    QByteArray big = hello;
    big[3] = char(0x48);
    QCOMPARE(parseClientHello(big, &name), HelloState::NotHello);
    // Every byte of the hello's body flipped in turn: never a crash or an
    // overread (ASan), and the answer is one of the three states.
    for (qsizetype i = 5; i < hello.size(); ++i) {
        QByteArray bad = hello;
        bad[i] = char(~quint8(bad[i]));
        const HelloState s = parseClientHello(bad, &name);
        QVERIFY(s == HelloState::Complete || s == HelloState::NotHello);
        QVERIFY(name.size() <= 253);
    }
    // A name with characters no host name has is not taken.
    QByteArray odd = helloFor(QStringLiteral("mail.example.org"));
    const qsizetype at = odd.indexOf("mail.example.org");
    QVERIFY(at > 0);
    odd[at + 4] = '/';
    QCOMPARE(parseClientHello(odd, &name), HelloState::Complete);
    QVERIFY(name.isEmpty());
}

QTEST_GUILESS_MAIN(TestClientHello)
#include "tst_clienthello.moc"
