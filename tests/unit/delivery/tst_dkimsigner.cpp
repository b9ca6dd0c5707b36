// The spool's DKIM signer: which envelopes count as outgoing (engine
// reports, submission, logged-in users, trusted networks; never plain port
// 25), the From domain it signs for (or the closest parent with keys), dual
// RSA + Ed25519 signatures that our own verifier accepts, reload after a
// change, and an unreadable key that leaves the message unsigned.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "base/events.h"
#include "config/settings.h"
#include "delivery/dkim/dkimsigner.h"
#include "mailauth/dkim.h"
#include "store/directory.h"
#include "store/dkimkeys.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::delivery;

class TestDkimSigner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outgoingEnvelopes();
    void fromDomain();
    void signsWithBothKeysAndVerifies();
    void parentDomainAndOthers();
    void loggedInUserSignsOnlyOwnDomains();
};

namespace
{
class TxtTable : public mailauth::Lookup
{
public:
    QHash<QString, QByteArray> records;
    void txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done) override
    {
        dns::Reply<QByteArray> r;
        r.rcode = records.contains(name.toLower()) ? dns::Rcode::Ok : dns::Rcode::NxDomain;
        if (r.rcode == dns::Rcode::Ok)
            r.records.append(records.value(name.toLower()));
        QTimer::singleShot(0, [done, r] { done(r); });
    }
    void a(const QString &, std::function<void(const dns::Reply<QHostAddress> &)>) override
    {
    }
    void aaaa(const QString &, std::function<void(const dns::Reply<QHostAddress> &)>) override
    {
    }
    void mx(const QString &, std::function<void(const dns::Reply<dns::MxRecord> &)>) override
    {
    }
    void ptr(const QHostAddress &, std::function<void(const dns::Reply<QString> &)>) override
    {
    }
};

queue::Envelope envelope(
    const char *service, const char *authUser = "", const char *client = "192.0.2.7", const char *sender = "")
{
    queue::Envelope e;
    e.service = QLatin1String(service);
    e.authUser = QLatin1String(authUser);
    e.clientAddress = QLatin1String(client);
    e.sender = QLatin1String(sender);
    return e;
}

const QByteArray message = QByteArrayLiteral("Received: from laptop by mx.example.com\r\n"
                                             "From: Ann <ann@Example.COM>\r\nTo: dave@remote.test\r\n"
                                             "Subject: hello\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n"
                                             "Hello out there.\r\n");

struct World {
    QTemporaryDir dir;
    std::unique_ptr<store::Store> store;
    config::Settings settings;
    EventBus bus;
    TxtTable dns;

    bool addKey(const char *domain, const char *selector, mailauth::DkimKeyType type)
    {
        auto key = mailauth::generateDkimKey(type, QLatin1String(domain), QLatin1String(selector));
        if (!key)
            return false;
        const QByteArray record = mailauth::dkimDnsRecord(*key);
        dns.records.insert(mailauth::dkimKeyName(*key), record);
        const QString algorithm
            = type == mailauth::DkimKeyType::Ed25519 ? QStringLiteral("ed25519-sha256") : QStringLiteral("rsa-sha256");
        return store->dkimKeys().add(key->domain, key->selector, algorithm, record, key->privatePem).ok()
            && store->dkimKeys().activate(key->domain, key->selector).ok();
    }
};

std::unique_ptr<World> world()
{
    auto w = std::make_unique<World>();
    auto s = store::Store::open(w->dir.path(), nullptr);
    if (!s)
        return nullptr;
    w->store = std::move(s).value();
    if (!w->store->directory().addDomain(QStringLiteral("example.com"), {}))
        return nullptr;
    return w;
}
} // namespace

void TestDkimSigner::outgoingEnvelopes()
{
    const QString trusted = QStringLiteral("10.0.0.0/8, 2001:db8::/32");
    QVERIFY(DkimSigner::isOutgoing(envelope("dsn", "", ""), trusted));
    QVERIFY(DkimSigner::isOutgoing(envelope("submission"), trusted));
    QVERIFY(DkimSigner::isOutgoing(envelope("smtps"), trusted));
    QVERIFY(DkimSigner::isOutgoing(envelope("smtp", "ann@example.com"), trusted));
    QVERIFY(DkimSigner::isOutgoing(envelope("smtp", "", "10.1.2.3"), trusted));
    QVERIFY(DkimSigner::isOutgoing(envelope("smtp", "", "2001:db8::5"), trusted));
    QVERIFY(!DkimSigner::isOutgoing(envelope("smtp"), trusted));
    QVERIFY(!DkimSigner::isOutgoing(envelope("smtp", "", "11.1.2.3"), trusted));
    QVERIFY(!DkimSigner::isOutgoing(envelope("smtp", "", "10.1.2.3"), QString()));
}

void TestDkimSigner::fromDomain()
{
    QCOMPARE(DkimSigner::fromDomain(message), QStringLiteral("example.com"));
    QCOMPARE(DkimSigner::fromDomain("From: a@b.example, c@d.example\r\n\r\nx"), QStringLiteral("b.example"));
    QCOMPARE(DkimSigner::fromDomain("From: \"x\" <a@b\xc3\xbc.example>\r\n\r\nx"), QStringLiteral("xn--b-eha.example"));
    QCOMPARE(DkimSigner::fromDomain("To: a@b.example\r\n\r\nx"), QString());
    QCOMPARE(DkimSigner::fromDomain("From: undisclosed\r\n\r\nx"), QString());
}

