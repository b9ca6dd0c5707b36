// The event catalog and bus: every event has a name, module and text; secret
// fields are masked before any receiver sees them.
#include <QSignalSpy>
#include <QTest>

#include "base/events.h"

using namespace mailroom;

class TestEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void catalogIsComplete();
    void textFillsFields();
    void secretsAreMasked();
};

void TestEvents::catalogIsComplete()
{
    QSet<QByteArray> names;
    for (int i = 0; i < int(EventId::Count_); ++i) {
        const EventType &t = eventType(EventId(i));
        QCOMPARE(int(t.id), i);
        QVERIFY(t.name && *t.name && t.module && *t.module && t.format && *t.format);
        QVERIFY2(!names.contains(t.name), t.name);
        names.insert(t.name);
    }
}

void TestEvents::textFillsFields()
{
    Event e;
    e.id = EventId::UserAdded;
    e.fields = { { QStringLiteral("user"), QStringLiteral("ann@example.com") } };
    QCOMPARE(e.text(), QStringLiteral("user ann@example.com added"));
}

void TestEvents::secretsAreMasked()
{
    EventBus bus;
    QSignalSpy spy(&bus, &EventBus::eventRaised);
    bus.raise(EventId::AdminRequestFailed,
        { { QStringLiteral("method"), QStringLiteral("users.add") },
            { QStringLiteral("password"), QStringLiteral("hunter2hunter2") },
            { QStringLiteral("authToken"), QStringLiteral("abc") } });
    QCOMPARE(spy.count(), 1);
    const auto e = spy.first().first().value<Event>();
    QCOMPARE(e.fields.value(QStringLiteral("password")).toString(), QStringLiteral("********"));
    QCOMPARE(e.fields.value(QStringLiteral("authToken")).toString(), QStringLiteral("********"));
    QCOMPARE(e.fields.value(QStringLiteral("method")).toString(), QStringLiteral("users.add"));
    QVERIFY(e.time.isValid());
}

QTEST_GUILESS_MAIN(TestEvents)
#include "tst_events.moc"
