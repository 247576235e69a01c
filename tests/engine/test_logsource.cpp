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

ino_t inodeOf(const QString &path)
{
    struct stat st{};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

// A log directory "main" in a fresh folder and a pipe into it, as a logger finds them.
struct JournalSetup {
    QTemporaryDir tmp;
    int start = ::open(QFile::encodeName(tmp.path()).constData(), O_RDONLY | O_DIRECTORY);
    int fds[2] = {-1, -1};
    tz::LogDirConfig config;
    JournalSetup()
    {
        config.path = "main";
        if (::pipe(fds) != 0)
            qFatal("pipe");
    }
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
        char buf[64];
        if (::write(fds[1], input.constData(), input.size()) != input.size()
            || source.fill(buf, sizeof buf, stamp) != input.size())
            return false;
        (*dir)->put(written);
        (*dir)->flush();
        (*dir)->commit();
        if (commitBatch)
            source.commit();
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
            QCOMPARE(::write(j.fds[1], "one\ntwo\nthr", 11), ssize_t{11});
            char buf[64];
            const tz::Tai64n stamp{tz::tai64Epoch + 1000, 5};
            QCOMPARE(source.fill(buf, sizeof buf, stamp), ssize_t{11});
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
        QCOMPARE(replay->stamp, (tz::Tai64n{tz::tai64Epoch + 1000, 5}));
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
            QCOMPARE(::write(j.fds[1], "ee\n", 3), ssize_t{3});
            char buf[64];
            QCOMPARE(source.fill(buf, sizeof buf, tz::Tai64n{tz::tai64Epoch + 2000, 0}), ssize_t{3});
        }
        replay = j.recover();
        QVERIFY(replay);
        QCOMPARE(QByteArray::fromStdString(replay->tail), QByteArray("thr"));
        QCOMPARE(replay->tailStamp, (tz::Tai64n{tz::tai64Epoch + 1000, 5}));
        QCOMPARE(QByteArray::fromStdString(replay->data), QByteArray("ee\n"));

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
        QCOMPARE(sizeOf(j.file("lock")), qint64(tz::journalHeaderSize));
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

    void rollBackLeavesAnotherLoggersRecovery()
    {
        // The marked file is a .u archive: some other logger recovered the directory
        // after the crash and wrote since. Nothing of that is undone.
        QTemporaryDir tmp;
        const QString d = tmp.path();
        tz::test::writeFile(d + QStringLiteral("/@400000006b0000000000000a.u"), "kept\nbatch\n");
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
        QCOMPARE(source.fill(buf, sizeof buf, tz::Tai64n::now()), ssize_t{4});
        QCOMPARE(QByteArray(buf, 4), QByteArray("abc\n"));
        QCOMPARE(source.fill(buf, sizeof buf, tz::Tai64n::now()), ssize_t{0});
        ::close(fd);
    }
};

QTEST_GUILESS_MAIN(TestLogSource)
#include "test_logsource.moc"