void TestDkimSigner::signsWithBothKeysAndVerifies()
{
    auto w = world();
    QVERIFY(w);
    DkimSigner signer(*w->store, w->settings, w->bus);
    QVERIFY(signer.reload().ok());
    QVERIFY(signer.signatures(envelope("submission"), message).isEmpty());
    QVERIFY(w->addKey("example.com", "rsa1", mailauth::DkimKeyType::Rsa2048));
    QVERIFY(w->addKey("example.com", "ed1", mailauth::DkimKeyType::Ed25519));
    QVERIFY(signer.signatures(envelope("submission"), message).isEmpty()); // not reloaded yet
    QVERIFY(signer.reload().ok());
    QCOMPARE(signer.keyCount(), 2);

    QVERIFY(signer.signatures(envelope("smtp"), message).isEmpty());
    const QByteArray fields = signer.signatures(envelope("submission"), message);
    QCOMPARE(fields.count("DKIM-Signature:"), 2);
    QVERIFY(fields.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;"));
    QVERIFY(fields.contains("a=ed25519-sha256"));
    QVERIFY(fields.contains(" t="));
    QVERIFY(fields.endsWith("\r\n"));

    bool done = false;
    mailauth::DkimVerification result;
    mailauth::verifyDkim(w->dns, fields + message, [&](const mailauth::DkimVerification &v) {
        result = v;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(result.signatures.size(), 2);
    for (const auto &s : std::as_const(result.signatures)) {
        QCOMPARE(s.result, mailauth::DkimResult::Pass);
        QCOMPARE(s.domain, QStringLiteral("example.com"));
    }

    // A deleted key is gone after the reload.
    QVERIFY(w->store->dkimKeys().remove(QStringLiteral("example.com"), QStringLiteral("ed1"), true).ok());
    QVERIFY(signer.reload().ok());
    QCOMPARE(signer.signatures(envelope("dsn"), message).count("DKIM-Signature:"), 1);
}

void TestDkimSigner::parentDomainAndOthers()
{
    auto w = world();
    QVERIFY(w);
    QVERIFY(w->addKey("example.com", "ed1", mailauth::DkimKeyType::Ed25519));
    DkimSigner signer(*w->store, w->settings, w->bus);
    QVERIFY(signer.reload().ok());
    const QByteArray report = "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\nTo: ann@example.com\r\n"
                              "Subject: Undelivered Mail\r\n\r\nSorry.\r\n";
    const QByteArray fields = signer.signatures(envelope("dsn", "", ""), report);
    QCOMPARE(fields.count("DKIM-Signature:"), 1);
    QVERIFY(fields.contains("d=example.com;"));
    const QByteArray other = "From: x@notexample.com\r\n\r\nx\r\n";
    QVERIFY(signer.signatures(envelope("submission"), other).isEmpty());
    const QByteArray tld = "From: x@com\r\n\r\nx\r\n";
    QVERIFY(signer.signatures(envelope("submission"), tld).isEmpty());
    // Two From fields cannot be signed: nothing, and the message goes as it is.
    const QByteArray twoFrom = "From: a@example.com\r\nFrom: b@example.com\r\n\r\nx\r\n";
    QVERIFY(signer.signatures(envelope("submission"), twoFrom).isEmpty());
}

void TestDkimSigner::loggedInUserSignsOnlyOwnDomains()
{
    auto w = world();
    QVERIFY(w);
    QVERIFY(w->store->directory().addDomain(QStringLiteral("other.example"), {}));
    QVERIFY(w->addKey("example.com", "ed1", mailauth::DkimKeyType::Ed25519));
    QVERIFY(w->addKey("other.example", "ed1", mailauth::DkimKeyType::Ed25519));
    DkimSigner signer(*w->store, w->settings, w->bus);
    QVERIFY(signer.reload().ok());
    QSignalSpy events(&w->bus, &EventBus::eventRaised);
    const auto ann = envelope("submission", "ann@example.com", "192.0.2.7", "ann@example.com");
    auto from = [](const char *address) -> QByteArray {
        return QByteArray("From: ") + address + "\r\nTo: dave@remote.test\r\nSubject: hi\r\n\r\nHello.\r\n";
    };

    QVERIFY(signer.signatures(ann, from("ann@example.com")).contains("d=example.com;"));
    QVERIFY(signer.signatures(ann, from("news@lists.example.com")).contains("d=example.com;"));
    QVERIFY(events.isEmpty());
    // Another local domain's key is not hers to use.
    QVERIFY(signer.signatures(ann, from("boss@other.example")).isEmpty());
    QCOMPARE(events.size(), 1);
    const auto refused = events.at(0).at(0).value<Event>();
    QCOMPARE(refused.id, EventId::DkimSignRefused);
    QCOMPARE(refused.text(),
        QStringLiteral("did not DKIM-sign a message from ann@example.com: its From domain other.example is not one "
                       "of the user's"));
    // A domain without keys is no refusal, just nothing to sign with.
    QVERIFY(signer.signatures(ann, from("x@remote.test")).isEmpty());
    QCOMPARE(events.size(), 1);
    // An envelope sender she was allowed to use (an alias) carries its domain.
    const auto alias = envelope("submission", "ann@example.com", "192.0.2.7", "sales@other.example");
    QVERIFY(signer.signatures(alias, from("sales@other.example")).contains("d=other.example;"));
    // Engine reports are not limited by a login.
    QVERIFY(!signer.signatures(envelope("dsn", "", ""), from("MAILER-DAEMON@other.example")).isEmpty());
}

QTEST_GUILESS_MAIN(TestDkimSigner)
#include "tst_dkimsigner.moc"
