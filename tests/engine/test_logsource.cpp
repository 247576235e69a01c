// SPDX-License-Identifier: MIT
// Tests for multilog's input journal: a batch leaves the pipe only into the journal, and a new logger undoes and redoes it.
#include "logdir.h"
#include "logsource.h"
#include "testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

class QuietHost : public tz::LogHost {
public:
    void pause(const std::string &message, std::optional<int>) override { qFatal("unexpected pause: %s", message.c_str()); }
    std::string processorFailurePrefix(std::string_view) const override { return {}; }
    void alert(std::string_view) override {}
    void opened(tz::LogDir &dir) override { dirs.push_back(&dir); }
    std::vector<tz::LogDir *> dirs;
};

int unread(int fd)
{
    int n = -1;
    ::ioctl(fd, FIONREAD, &n);
    return n;
}

qint64 sizeOf(const QString &path) { return QFileInfo(path).size(); }

using tz::test::inodeOf;

// A log directory "main" in a fresh folder and a pipe into it, as a logger finds them.
struct JournalSetup {
    explicit JournalSetup(const QString &base = QDir::tempPath()) : tmp(base + QStringLiteral("/tazuna-journal-XXXXXX"))
    {
        config.path = "main";
        if (::pipe(fds) != 0)
            qFatal("pipe");
    }
    QTemporaryDir tmp;
    int start = ::open(QFile::encodeName(tmp.path()).constData(), O_RDONLY | O_DIRECTORY);
    int fds[2] = {-1, -1};
    tz::LogDirConfig config;
    ~JournalSetup()
    {
        for (const int fd : {fds[0], fds[1], start})
            if (fd >= 0)
                ::close(fd);
    }
    QString file(const char *name) const { return tmp.filePath(QLatin1String("main/") + QLatin1String(name)); }
    // A logger that takes input from the pipe in one read stamped stamp, writes
    // `written` of it to current, commits the batch in the journal too when
    // commitBatch, and is killed (no finish(), no close()). false when a step
    // did not do what it should.
    bool takeWriteAndDie(const QByteArray &input, const char *written, const tz::Tai64n &stamp, bool commitBatch)
    {
        QuietHost host;
        auto dir = tz::LogDir::open(start, config, host);
        if (!dir)
            return false;
        tz::LogSource source(fds[0], host.dirs, host);
        source.begin();
        char buf[64];
        if (::write(fds[1], input.constData(), input.size()) != input.size()
            || source.take(buf, sizeof buf, stamp) != input.size())
            return false;
        (*dir)->put(written);
        (*dir)->flush();
        (*dir)->commit();
        if (commitBatch)
            source.written(std::string_view(buf, static_cast<std::size_t>(input.size())), stamp);
        return true;
    }
    // recoverJournal() on this directory, which must not fail.
    std::optional<tz::LogReplay> recover() const
    {
        auto r = tz::recoverJournal(start, {config});
        if (!r)
            qFatal("recoverJournal: %s", r.error().describe().c_str());
        return std::move(*r);
    }
};

} // namespace

