// SHA-256 through OpenSSL: the FIPS 180-2 test vectors, and the same digest
// whether the data comes whole or in pieces.
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include "base/digest.h"

using namespace mailroom;

class TestDigest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownVectors();
    void piecesMatchWhole();
};

void TestDigest::knownVectors()
{
    QCOMPARE(Sha256::hash("").toHex(), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(
        Sha256::hash("abc").toHex(), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(Sha256::hash(QByteArray(1000000, 'a')).toHex(),
        QByteArray("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

void TestDigest::piecesMatchWhole()
{
    QByteArray data(100000, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
    Sha256 h;
    for (qsizetype at = 0; at < data.size(); at += 777)
        h.addData(QByteArrayView(data).sliced(at, qMin(qsizetype(777), data.size() - at)));
    const QByteArray pieces = h.result();
    QCOMPARE(pieces, Sha256::hash(data));
    QCOMPARE(pieces, QCryptographicHash::hash(data, QCryptographicHash::Sha256));
}

QTEST_APPLESS_MAIN(TestDigest)
#include "tst_digest.moc"
