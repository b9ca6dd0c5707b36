// Runs a fuzz target over files (a seed corpus and past crashes) without
// libFuzzer, so every build checks them.
#include <cstdint>
#include <cstdio>

#include <QDir>
#include <QFile>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int runs = 0;
    for (int i = 1; i < argc; ++i) {
        const QString path = QString::fromLocal8Bit(argv[i]);
        QStringList files;
        if (QFileInfo(path).isDir())
            for (const QString &f : QDir(path).entryList(QDir::Files))
                files << QDir(path).filePath(f);
        else
            files << path;
        for (const QString &f : std::as_const(files)) {
            QFile file(f);
            if (!file.open(QIODevice::ReadOnly))
                return 2;
            const QByteArray bytes = file.readAll();
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
            ++runs;
        }
    }
    std::printf("replayed %d inputs\n", runs);
    return runs > 0 ? 0 : 1;
}
