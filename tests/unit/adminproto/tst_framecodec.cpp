// Admin frame decoding: whole, byte by byte, several frames in one read,
// oversized headers, malformed JSON, non-objects, and request checks
// (version, id, method, params).
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QtEndian>

#include "adminproto/framecodec.h"
#include "adminproto/protocol.h"

using namespace mailroom::adminproto;

class TestFrameCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeFrame();
    void byteByByte();
    void severalFramesInOneRead();
    void oversizedHeaderIsRefusedBeforeBuffering();
    void malformed_data();
    void malformed();
    void stopsAfterError();
    void requestChecks_data();
    void requestChecks();
    void wrongVersion();
};

static QByteArray rawFrame(const QByteArray &body)
{
    QByteArray f(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(body.size()), f.data());
    return f + body;
}

void TestFrameCodec::wholeFrame()
{
    const QJsonObject msg = makeRequest(
        7, QStringLiteral("users.add"), { { QStringLiteral("address"), QStringLiteral("ann@example.com") } });
    FrameDecoder d(1024);
    QList<QJsonObject> out;
    QCOMPARE(d.feed(encodeFrame(msg), &out), FrameDecoder::State::Ok);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first(), msg);
    QCOMPARE(d.buffered(), 0);
}

void TestFrameCodec::byteByByte()
{
    const QJsonObject a = makeRequest(1, QStringLiteral("status.get"), {});
    const QJsonObject b = makeResult(2, QJsonObject { { QStringLiteral("näme"), QStringLiteral("ünïcode ✓") } });
    const QByteArray stream = encodeFrame(a) + encodeFrame(b);
    FrameDecoder d(1024);
    QList<QJsonObject> out;
    for (char c : stream) {
        QCOMPARE(d.feed(QByteArray(1, c), &out), FrameDecoder::State::Ok);
        QVERIFY(d.buffered() <= stream.size());
    }
    QCOMPARE(out.size(), 2);
    QCOMPARE(out.at(0), a);
    QCOMPARE(out.at(1), b);
}

void TestFrameCodec::severalFramesInOneRead()
{
    QByteArray stream;
    qsizetype cut = 0;
    for (int i = 0; i < 100; ++i) {
        stream += encodeFrame(makeRequest(i, QStringLiteral("domains.list"), {}));
        if (i == 49)
            cut = stream.size() + 2; // in the middle of the 51st frame's header
    }
    FrameDecoder d(4096);
    QList<QJsonObject> out;
    QCOMPARE(d.feed(stream.left(cut), &out), FrameDecoder::State::Ok);
    QCOMPARE(out.size(), 50);
    QCOMPARE(d.feed(stream.mid(cut), &out), FrameDecoder::State::Ok);
    QCOMPARE(out.size(), 100);
    QCOMPARE(out.last().value(QStringLiteral("id")).toInt(), 99);
}

void TestFrameCodec::oversizedHeaderIsRefusedBeforeBuffering()
{
    FrameDecoder d(1000);
    QList<QJsonObject> out;
    QByteArray header(4, Qt::Uninitialized);
    qToBigEndian<quint32>(1001, header.data());
    QCOMPARE(d.feed(header, &out), FrameDecoder::State::TooLarge);
    QVERIFY(out.isEmpty());
    QCOMPARE(d.buffered(), 0);
    QVERIFY(d.errorText().contains(QStringLiteral("1001")));
    // A 4 GiB announcement is refused the same way, with nothing buffered.
    FrameDecoder huge(1000);
    QCOMPARE(huge.feed(QByteArray("\xff\xff\xff\xff", 4), &out), FrameDecoder::State::TooLarge);
    QCOMPARE(huge.buffered(), 0);
}

void TestFrameCodec::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not json") << QByteArray("hello");
    QTest::newRow("truncated") << QByteArray("{\"v\":1,");
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("invalid utf8 key") << QByteArray("{\"\xff\xfe\":1}x");
}

void TestFrameCodec::malformed()
{
    QFETCH(QByteArray, body);
    FrameDecoder d(1024);
    QList<QJsonObject> out;
    QCOMPARE(d.feed(rawFrame(body), &out), FrameDecoder::State::Malformed);
    QVERIFY(out.isEmpty());
    QVERIFY(!d.errorText().isEmpty());
}

void TestFrameCodec::stopsAfterError()
{
    FrameDecoder d(1024);
    QList<QJsonObject> out;
    QCOMPARE(d.feed(rawFrame("nope") + encodeFrame(makeRequest(1, QStringLiteral("x"), {})), &out),
        FrameDecoder::State::Malformed);
    QCOMPARE(d.feed(encodeFrame(makeRequest(2, QStringLiteral("x"), {})), &out), FrameDecoder::State::Malformed);
    QVERIFY(out.isEmpty());
}

void TestFrameCodec::requestChecks_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("code");
    QTest::newRow("good") << QByteArray(R"({"v":1,"id":3,"method":"status.get","params":{}})") << true << QString();
    QTest::newRow("no params") << QByteArray(R"({"v":1,"id":3,"method":"status.get"})") << true << QString();
    QTest::newRow("no version") << QByteArray(R"({"id":3,"method":"status.get"})") << false
                                << QStringLiteral("protocol_error");
    QTest::newRow("string version") << QByteArray(R"({"v":"1","id":3,"method":"a"})") << false
                                    << QStringLiteral("protocol_error");
    QTest::newRow("no id") << QByteArray(R"({"v":1,"method":"a"})") << false << QStringLiteral("protocol_error");
    QTest::newRow("negative id") << QByteArray(R"({"v":1,"id":-1,"method":"a"})") << false
                                 << QStringLiteral("protocol_error");
    QTest::newRow("no method") << QByteArray(R"({"v":1,"id":1})") << false << QStringLiteral("protocol_error");
    QTest::newRow("numeric method") << QByteArray(R"({"v":1,"id":1,"method":5})") << false
                                    << QStringLiteral("protocol_error");
    QTest::newRow("array params") << QByteArray(R"({"v":1,"id":1,"method":"a","params":[]})") << false
                                  << QStringLiteral("protocol_error");
}

void TestFrameCodec::requestChecks()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QFETCH(QString, code);
    // Rows are written for "v":1; the request carries the version this build speaks.
    const QByteArray current = QByteArrayLiteral("\"v\":") + QByteArray::number(kProtocolVersion) + ',';
    json.replace(QByteArrayLiteral("\"v\":1,"), current);
    Request r;
    ErrorInfo e;
    QCOMPARE(parseRequest(QJsonDocument::fromJson(json).object(), &r, &e), valid);
    if (!valid) {
        QCOMPARE(e.code, code);
        QVERIFY(!e.message.isEmpty());
    }
}

void TestFrameCodec::wrongVersion()
{
    Request r;
    ErrorInfo e;
    QVERIFY(!parseRequest(QJsonDocument::fromJson(R"({"v":99,"id":1,"method":"a"})").object(), &r, &e));
    QCOMPARE(e.code, QStringLiteral("version_mismatch"));
    QVERIFY(e.message.contains(QStringLiteral("99")));
    QVERIFY(e.message.contains(QString::number(kProtocolVersion)));
}

QTEST_GUILESS_MAIN(TestFrameCodec)
#include "tst_framecodec.moc"
