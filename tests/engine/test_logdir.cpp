// SPDX-License-Identifier: MIT
// Tests for a multilog log directory: 0.76's rotation points, recovery at start-up, archives, processors.
#include "logdir.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

class RecordingHost : public tz::LogHost {
public:
    void pause(const std::string &message, std::optional<int> err) override
    {
        pauses.push_back(message + (err ? std::string(": ") + tz::reasonText(*err) : std::string()));
        if (pauses.size() > 20)
            qFatal("endless retry: %s", pauses.back().c_str());
    }
    std::string processorFailurePrefix(std::string_view processor) const override
    {
        return "test: unable to run " + std::string(processor) + ": ";
    }
    void alert(std::string_view lines) override { alerts.append(lines); }

    std::vector<std::string> pauses;
    std::string alerts;
};

int mode(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) < 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

QStringList archives(const QString &dir, const QString &suffix = QString())
{
    QStringList names = QDir(dir).entryList({QStringLiteral("@*") + suffix}, QDir::Files, QDir::Name);
    return names;
}

QByteArray lines(int count, int width, char fill = 'x')
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += QByteArray(width - 1, fill) + '\n';
    return out;
}

} // namespace

class TestLogDir : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        m_start = ::open(QFile::encodeName(m_tmp->path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        QVERIFY(m_start >= 0);
        m_dir = m_tmp->filePath(QStringLiteral("log"));
    }

    void cleanup()
    {
        ::close(m_start);
        m_tmp.reset();
    }

    void archiveNames()
    {
        const tz::Tai64n t{tz::tai64Epoch - 10 + 0x6b08a831, 0x39a3af14};
        QCOMPARE(tz::archiveName(t, 's'), std::string("@400000006b08a83139a3af14.s"));
        QCOMPARE(tz::archiveName(t, 'u'), std::string("@400000006b08a83139a3af14.u"));
    }

    // Far from the limit a write goes through whole.
    void cutFarFromLimit() { QCOMPARE(tz::rotationCut(0, 99999, "abc\ndef"), std::size_t{7}); }

    // Reaching size-2000 cuts at the last newline of the write.
    void cutAtLastNewlineNearLimit()
    {
        QCOMPARE(tz::rotationCut(4096 - 2000 - 3, 4096, "ab\ncd\nef"), std::size_t{6});
        QVERIFY(tz::rotatesAfter(4096 - 2000 - 3 + 6, 4096, "ab\ncd\n"));
    }

    // A cut can end before size-2000; then no rotation yet.
    void cutBeforeThresholdDoesNotRotate()
    {
        const std::uint64_t bytes = 4096 - 2000 - 10;
        const std::size_t n = tz::rotationCut(bytes, 4096, "ab\ncdefghijklmnop");
        QCOMPARE(n, std::size_t{3});
        QVERIFY(!tz::rotatesAfter(bytes + n, 4096, "ab\n"));
    }

    // Without a newline the file is cut exactly at the limit.
    void cutAtLimitWithoutNewline()
    {
        const std::string offered(100, 'x');
        QCOMPARE(tz::rotationCut(4096 - 40, 4096, offered), std::size_t{40});
        QVERIFY(!tz::rotatesAfter(4096, 4096, std::string(40, 'x')));
        QCOMPARE(tz::rotationCut(4096 - 40, 4096, std::string(39, 'x') + "\n"), std::size_t{39 + 1});
    }

    void noNewlineRotationBelowThreshold() { QVERIFY(!tz::rotatesAfter(100, 4096, "a\n")); }

    void freshDirectory()
    {
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(dir.ok());
        QCOMPARE(mode(m_dir), 0700);
        QCOMPARE(mode(m_dir + "/current"), 0644);
        QCOMPARE(mode(m_dir + "/lock"), 0600);
        QCOMPARE(mode(m_dir + "/state"), 0644);
        (*dir)->put("hello");
        (*dir)->putBytes("\n");
        (*dir)->close();
        QCOMPARE(tz::test::readFile(m_dir + "/current"), QByteArray("hello\n"));
        QCOMPARE(mode(m_dir + "/current"), 0744);
        QVERIFY(host.pauses.empty());
    }

    void secondOpenFailsOnLock()
    {
        RecordingHost host;
        auto first = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(first.ok());
        auto second = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().describe(), std::string("lock directory ./log: temporary failure"));
    }

    void notADirectory()
    {
        QFile f(m_dir);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(!dir.ok());
        QCOMPARE(dir.error().describe(), std::string("open directory ./log: not a directory"));
    }

    // A current with the execute bit was finished cleanly: append to it.
    void completeCurrentIsContinued()
    {
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(m_dir + "/current", "old\n", 0744);
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(dir.ok());
        QCOMPARE((*dir)->bytes(), std::uint64_t{4});
        QCOMPARE(mode(m_dir + "/current"), 0644);
        (*dir)->put("new\n");
        (*dir)->close();
        QCOMPARE(tz::test::readFile(m_dir + "/current"), QByteArray("old\nnew\n"));
        QVERIFY(archives(m_dir).isEmpty());
    }

    // Without the execute bit, current was left by a crash: archived as .u.
    void crashedCurrentBecomesUnfinishedArchive()
    {
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(m_dir + "/current", "half", 0644);
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(dir.ok());
        const QStringList u = archives(m_dir, ".u");
        QCOMPARE(u.size(), 1);
        QCOMPARE(u[0].size(), 27);
        QCOMPARE(tz::test::readFile(m_dir + "/" + u[0]), QByteArray("half"));
        QCOMPARE(mode(m_dir + "/" + u[0]), 0644);
        QCOMPARE(tz::test::readFile(m_dir + "/current"), QByteArray());
    }

    // A crash while the processor ran: previous is archived as .u, a partial
    // processed is dropped, and state starts empty.
    void crashDuringProcessing()
    {
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(m_dir + "/previous", "prev\n", 0744);
        writeFile(m_dir + "/processed", "partial", 0644);
        writeFile(m_dir + "/state", "oldstate", 0644);
        writeFile(m_dir + "/newstate", "x", 0644);
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(dir.ok());
        QVERIFY(!QFile::exists(m_dir + "/processed"));
        QVERIFY(!QFile::exists(m_dir + "/previous"));
        QVERIFY(!QFile::exists(m_dir + "/newstate"));
        QCOMPARE(tz::test::readFile(m_dir + "/state"), QByteArray());
        const QStringList u = archives(m_dir, ".u");
        QCOMPARE(u.size(), 1);
        QCOMPARE(tz::test::readFile(m_dir + "/" + u[0]), QByteArray("prev\n"));
    }

    // A crash after the processor finished: processed is complete and kept as .s.
    void crashAfterProcessing()
    {
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(m_dir + "/previous", "prev\n", 0744);
        writeFile(m_dir + "/processed", "done\n", 0744);
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(dir.ok());
        QVERIFY(!QFile::exists(m_dir + "/previous"));
        const QStringList s = archives(m_dir, ".s");
        QCOMPARE(s.size(), 1);
        QCOMPARE(tz::test::readFile(m_dir + "/" + s[0]), QByteArray("done\n"));
        QVERIFY(archives(m_dir, ".u").isEmpty());
    }

    // Rotation with s4096: files end at a newline past size-2000; at most n-1 archives.
    void rotationAndPruning()
    {
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 3, {}}, host);
        QVERIFY(dir.ok());
        const QByteArray data = lines(200, 100);
        for (int i = 0; i < 200; ++i) {
            (*dir)->put(std::string_view(data.constData() + i * 100, 99));
            (*dir)->putBytes("\n");
            if (i % 10 == 9)
                (*dir)->flush();
        }
        (*dir)->close();
        const QStringList s = archives(m_dir, ".s");
        QCOMPARE(s.size(), 2);
        for (const QString &name : s) {
            const QByteArray content = tz::test::readFile(m_dir + "/" + name);
            QVERIFY(content.endsWith('\n'));
            QVERIFY(content.size() >= 4096 - 2000);
            QVERIFY(content.size() <= 4096);
            QCOMPARE(mode(m_dir + "/" + name), 0744);
        }
        QVERIFY(host.pauses.empty());
    }

    // A full current takes its archive name at once, ending in .u, and is synced
    // and renamed to .s in the background while the new current fills: the
    // rotation stays pending until the logger settles it, and then the file is
    // its .s archive (mode 744, whole), under the name it took.
    void fullCurrentSyncsInTheBackground()
    {
        RecordingHost host;
        const QByteArray data = lines(60, 100);
        QByteArray written;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 5, {}}, host);
        QVERIFY(dir.ok());
        for (int i = 0; i < 60 && !(*dir)->rotationPending(); ++i) {
            const std::string_view line(data.constData() + i * 100, 100);
            (*dir)->put(line);
            (*dir)->flush();
            written.append(line.data(), static_cast<qsizetype>(line.size()));
        }
        QVERIFY((*dir)->rotationPending());
        const QStringList flying = QDir(m_dir).entryList({QStringLiteral("@*")}, QDir::Files);
        QCOMPARE(flying.size(), 1);
        (*dir)->put("next\n");
        (*dir)->flush();
        (*dir)->commit();
        QCOMPARE(tz::test::readFile(m_dir + "/current"), QByteArray("next\n"));

        (*dir)->finishRotation();
        QVERIFY(!(*dir)->rotationPending());
        QVERIFY(!QFile::exists(m_dir + "/previous"));
        QVERIFY(archives(m_dir, ".u").isEmpty());
        const QStringList s = archives(m_dir, ".s");
        QCOMPARE(s.size(), 1);
        QCOMPARE(s[0].left(25), flying[0].left(25));
        const QByteArray archived = tz::test::readFile(m_dir + "/" + s[0]);
        QVERIFY(archived.size() >= 4096 - 2000 && archived.size() <= 4096);
        QVERIFY(written.startsWith(archived));
        QCOMPARE(mode(m_dir + "/" + s[0]), 0744);
        QVERIFY(host.pauses.empty());
    }

    // A logger that dies while a full file is still syncing leaves it next to the
    // new current. Ours leaves its .u archive (mode 755), which the next start
    // keeps as it is; 0.76's way (and ours before the .u flights) leaves previous
    // (mode 644), which the next start archives as .u, as 0.76 does. Either way
    // current becomes another .u, after it.
    void fileLeftSyncingBecomesUnfinishedArchive_data()
    {
        QTest::addColumn<QString>("left");
        QTest::addColumn<int>("mode");
        QTest::newRow("ours, .u") << QStringLiteral("@400000006b0000000000000a.u") << 0755;
        QTest::newRow("0.76, previous") << QStringLiteral("previous") << 0644;
    }
    void fileLeftSyncingBecomesUnfinishedArchive()
    {
        QFETCH(QString, left);
        QFETCH(int, mode);
        QVERIFY(QDir().mkpath(m_dir));
        writeFile(m_dir + "/" + left, "full\n", mode);
        writeFile(m_dir + "/current", "next\n", 0644);
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 5, {}}, host);
        QVERIFY(dir.ok());
        const QStringList u = archives(m_dir, ".u");
        QCOMPARE(u.size(), 2);
        if (left.startsWith('@'))
            QCOMPARE(u[0], left);
        QCOMPARE(tz::test::readFile(m_dir + "/" + u[0]), QByteArray("full\n"));
        QCOMPARE(tz::test::readFile(m_dir + "/" + u[1]), QByteArray("next\n"));
        QVERIFY(archives(m_dir, ".s").isEmpty());
        QVERIFY(!QFile::exists(m_dir + "/previous"));
        QVERIFY(host.pauses.empty());
    }

    // A line longer than the limit is split exactly at the limit.
    void longLineSplitAtLimit()
    {
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 5, {}}, host);
        QVERIFY(dir.ok());
        const std::string big(10000, 'y');
        (*dir)->putBytes(big);
        (*dir)->putBytes("\n");
        (*dir)->close();
        const QStringList s = archives(m_dir, ".s");
        QCOMPARE(s.size(), 2);
        QCOMPARE(tz::test::readFile(m_dir + "/" + s[0]).size(), 4096);
        QCOMPARE(tz::test::readFile(m_dir + "/" + s[1]).size(), 4096);
        QCOMPARE(tz::test::readFile(m_dir + "/current").size(), 10001 - 8192);
    }

    void rotateNowSkipsEmptyCurrent()
    {
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 5, {}}, host);
        QVERIFY(dir.ok());
        (*dir)->rotateNow();
        QVERIFY(archives(m_dir).isEmpty());
        (*dir)->put("one\n");
        (*dir)->rotateNow();
        (*dir)->finishRotation();
        QCOMPARE(archives(m_dir, ".s").size(), 1);
        QCOMPARE(tz::test::readFile(m_dir + "/" + archives(m_dir)[0]), QByteArray("one\n"));
        QCOMPARE(tz::test::readFile(m_dir + "/current"), QByteArray());
    }

    // The processor reads previous on 0, writes processed on 1, state on 4/5.
    void processorHandOff()
    {
        RecordingHost host;
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 5, std::string("tr a-z A-Z; cat <&4 >&5; echo more >&5")},
                                    host);
        QVERIFY(dir.ok());
        (*dir)->put("abc\n");
        (*dir)->rotateNow();
        // The processor waits until the logger has committed its batch.
        QVERIFY((*dir)->processorPending());
        QVERIFY(archives(m_dir).isEmpty());
        QCOMPARE(tz::test::readFile(m_dir + "/previous"), QByteArray("abc\n"));
        (*dir)->finishRotation();
        QVERIFY(!(*dir)->processorPending());
        const QStringList s = archives(m_dir, ".s");
        QCOMPARE(s.size(), 1);
        QCOMPARE(tz::test::readFile(m_dir + "/" + s[0]), QByteArray("ABC\n"));
        QCOMPARE(mode(m_dir + "/" + s[0]), 0744);
        QCOMPARE(tz::test::readFile(m_dir + "/state"), QByteArray("more\n"));
        (*dir)->put("def\n");
        (*dir)->rotateNow();
        (*dir)->finishRotation();
        QCOMPARE(tz::test::readFile(m_dir + "/state"), QByteArray("more\nmore\n"));
        QVERIFY(!QFile::exists(m_dir + "/previous"));
        QVERIFY(!QFile::exists(m_dir + "/processed"));
        QVERIFY(!QFile::exists(m_dir + "/newstate"));
        QVERIFY(host.pauses.empty());
    }

    // A failing processor is retried (after a pause) until it succeeds.
    void failingProcessorIsRetried()
    {
        RecordingHost host;
        const QString flag = m_tmp->filePath(QStringLiteral("second"));
        const std::string cmd = "if [ -e " + flag.toStdString() + " ]; then cat; else touch " + flag.toStdString()
                                + "; exit 1; fi";
        auto dir = tz::LogDir::open(m_start, {"./log", 4096, 5, cmd}, host);
        QVERIFY(dir.ok());
        (*dir)->put("x\n");
        (*dir)->rotateNow();
        (*dir)->finishRotation();
        QCOMPARE(host.pauses, std::vector<std::string>{"processor failed in ./log, pausing"});
        QCOMPARE(tz::test::readFile(m_dir + "/" + archives(m_dir, ".s").value(0)), QByteArray("x\n"));
    }

private:
    static void writeFile(const QString &path, const QByteArray &content, int fileMode)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
        f.close();
        ::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(fileMode));
    }

    std::unique_ptr<QTemporaryDir> m_tmp;
    int m_start = -1;
    QString m_dir;
};

QTEST_GUILESS_MAIN(TestLogDir)
#include "test_logdir.moc"
