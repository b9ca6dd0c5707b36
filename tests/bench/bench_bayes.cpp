// The Bayes filter alone, in one process on one core: trains a model in
// memory on one labelled list, then tokenizes and classifies every message of
// another, with the engine's default parameters and limits. The messages are
// read into memory first, so the figure is the filter's own speed, without
// files, the admin socket or the rules. tests/bench/bench_spam.py runs it.
//
//   bench_bayes TRAIN_LIST TEST_LIST ROOT [ROUNDS]
//
// Lists hold "ham|spam<TAB>path" lines, paths relative to ROOT (the spam
// kit's sa.train and sa.test). Prints one line a round: messages per second,
// and the spam recall and ham false positives at a probability of 0.5.
#include <chrono>
#include <cstdio>

#include <QFile>
#include <QList>

#include "spam/bayes.h"
#include "spam/tokenizer.h"

namespace
{

struct Message {
    bool spam = false;
    QByteArray bytes;
};

bool readList(const QString &list, const QString &root, QList<Message> &out)
{
    QFile f(list);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        const qsizetype tab = line.indexOf('\t');
        if (tab < 0)
            continue;
        QFile m(root + u'/' + QString::fromUtf8(line.mid(tab + 1)));
        if (!m.open(QIODevice::ReadOnly))
            return false;
        out.append({ line.left(tab) == "spam", m.readAll() });
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace mailroom::spam;
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s TRAIN_LIST TEST_LIST ROOT [ROUNDS]\n", argv[0]);
        return 64;
    }
    const QString root = QString::fromLocal8Bit(argv[3]);
    QList<Message> train, test;
    if (!readList(QString::fromLocal8Bit(argv[1]), root, train)
        || !readList(QString::fromLocal8Bit(argv[2]), root, test)) {
        std::fprintf(stderr, "bench_bayes: a list or one of its files cannot be read\n");
        return 66;
    }
    BayesModel model;
    for (const Message &m : std::as_const(train)) {
        for (quint64 t : tokenize(m.bytes))
            model.tokens.add(t, m.spam ? 1 : 0, m.spam ? 0 : 1);
        ++(m.spam ? model.spamMessages : model.hamMessages);
    }
    train.clear(); // only the model is needed from here on
    const int rounds = argc > 4 ? qMax(1, std::atoi(argv[4])) : 5;
    for (int r = 0; r < rounds; ++r) {
        int caught = 0, lost = 0;
        const auto start = std::chrono::steady_clock::now();
        for (const Message &m : std::as_const(test)) {
            const bool spam = classify(model, tokenize(m.bytes)).probability >= 0.5;
            caught += spam && m.spam;
            lost += spam && !m.spam;
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("Bayes alone: %lld messages in %.0f ms, %.0f msg/s; spam caught %d, hams lost %d\n",
            static_cast<long long>(test.size()), secs * 1000, double(test.size()) / secs, caught, lost);
    }
    return 0;
}