class TestLogSource : public QObject {
    Q_OBJECT

private slots:
    void batchLeavesThePipeOnlyIntoTheJournal()
    {
        JournalSetup j;
        QuietHost host;
        {
            auto dir = tz::LogDir::open(j.start, j.config, host);
            QVERIFY(dir);
            tz::LogSource source(j.fds[0], host.dirs, host);
            QVERIFY(source.journalled());
            source.begin();
            QCOMPARE(::write(j.fds[1], "one\ntwo\nthr", 11), ssize_t{11});
            char buf[64];
            const tz::Tai64n stamp{tz::tai64Epoch + 1000, 5};
            QCOMPARE(source.take(buf, sizeof buf, stamp), ssize_t{11});
            QCOMPARE(QByteArray(buf, 11), QByteArray("one\ntwo\nthr"));
            QCOMPARE(unread(j.fds[0]), 0); // out of the pipe …
            const QString lock = j.file("lock");
            QCOMPARE(sizeOf(lock), qint64(tz::journalHeaderSize + 11)); // … and into the journal
            // Half of it written when the logger dies: no finish(), no close().
            (*dir)->put("one\n");
            (*dir)->flush();
            (*dir)->commit();
            QCOMPARE(sizeOf(j.file("current")), qint64{4});
        }
        const ino_t current = inodeOf(j.file("current"));
        std::optional<tz::LogReplay> replay = j.recover();
        QVERIFY(replay);
        QCOMPARE(QByteArray::fromStdString(replay->data), QByteArray("one\ntwo\nthr"));
        QVERIFY(replay->tail.empty());
        QCOMPARE(replay->parts.size(), std::size_t{1});
        QCOMPARE(replay->parts[0].size, std::size_t{11});
        QCOMPARE(replay->parts[0].stamp, (tz::Tai64n{tz::tai64Epoch + 1000, 5}));
        // Cut back to where the batch began, in the same file.
        QCOMPARE(inodeOf(j.file("current")), current);
        QCOMPARE(sizeOf(j.file("current")), qint64{0});

        // The next logger marks the replay and carries the unfinished line into the next batch.
        {
            QuietHost second;
            auto dir = tz::LogDir::open(j.start, j.config, second);
            QVERIFY(dir);
            tz::LogSource source(j.fds[0], second.dirs, second);
            source.replay(*replay);
            source.written(replay->data, replay->parts[0].stamp);
            QCOMPARE(::write(j.fds[1], "ee\n", 3), ssize_t{3});
            char buf[64];
            QCOMPARE(source.take(buf, sizeof buf, tz::Tai64n{tz::tai64Epoch + 2000, 0}), ssize_t{3});
        }
        replay = j.recover();
        QVERIFY(replay);
        QCOMPARE(QByteArray::fromStdString(replay->tail), QByteArray("thr"));
        QCOMPARE(replay->tailStamp, (tz::Tai64n{tz::tai64Epoch + 1000, 5}));
        QCOMPARE(QByteArray::fromStdString(replay->data), QByteArray("ee\n"));
        QCOMPARE(replay->parts.size(), std::size_t{1});
        QCOMPARE(replay->parts[0].stamp, (tz::Tai64n{tz::tai64Epoch + 2000, 0}));

        // A clean end empties the journal: the lock is as daemontools leaves it.
        {
            QuietHost third;
            auto dir = tz::LogDir::open(j.start, j.config, third);
            QVERIFY(dir);
            tz::LogSource source(j.fds[0], third.dirs, third);
            source.replay(*replay);
            (*dir)->close();
            source.finish();
        }
        QCOMPARE(sizeOf(j.file("lock")), qint64{0});
        QVERIFY(!j.recover());
    }

    // After commit() nothing is pending: a next logger leaves what was written
    // alone and only holds the carried line start again.
    void committedBatchIsNotReplayed()
    {
        JournalSetup j;
        const tz::Tai64n stamp{tz::tai64Epoch + 1000, 5};
        QVERIFY(j.takeWriteAndDie("one\nthr", "one\n", stamp, true));
        // The written batch stays in the file, before P, until it is given back.
        QCOMPARE(sizeOf(j.file("lock")), qint64(tz::journalHeaderSize + 7));
        const std::optional<tz::LogReplay> replay = j.recover();
        QVERIFY(replay);
        QVERIFY(replay->data.empty());
        QCOMPARE(QByteArray::fromStdString(replay->tail), QByteArray("thr"));
        QCOMPARE(replay->tailStamp, stamp);
        QCOMPARE(tz::test::readFile(j.file("current")), QByteArray("one\n"));
    }

