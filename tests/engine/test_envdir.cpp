// SPDX-License-Identifier: MIT
// Reading an envdir: the first-line rules, removal, vanished names and the failures 0.76 reports.
#include "envdir.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace tz;
using tz::test::writeFile;

namespace {

const EnvDirEntry *find(const std::vector<EnvDirEntry> &entries, const std::string &name)
{
    for (const EnvDirEntry &e : entries) {
        if (e.change.name == name)
            return &e;
    }
    return nullptr;
}

std::string path(const QTemporaryDir &dir, const char *name = nullptr)
{
    return QFile::encodeName(name ? dir.filePath(QString::fromLatin1(name)) : dir.path()).toStdString();
}

} // namespace

class TestEnvDir : public QObject {
    Q_OBJECT

private slots:
    void firstLineWithoutTrailingBlanks()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("A")), QByteArray("  keep lead \t \t\nsecond\n"));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), size_t(1));
        QCOMPARE((*r)[0].change, (EnvChange{"A", std::string("  keep lead")}));
        QVERIFY(!(*r)[0].vanished);
    }

    void noNewlineAtAll()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("A")), QByteArray("value\t"));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE(*(*r)[0].change.value, std::string("value"));
    }

    void nulsBecomeNewlines()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("N")), QByteArray("a\0b\0\0c \nd", 10));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE(*(*r)[0].change.value, std::string("a\nb\n\nc"));
    }

    void emptyFileRemoves()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("GONE")), QByteArray());
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE((*r)[0].change, (EnvChange{"GONE", std::nullopt}));
    }

    void emptyFirstLineSetsEmpty()
    {
        // Only a file with no bytes at all removes; a blank first line sets "".
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("E")), QByteArray("\nmore\n"));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE((*r)[0].change, (EnvChange{"E", std::string()}));
    }

    void dotNamesIgnored()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral(".hidden")), QByteArray("x\n"));
        writeFile(dir.filePath(QStringLiteral("SHOWN")), QByteArray("y\n"));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), size_t(1));
        QCOMPARE((*r)[0].change.name, std::string("SHOWN"));
    }

    void longFirstLine()
    {
        QTemporaryDir dir;
        const QByteArray line(10000, 'x');
        writeFile(dir.filePath(QStringLiteral("L")), line + "\n" + QByteArray(5000, 'y'));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE((*r)[0].change.value->size(), size_t(10000));
    }

    void vanishedEntryReusesPreviousValue()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("A")), QByteArray("hello\n"));
        QVERIFY(QFile::link(QStringLiteral("/tz-nonexistent"), dir.filePath(QStringLiteral("B"))));
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE(r->size(), size_t(2));
        const EnvDirEntry *b = find(*r, "B");
        QVERIFY(b);
        QVERIFY(b->vanished);
        QVERIFY(!find(*r, "A")->vanished);
        // Listing order is the file system's: after A, B repeats A's value with 0.76's
        // terminating NUL turned into a newline; first, it finds nothing and removes.
        if ((*r)[0].change.name == "A")
            QCOMPARE(b->change.value, std::optional<std::string>("hello\n"));
        else
            QCOMPARE(b->change.value, std::optional<std::string>());
    }

    void missingDirectory()
    {
        auto r = readEnvDir("/tz-nonexistent/env");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().err, ENOENT);
        QCOMPARE(r.error().describe(), std::string("switch to directory /tz-nonexistent/env: file does not exist"));
    }

    void notADirectory()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("f")), QByteArray("x"));
        auto r = readEnvDir(path(dir, "f"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().err, ENOTDIR);
    }

    void subdirectoryIsFatal()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub")));
        auto r = readEnvDir(path(dir));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().err, EISDIR);
        QCOMPARE(r.error().action, "read " + path(dir) + "/sub");
    }

    void fifoReadsEmpty()
    {
        QTemporaryDir dir;
        QCOMPARE(::mkfifo(path(dir, "P").c_str(), 0644), 0);
        auto r = readEnvDir(path(dir));
        QVERIFY(r.ok());
        QCOMPARE((*r)[0].change, (EnvChange{"P", std::nullopt}));
    }

    void workingDirectoryUntouched()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("A")), QByteArray("1\n"));
        const QString before = QDir::currentPath();
        QVERIFY(readEnvDir(path(dir)).ok());
        QCOMPARE(QDir::currentPath(), before);
    }

    void changesInOrder()
    {
        std::vector<EnvDirEntry> entries{{{"A", "1"}, false}, {{"B", std::nullopt}, true}};
        const auto changes = envChanges(entries);
        QCOMPARE(changes.size(), size_t(2));
        QCOMPARE(changes[0], (EnvChange{"A", "1"}));
        QCOMPARE(changes[1], (EnvChange{"B", std::nullopt}));
    }
};

QTEST_GUILESS_MAIN(TestEnvDir)
#include "test_envdir.moc"
