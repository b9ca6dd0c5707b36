// The DATA reader: dot-stuffing removed, the end only at <CRLF>.<CRLF>, bare
// CR or LF marked (and never an end), the size bound, pipelined bytes left
// over, and the same result however the bytes are split into reads.
#include <QRandomGenerator>
#include <QTest>

#include "smtp/datareader.h"

using namespace mailroom::smtp;

namespace
{
struct Outcome {
    bool finished = false;
    bool bare = false;
    bool tooBig = false;
    qint64 received = 0;
    QByteArray message;
    QByteArray rest;

    bool operator==(const Outcome &o) const
    {
        return finished == o.finished && bare == o.bare && tooBig == o.tooBig && received == o.received
            && message == o.message && rest == o.rest;
    }
};

// Feeds the bytes in pieces of the given sizes (the last piece takes the
// rest), the way a socket hands them over.
Outcome read(const QByteArray &bytes, qint64 max, const QList<qsizetype> &pieces = {})
{
    DataReader r(max);
    QByteArray pending;
    qsizetype at = 0;
    for (qsizetype i = 0; at < bytes.size(); ++i) {
        const qsizetype take = i < pieces.size() ? pieces[i] : bytes.size() - at;
        pending += bytes.mid(at, take);
        at += take;
        if (r.feed(pending))
            break;
    }
    Outcome o;
    o.finished = r.finished();
    o.bare = r.bareLineEnding();
    o.tooBig = r.tooBig();
    o.received = r.received();
    o.message = r.message();
    o.rest = pending + bytes.mid(at);
    return o;
}
} // namespace

class TestDataReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainMessage();
    void dotStuffingIsRemoved();
    void endNeedsProperLineEnds_data();
    void endNeedsProperLineEnds();
    void sizeBoundKeepsReading();
    void pipelinedBytesStay();
    void anySplitGivesTheSameResult();
};

void TestDataReader::plainMessage()
{
    const Outcome o = read("Subject: hi\r\n\r\nHello there.\r\n.\r\n", 1000);
    QVERIFY(o.finished);
    QVERIFY(!o.bare);
    QCOMPARE(o.message, QByteArray("Subject: hi\r\n\r\nHello there.\r\n"));
    QCOMPARE(o.received, o.message.size());
}

void TestDataReader::dotStuffingIsRemoved()
{
    const Outcome o = read("a\r\n..b\r\n...\r\n.c\r\n.\r\n", 1000);
    QVERIFY(o.finished);
    QCOMPARE(o.message, QByteArray("a\r\n.b\r\n..\r\nc\r\n"));
}

void TestDataReader::endNeedsProperLineEnds_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("stored");
    // Each is followed by a proper end; none of them may end the data early.
    QTest::newRow("LF.LF") << QByteArray("a\n.\nb\r\n") << QByteArray("a\r\n.\r\nb\r\n");
    QTest::newRow("CR.CR") << QByteArray("a\r.\rb\r\n") << QByteArray("a\r.\rb\r\n");
    QTest::newRow("LF.CRLF") << QByteArray("a\n.\r\nb\r\n") << QByteArray("a\r\n.\r\nb\r\n");
    QTest::newRow("CRLF.LF") << QByteArray("a\r\n.\nb\r\n") << QByteArray("a\r\n.\r\nb\r\n");
    QTest::newRow("bare CR in a line") << QByteArray("a\rb\r\n") << QByteArray("a\rb\r\n");
}

void TestDataReader::endNeedsProperLineEnds()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, stored);
    const Outcome o = read(data + ".\r\n", 1000);
    QVERIFY(o.finished);
    QVERIFY(o.bare);
    QCOMPARE(o.message, stored);
}

void TestDataReader::sizeBoundKeepsReading()
{
    const QByteArray line = QByteArray(70, 'x') + "\r\n";
    const Outcome o = read(line.repeated(10) + ".\r\nQUIT\r\n", 100);
    QVERIFY(o.finished);
    QVERIFY(o.tooBig);
    QCOMPARE(o.received, line.size() * 10);
    QCOMPARE(o.message, line.repeated(10).left(100));
    QCOMPARE(o.rest, QByteArray("QUIT\r\n"));
}

void TestDataReader::pipelinedBytesStay()
{
    const Outcome o = read("x\r\n.\r\nMAIL FROM:<a@b>\r\n", 1000);
    QVERIFY(o.finished);
    QCOMPARE(o.message, QByteArray("x\r\n"));
    QCOMPARE(o.rest, QByteArray("MAIL FROM:<a@b>\r\n"));
}

void TestDataReader::anySplitGivesTheSameResult()
{
    // Lines of random text with dots, CRs and LFs in awkward places.
    auto *rng = QRandomGenerator::global();
    const char alphabet[] = "ab.\r\n";
    for (int round = 0; round < 200; ++round) {
        QByteArray bytes;
        const int length = int(rng->bounded(1, 120));
        for (int i = 0; i < length; ++i)
            bytes += alphabet[rng->bounded(int(sizeof alphabet - 1))];
        bytes += "\r\n.\r\nNOOP\r\n";
        const qint64 max = rng->bounded(2) ? 1000 : rng->bounded(1, 60);
        const Outcome whole = read(bytes, max);
        QVERIFY(whole.finished);
        // Byte by byte, and in random pieces.
        QList<qsizetype> ones(bytes.size(), 1);
        QVERIFY2(read(bytes, max, ones) == whole, bytes.toPercentEncoding().constData());
        QList<qsizetype> pieces;
        for (qsizetype left = bytes.size(); left > 0;) {
            const qsizetype take = qMin(left, qsizetype(rng->bounded(1, 9)));
            pieces << take;
            left -= take;
        }
        QVERIFY2(read(bytes, max, pieces) == whole, bytes.toPercentEncoding().constData());
    }
}

QTEST_APPLESS_MAIN(TestDataReader)
#include "tst_datareader.moc"