    // A killed logger's processor child holds the directory's lock until its exec.
    // A logger started then must not take the pending batch for nothing pending:
    // a moment later the lock is free, it would open the directory and empty the
    // journal, and the lines of that batch not yet written would be lost.
    void lockedDirectoryIsNotRecoveredAround()
    {
        JournalSetup j;
        // Killed with "two" taken but not written.
        QVERIFY(j.takeWriteAndDie("one\ntwo\n", "one\n", tz::Tai64n{tz::tai64Epoch + 1000, 5}, false));
        const QString lock = j.file("lock");
        const qint64 pendingSize = sizeOf(lock);
        QCOMPARE(pendingSize, qint64(tz::journalHeaderSize + 8));

        const int holder = ::open(QFile::encodeName(lock).constData(), O_RDONLY);
        QVERIFY(holder >= 0);
        QCOMPARE(::flock(holder, LOCK_EX | LOCK_NB), 0);
        const auto refused = tz::recoverJournal(j.start, {j.config});
        QVERIFY(!refused);
        QCOMPARE(refused.error().action, std::string("lock directory main"));
        QCOMPARE(refused.error().err, EWOULDBLOCK);
        QCOMPARE(sizeOf(lock), pendingSize); // still pending …
        QCOMPARE(tz::test::readFile(j.file("current")), QByteArray("one\n")); // … and nothing cut
        ::close(holder);

        const std::optional<tz::LogReplay> replay = j.recover();
        QVERIFY(replay);
        QCOMPARE(QByteArray::fromStdString(replay->data), QByteArray("one\ntwo\n"));
        QCOMPARE(tz::test::readFile(j.file("current")), QByteArray());
    }

    // Taking runs ahead of writing: a logger killed with three batches taken and
    // the first half written leaves all three pending, each with its own stamp,
    // and the directory cut back to where the first began.
    void batchesTakenAheadReplayWithTheirStamps()
    {
        JournalSetup j;
        QuietHost host;
        const tz::Tai64n stamps[3] = {{tz::tai64Epoch + 1000, 1}, {tz::tai64Epoch + 1001, 2}, {tz::tai64Epoch + 1002, 3}};
        const char *const batches[3] = {"a1\na2\n", "b1\nb", "2\nc1\n"};
        {
            auto dir = tz::LogDir::open(j.start, j.config, host);
            QVERIFY(dir);
            tz::LogSource source(j.fds[0], host.dirs, host);
            source.begin();
            // One batch written and committed before: it is not replayed.
            char buf[64];
            QCOMPARE(::write(j.fds[1], "old\n", 4), ssize_t{4});
            QCOMPARE(source.take(buf, sizeof buf, tz::Tai64n{tz::tai64Epoch + 999, 0}), ssize_t{4});
            (*dir)->put("old\n");
            (*dir)->flush();
            (*dir)->commit();
            source.written("old\n", tz::Tai64n{tz::tai64Epoch + 999, 0});
            for (int i = 0; i < 3; ++i) {
                const auto len = static_cast<ssize_t>(std::strlen(batches[i]));
                QCOMPARE(::write(j.fds[1], batches[i], static_cast<std::size_t>(len)), len);
                QCOMPARE(source.take(buf, sizeof buf, stamps[i]), len);
            }
            (*dir)->put("a1\n");
            (*dir)->flush();
            (*dir)->commit();
        }
        const std::optional<tz::LogReplay> replay = j.recover();
        QVERIFY(replay);
        QCOMPARE(QByteArray::fromStdString(replay->data), QByteArray("a1\na2\nb1\nb2\nc1\n"));
        QCOMPARE(replay->parts.size(), std::size_t{3});
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(replay->parts[i].size, std::strlen(batches[i]));
            QCOMPARE(replay->parts[i].stamp, stamps[i]);
        }
        QCOMPARE(tz::test::readFile(j.file("current")), QByteArray("old\n"));
    }

    // A journal left by a logger of the one-batch format ("tzjrnl1") is still replayed.
    void oneBatchJournalIsReplayed()
    {
        JournalSetup j;
        QVERIFY(j.takeWriteAndDie("x\n", "x\n", tz::Tai64n{tz::tai64Epoch + 5, 0}, true));
        const ino_t current = inodeOf(j.file("current"));
        QByteArray journal(int(tz::journalHeaderSize), '\0');
        journal.replace(0, 8, "tzjrnl1\n");
        const auto put64 = [&](int at, quint64 v) {
            for (int i = 0; i < 8; ++i)
                journal[at + i] = char(v >> (8 * i));
        };
        put64(8, 42);
        put64(16, current);
        put64(24, 0);
        unsigned char packed[12];
        tz::packTai64n(tz::Tai64n{tz::tai64Epoch + 777, 9}, packed);
        journal.replace(32, 12, reinterpret_cast<const char *>(packed), 12);
        put64(64, 0);
        journal.append("x\ny\n");
        tz::test::writeFile(j.file("lock"), journal);
        const std::optional<tz::LogReplay> replay = j.recover();
        QVERIFY(replay);
        QCOMPARE(QByteArray::fromStdString(replay->data), QByteArray("x\ny\n"));
        QCOMPARE(replay->parts.size(), std::size_t{1});
        QCOMPARE(replay->parts[0].stamp, (tz::Tai64n{tz::tai64Epoch + 777, 9}));
        QCOMPARE(tz::test::readFile(j.file("current")), QByteArray());
    }

    // A busy logger's journal does not grow with its log: the data area is emptied
    // when it has grown to 16 MiB, and on tmpfs what is written goes back to
    // memory batch by batch. An idle logger's journal is emptied at once, but
    // never under a batch still pending.
    void writtenJournalIsGivenBack_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<bool>("punched");
        QTest::newRow("disk") << QDir::tempPath() << false;
        QTest::newRow("tmpfs") << QStringLiteral("/dev/shm") << true;
    }
    void writtenJournalIsGivenBack()
    {
        QFETCH(QString, base);
        QFETCH(bool, punched);
        JournalSetup j(base);
        QVERIFY(j.tmp.isValid());
        QuietHost host;
        auto dir = tz::LogDir::open(j.start, j.config, host);
        QVERIFY(dir);
        tz::LogSource source(j.fds[0], host.dirs, host);
        source.begin();
        const QByteArray line = QByteArray(64 * 1024 - 1, 'z') + '\n';
        std::vector<char> buf(static_cast<std::size_t>(line.size()));
        const auto takeOne = [&] {
            return ::write(j.fds[1], line.constData(), buf.size()) == ssize_t(buf.size())
                && source.take(buf.data(), buf.size(), tz::Tai64n::now()) == ssize_t(buf.size());
        };
        const QString lock = j.file("lock");
        qint64 largest = 0;
        qint64 mostBlocks = 0;
        for (int i = 0; i < 320; ++i) { // 20 MiB through
            QVERIFY(takeOne());
            source.written(std::string_view(buf.data(), buf.size()), tz::Tai64n::now());
            largest = std::max(largest, sizeOf(lock));
            struct stat st{};
            QCOMPARE(::stat(QFile::encodeName(lock).constData(), &st), 0);
            mostBlocks = std::max(mostBlocks, qint64(st.st_blocks) * 512);
        }
        QCOMPARE(largest, qint64(tz::journalHeaderSize + 16 * 1024 * 1024)); // it grew to the wrap …
        QCOMPARE(sizeOf(lock), qint64(tz::journalHeaderSize + 4 * 1024 * 1024)); // … and began again
        if (punched)
            QVERIFY2(mostBlocks <= 128 * 1024, qPrintable(QString::number(mostBlocks)));

        QVERIFY(takeOne()); // pending: not given back
        source.giveBack();
        QCOMPARE(sizeOf(lock), qint64(tz::journalHeaderSize + 4 * 1024 * 1024 + line.size()));
        source.written(std::string_view(buf.data(), buf.size()), tz::Tai64n::now());
        source.giveBack(); // written: given back
        QCOMPARE(sizeOf(lock), qint64(tz::journalHeaderSize));
    }

    void rollBackFollowsARotation()
    {
        QTemporaryDir tmp;
        const QString d = tmp.path();
        tz::test::writeFile(d + QStringLiteral("/old"), "kept\nbatch\n");
        const tz::LogMark mark{inodeOf(d + QStringLiteral("/old")), 5};
        // The batch filled current, which became an archive, and went on into more files.
        QVERIFY(QFile::rename(d + QStringLiteral("/old"), d + QStringLiteral("/@400000006b0000000000000a.s")));
        tz::test::writeFile(d + QStringLiteral("/@4000000060000000000000aa.s"), "older\n");
        tz::test::writeFile(d + QStringLiteral("/@400000006b0000000000000b.s"), "batch\n");
        tz::test::writeFile(d + QStringLiteral("/current"), "batch\n");
        const int dirFd = ::open(QFile::encodeName(d).constData(), O_RDONLY | O_DIRECTORY);
        tz::LogDir::rollBack(dirFd, mark);
        QCOMPARE(QDir(d).entryList(QDir::Files, QDir::Name),
                 (QStringList{QStringLiteral("@4000000060000000000000aa.s"), QStringLiteral("@400000006b0000000000000a.s")}));
        QCOMPARE(tz::test::readFile(d + QStringLiteral("/@400000006b0000000000000a.s")), QByteArray("kept\n"));
        QCOMPARE(tz::test::readFile(d + QStringLiteral("/@4000000060000000000000aa.s")), QByteArray("older\n"));
        ::close(dirFd);
    }

    // The batch filled current, which went on syncing as its .u archive (mode 755)
    // when the logger was killed, and more files came after it: the .u is cut back
    // and stays a .u, the rest goes.
    void rollBackFollowsAFileStillSyncing()
    {
        QTemporaryDir tmp;
        const QString d = tmp.path();
        const QString flying = d + QStringLiteral("/@400000006b0000000000000a.u");
        tz::test::writeFile(flying, "kept\nbatch\n");
        QVERIFY(::chmod(QFile::encodeName(flying).constData(), 0755) == 0);
        const tz::LogMark mark{inodeOf(flying), 5};
        tz::test::writeFile(d + QStringLiteral("/@4000000060000000000000aa.s"), "older\n");
        tz::test::writeFile(d + QStringLiteral("/@400000006b0000000000000b.u"), "batch\n");
        QVERIFY(::chmod(QFile::encodeName(d + QStringLiteral("/@400000006b0000000000000b.u")).constData(), 0755) == 0);
        tz::test::writeFile(d + QStringLiteral("/current"), "batch\n");
        const int dirFd = ::open(QFile::encodeName(d).constData(), O_RDONLY | O_DIRECTORY);
        tz::LogDir::rollBack(dirFd, mark);
        QCOMPARE(QDir(d).entryList(QDir::Files, QDir::Name),
                 (QStringList{QStringLiteral("@4000000060000000000000aa.s"), QStringLiteral("@400000006b0000000000000a.u")}));
        QCOMPARE(tz::test::readFile(flying), QByteArray("kept\n"));
        ::close(dirFd);
    }

    // The marked file is a .u archive that recovery made (mode 644 from a current,
    // 744 from a previous): some other logger recovered the directory after the
    // crash and wrote since. Nothing of that is undone.
    void rollBackLeavesAnotherLoggersRecovery_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("from current") << 0644;
        QTest::newRow("from previous") << 0744;
    }
    void rollBackLeavesAnotherLoggersRecovery()
    {
        QFETCH(int, mode);
        QTemporaryDir tmp;
        const QString d = tmp.path();
        tz::test::writeFile(d + QStringLiteral("/@400000006b0000000000000a.u"), "kept\nbatch\n");
        QVERIFY(::chmod(QFile::encodeName(d + QStringLiteral("/@400000006b0000000000000a.u")).constData(),
                        static_cast<mode_t>(mode)) == 0);
        tz::test::writeFile(d + QStringLiteral("/current"), "theirs\n");
        const tz::LogMark mark{inodeOf(d + QStringLiteral("/@400000006b0000000000000a.u")), 5};
        const int dirFd = ::open(QFile::encodeName(d).constData(), O_RDONLY | O_DIRECTORY);
        tz::LogDir::rollBack(dirFd, mark);
        QCOMPARE(tz::test::readFile(d + QStringLiteral("/@400000006b0000000000000a.u")), QByteArray("kept\nbatch\n"));
        QCOMPARE(tz::test::readFile(d + QStringLiteral("/current")), QByteArray("theirs\n"));
        ::close(dirFd);
    }

    void regularFileIsRead()
    {
        QTemporaryFile f;
        QVERIFY(f.open());
        f.write("abc\n");
        f.flush();
        const int fd = ::open(QFile::encodeName(f.fileName()).constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        QuietHost host;
        tz::LogSource source(fd, {}, host);
        QVERIFY(!source.journalled());
        char buf[16];
        source.begin();
        QCOMPARE(source.take(buf, sizeof buf, tz::Tai64n::now()), ssize_t{4});
        QCOMPARE(QByteArray(buf, 4), QByteArray("abc\n"));
        QCOMPARE(source.take(buf, sizeof buf, tz::Tai64n::now()), ssize_t{0});
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TestLogSource)
#include "test_logsource.moc"
