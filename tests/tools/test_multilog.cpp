// SPDX-License-Identifier: MIT
// Behaviour tests for multilog with real processes: rotation, signals, processors, status, selection, a full disk.
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <linux/magic.h>
#include <memory>
#include <poll.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

using namespace tz::test;

namespace {

// A multilog whose stdin is a pipe the test writes to, with stderr in a file.
class Logger {
public:
    // With sharedInput >= 0 the logger reads that descriptor (the read end of a
    // pipe someone else writes, as svscan hands one to each new logger).
    Logger(const QString &program, const QStringList &args, const QString &cwd, const QString &errFile,
           int sharedInput = -1)
    {
        int fds[2] = {sharedInput, -1};
        if (sharedInput < 0) {
            if (::pipe2(fds, O_CLOEXEC) < 0)
                qFatal("pipe");
            m_in = fds[1];
            m_readEnd = fds[0];
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
        posix_spawn_file_actions_addopen(&actions, 2, QFile::encodeName(errFile).constData(),
                                         O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_addchdir_np(&actions, QFile::encodeName(cwd).constData());
        QList<QByteArray> store{QFile::encodeName(program)};
        for (const QString &a : args)
            store.append(a.toLocal8Bit());
        std::vector<char *> argv;
        for (QByteArray &s : store)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        if (posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
            qFatal("spawn %s", qPrintable(program));
        posix_spawn_file_actions_destroy(&actions);
    }

    ~Logger()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        closeInput();
        if (m_readEnd >= 0)
            ::close(m_readEnd);
    }

    void write(const QByteArray &data)
    {
        const char *p = data.constData();
        qsizetype left = data.size();
        while (left > 0) {
            const ssize_t w = ::write(m_in, p, static_cast<size_t>(left));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                qFatal("write to multilog: %s", strerror(errno));
            }
            p += w;
            left -= w;
        }
    }

    void closeInput()
    {
        if (m_in >= 0)
            ::close(m_in);
        m_in = -1;
    }

    // Bytes still in the pipe, not yet read by multilog.
    int unread() const
    {
        int n = 0;
        ::ioctl(m_readEnd, FIONREAD, &n);
        return n;
    }

    QByteArray readLeftover()
    {
        QByteArray out;
        char buf[4096];
        ::fcntl(m_readEnd, F_SETFL, O_NONBLOCK);
        for (;;) {
            const ssize_t r = ::read(m_readEnd, buf, sizeof buf);
            if (r <= 0)
                break;
            out.append(buf, r);
        }
        return out;
    }

    void signal(int sig) { ::kill(m_pid, sig); }
    int inputFd() const { return m_in; }
    int readEnd() const { return m_readEnd; }

    // Waits for the exit; returns the exit code, or -1 on a signal or timeout.
    int wait(int timeoutMs = 20000)
    {
        int status = 0;
        const bool done = waitFor([&] { return ::waitpid(m_pid, &status, WNOHANG) == m_pid; }, timeoutMs);
        if (!done)
            return -2;
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    bool running() const { return m_pid > 0 && ::kill(m_pid, 0) == 0; }
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_in = -1;
    int m_readEnd = -1;
};

int fileMode(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) < 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

QStringList archives(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("@*")}, QDir::Files, QDir::Name);
}

QByteArray numberedLines(int from, int to, int width = 0)
{
    QByteArray out;
    for (int i = from; i < to; ++i) {
        QByteArray line = QByteArray::number(i);
        if (width > line.size())
            line += ' ' + QByteArray(width - line.size() - 1, 'x');
        out += line + '\n';
    }
    return out;
}

// All log content of a directory, archives in order then current.
QByteArray allContent(const QString &dir)
{
    QByteArray out;
    for (const QString &a : archives(dir))
        out += readFile(dir + QLatin1Char('/') + a);
    return out + readFile(dir + QStringLiteral("/current"));
}

QByteArray stripStamps(const QByteArray &text)
{
    static const QRegularExpression stamp(QStringLiteral("^@[0-9a-f]{24} "), QRegularExpression::MultilineOption);
    return QString::fromLatin1(text).remove(stamp).toLatin1();
}

} // namespace

class TestMultilog : public QObject {
    Q_OBJECT

private slots:
    // multilog writes on a thread of its own while it takes the next batch, as
    // the golden and fault tests see it too: these tests, signals and kill -9
    // included, see the threaded logger. Where no thread can be had it writes in
    // line (processLimitLeavesNoThread, idleLoggerFinishesSyncedRotation).
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>(QStringLiteral("/dev/shm/tazuna-multilog-XXXXXX"));
        QVERIFY(m_tmp->isValid());
        m_dir = m_tmp->filePath(QStringLiteral("log"));
        m_err = m_tmp->filePath(QStringLiteral("stderr"));
    }

    void cleanup() { m_tmp.reset(); }

    void rotationSmallSize()
    {
        Logger log(toolPath("multilog"), {"t", "s4096", "n3", "./log"}, m_tmp->path(), m_err);
        log.write(numberedLines(0, 1000, 40));
        // current, still being written, is 0644. A rotation may be under way when
        // the input is all read: for a moment there is no current (0.76 too renames
        // it before it makes the next one).
        QVERIFY(waitFor([&] { return log.unread() == 0 && archives(m_dir).size() == 2 && fileMode(m_dir + "/current") == 0644; }));
        log.closeInput();
        QCOMPARE(log.wait(), 0);

        const QStringList names = archives(m_dir);
        QCOMPARE(names.size(), 2); // n3 keeps n-1 archives
        static const QRegularExpression archiveName(QStringLiteral("^@[0-9a-f]{24}\\.s$"));
        for (const QString &name : names) {
            QVERIFY2(archiveName.match(name).hasMatch(), qPrintable(name));
            QCOMPARE(fileMode(m_dir + "/" + name), 0744);
            const QByteArray content = readFile(m_dir + "/" + name);
            QVERIFY(content.size() >= 4096 - 2000 && content.size() <= 4096);
            QVERIFY(content.endsWith('\n'));
        }
        QVERIFY(names[0] < names[1]);
        QCOMPARE(fileMode(m_dir + "/current"), 0744); // complete after a clean exit
        // The newest lines are all there, in order, each stamped.
        const QByteArray tail = allContent(m_dir);
        QVERIFY(stripStamps(tail).endsWith(numberedLines(950, 1000, 40)));
        QCOMPARE(readFile(m_err), QByteArray());
    }

    void alarmRotatesNow()
    {
        Logger log(toolPath("multilog"), {"./log"}, m_tmp->path(), m_err);
        log.write("one\n");
        QVERIFY(waitFor([&] { return readFile(m_dir + "/current") == "one\n"; }));
        log.signal(SIGALRM);
        QVERIFY(waitFor([&] { return archives(m_dir).size() == 1; }));
        QCOMPARE(readFile(m_dir + "/" + archives(m_dir)[0]), QByteArray("one\n"));
        QCOMPARE(readFile(m_dir + "/current"), QByteArray());
        // An empty current is not rotated.
        log.signal(SIGALRM);
        log.write("two\n");
        QVERIFY(waitFor([&] { return readFile(m_dir + "/current") == "two\n"; }));
        QCOMPARE(archives(m_dir).size(), 1);
        log.closeInput();
        QCOMPARE(log.wait(), 0);
    }

    // TERM in the middle of a line: multilog reads on to that line's end, byte by
    // byte, and leaves the next line in the pipe for whoever reads next.
    void termFinishesTheLine()
    {
        Logger log(toolPath("multilog"), {"./log"}, m_tmp->path(), m_err);
        log.write("first\nabc");
        QVERIFY(waitFor([&] { return log.unread() == 0 && readFile(m_dir + "/current") == "first\n"; }));
        log.signal(SIGTERM);
        QTest::qWait(50); // give a wrong implementation the chance to exit early
        QVERIFY(log.running());
        log.write("def\nnext line\n");
        QCOMPARE(log.wait(), 0);
        QCOMPARE(readFile(m_dir + "/current"), QByteArray("first\nabcdef\n"));
        QCOMPARE(fileMode(m_dir + "/current"), 0744);
        QCOMPARE(log.readLeftover(), QByteArray("next line\n"));
    }

    void termWhenIdleExits()
    {
        Logger log(toolPath("multilog"), {"./log"}, m_tmp->path(), m_err);
        log.write("only\n");
        QVERIFY(waitFor([&] { return readFile(m_dir + "/current") == "only\n"; }));
        log.signal(SIGTERM);
        QCOMPARE(log.wait(), 0);
        QCOMPARE(fileMode(m_dir + "/current"), 0744);
    }

    // The processor gets previous on fd 0, writes processed on fd 1, reads the
    // last state on fd 4 and leaves the next one on fd 5.
    void processorAndState()
    {
        const QString script = QStringLiteral("!cat; n=$(cat <&4); echo $((${n:-0} + 1)) >&5");
        Logger log(toolPath("multilog"), {"s4096", script, "./log"}, m_tmp->path(), m_err);
        log.write("a\n");
        QVERIFY(waitFor([&] { return readFile(m_dir + "/current") == "a\n"; }));
        for (int i = 1; i <= 3; ++i) {
            log.signal(SIGALRM);
            QVERIFY(waitFor([&] { return archives(m_dir).size() == i; }));
            QVERIFY(waitFor([&] { return readFile(m_dir + "/state") == QByteArray::number(i) + '\n'; }));
            log.write(QByteArray::number(i) + '\n');
            QVERIFY(waitFor([&] { return readFile(m_dir + "/current") == QByteArray::number(i) + '\n'; }));
        }
        log.closeInput();
        QCOMPARE(log.wait(), 0);
        const QStringList names = archives(m_dir);
        QCOMPARE(readFile(m_dir + "/" + names[0]), QByteArray("a\n"));
        QCOMPARE(readFile(m_dir + "/" + names[2]), QByteArray("2\n"));
        QVERIFY(!QFile::exists(m_dir + "/previous"));
        QVERIFY(!QFile::exists(m_dir + "/processed"));
        QVERIFY(!QFile::exists(m_dir + "/newstate"));
        QCOMPARE(readFile(m_err), QByteArray());
    }

    void processorTransforms()
    {
        ProcessResult r = runShell(QStringLiteral("seq 1 2000 | %1 s4096 '!tr 0-9 a-j' ./log").arg(toolPath("multilog")),
                                   {QByteArray(), m_tmp->path()});
        QCOMPARE(r.exitCode, 0);
        const QStringList names = archives(m_dir);
        QVERIFY(names.size() >= 2);
        QCOMPARE(readFile(m_dir + "/" + names[0]).left(4), QByteArray("b\nc\n"));
        QCOMPARE(fileMode(m_dir + "/" + names[0]), 0744);
    }

    void statusFile()
    {
        Logger log(toolPath("multilog"), {"t", "=status", "./log"}, m_tmp->path(), m_err);
        log.write("first\nsecond\n");
        const QString status = m_tmp->filePath("status");
        QVERIFY(waitFor([&] { return readFile(status).mid(26, 7) == "second\n"; }));
        const QByteArray content = readFile(status);
        QCOMPARE(content.size(), 1001);
        QCOMPARE(content.mid(26), QByteArray("second") + QByteArray(1001 - 32, '\n'));
        QVERIFY(content.startsWith('@'));
        log.closeInput();
        QCOMPARE(log.wait(), 0);
    }

    void alertsAndSelection()
    {
        Logger log(toolPath("multilog"), {"-*", "+*fatal*", "e", "./fatal", "+*", "-*debug*", "./log"}, m_tmp->path(),
                   m_err);
        log.write("info: a\nfatal: " + QByteArray(300, 'F') + "\ndebug: b\ninfo: c\n");
        log.closeInput();
        QCOMPARE(log.wait(), 0);
        QCOMPARE(readFile(m_err), ("fatal: " + QByteArray(193, 'F') + "...\n"));
        QCOMPARE(readFile(m_tmp->filePath("fatal/current")), "fatal: " + QByteArray(300, 'F') + "\n");
        QCOMPARE(readFile(m_dir + "/current"), "info: a\nfatal: " + QByteArray(300, 'F') + "\ninfo: c\n");
    }

    void secondLoggerIsLockedOut()
    {
        Logger first(toolPath("multilog"), {"./log"}, m_tmp->path(), m_err);
        first.write("x\n");
        QVERIFY(waitFor([&] { return readFile(m_dir + "/current") == "x\n"; }));
        const ProcessResult r = run(toolPath("multilog"), {"./log"}, {QByteArray("y\n"), m_tmp->path()});
        QCOMPARE(r.exitCode, 111);
        QCOMPARE(r.err, QByteArray("multilog: fatal: unable to lock directory ./log: temporary failure\n"));
        // Debian's multilog respects our lock too.
        const ProcessResult ref = run(referencePath("multilog"), {"./log"}, {QByteArray("y\n"), m_tmp->path()});
        QCOMPARE(ref.exitCode, 111);
    }

    // Rotation points, file sizes and contents equal the reference's on input
    // with lines of every length, long ones included.
    void sameFilesAsReference()
    {
        QByteArray input;
        quint32 seed = 12345;
        const auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
        for (int i = 0; i < 1500; ++i) {
            static const int widths[] = {0, 1, 10, 60, 120, 500, 973, 974, 975, 999, 1000, 1001, 2500};
            const int w = widths[next() % 13];
            QByteArray line(w, 'a');
            for (int j = 0; j < w; ++j)
                line[j] = static_cast<char>('a' + next() % 26);
            input += line + '\n';
        }
        writeFile(m_tmp->filePath("input"), input);
        for (const QString &script : {QStringLiteral("t s4096 n100"), QStringLiteral("s5000 n100"),
                                      QStringLiteral("t s8000 n100 -*qq* e")}) {
            const QString cmd = QStringLiteral("cd %1 && rm -rf ours ref && %2 %3 ./ours < input 2>ours.err && %4 %3 ./ref < input 2>ref.err")
                                    .arg(m_tmp->path(), toolPath("multilog"), script, referencePath("multilog"));
            RunOptions options;
            options.timeoutMs = 60000;
            const ProcessResult r = runShell(cmd, options);
            QVERIFY2(!r.timedOut, "timed out");
            QCOMPARE(r.exitCode, 0);
            const QStringList ours = archives(m_tmp->filePath("ours"));
            const QStringList ref = archives(m_tmp->filePath("ref"));
            QCOMPARE(ours.size(), ref.size());
            QVERIFY(ours.size() > 5);
            for (int i = 0; i < ours.size(); ++i)
                QCOMPARE(stripStamps(readFile(m_tmp->filePath("ours/" + ours[i]))),
                         stripStamps(readFile(m_tmp->filePath("ref/" + ref[i]))));
            QCOMPARE(stripStamps(readFile(m_tmp->filePath("ours/current"))),
                     stripStamps(readFile(m_tmp->filePath("ref/current"))));
            QCOMPARE(stripStamps(readFile(m_tmp->filePath("ours.err"))), stripStamps(readFile(m_tmp->filePath("ref.err"))));
        }
    }

    // A full disk: multilog says so, keeps the unwritten bytes and retries; once
    // space is freed every line arrives, once, in order.
    void diskFullIsRetried()
    {
        const QString mnt = m_tmp->filePath("small");
        QVERIFY(QDir().mkpath(mnt));
        const QByteArray mntPath = QFile::encodeName(mnt);
        // Room for current and for one batch in the input journal (LogSource).
        QVERIFY2(::mount("tazuna-test", mntPath.constData(), "tmpfs", 0, "size=160k") == 0, strerror(errno));
        struct Unmount {
            QByteArray path;
            ~Unmount() { ::umount2(path.constData(), MNT_DETACH); }
        } unmount{mntPath};

        // Fill most of the file system so that the log runs out of room quickly.
        const QString filler = mnt + "/filler";
        QFile f(filler);
        QVERIFY(f.open(QIODevice::WriteOnly));
        while (f.write(QByteArray(4096, 'f')) == 4096 && f.flush()) {
        }
        f.close();
        QVERIFY(QFile::resize(filler, QFileInfo(filler).size() - 12 * 1024));

        Logger log(toolPath("multilog"), {"s1000000", "./log"}, mnt, m_err);
        const QByteArray lines = numberedLines(0, 3000, 20);
        log.write(lines.left(30000));
        const QByteArray warning("multilog: warning: unable to write to ./log/current, pausing: out of disk space\n");
        QVERIFY(waitFor([&] { return readFile(m_err).contains(warning); }, 15000));
        QVERIFY(QFile::remove(filler));
        log.write(lines.mid(30000));
        log.closeInput();
        QCOMPARE(log.wait(30000), 0);
        QCOMPARE(readFile(mnt + "/log/current"), lines);
        // Taking (into the journal, ./log/lock) and writing run on two threads: both
        // may find the disk full, in either order, and say so; nothing else is said.
        const QByteArray journalWarning("multilog: warning: unable to write to ./log/lock, pausing: out of disk space");
        const QByteArray err = readFile(m_err);
        for (const QByteArray &said : err.split('\n'))
            QVERIFY2(said.isEmpty() || said + '\n' == warning || said == journalWarning, err.left(400).constData());
    }

    // kill -9 loses nothing: the next multilog, even on another pipe, finishes
    // what the killed one took; nothing is duplicated or reordered.
    void killNineLosesLittle()
    {
        QByteArray all;
        int next = 0;
        {
            Logger log(toolPath("multilog"), {"s16777215", "./log"}, m_tmp->path(), m_err);
            for (int round = 0; round < 5; ++round) {
                const QByteArray chunk = numberedLines(next, next + 2000, 30);
                next += 2000;
                all += chunk;
                log.write(chunk);
            }
            QVERIFY(waitFor([&] { return log.unread() == 0; }));
            QVERIFY(waitFor([&] { return readFile(m_dir + "/current").size() == all.size(); }));
            log.signal(SIGKILL);
            QCOMPARE(log.wait(), -1);
        }
        // A crash leaves current without the execute bit: the next run archives it as .u,
        // after cutting the last batch off it, which it writes again (from the input
        // journal) into the new current, exactly once.
        const ProcessResult r = run(toolPath("multilog"), {"s16777215", "./log"}, {QByteArray("after\n"), m_tmp->path()});
        QCOMPARE(r.exitCode, 0);
        const QStringList names = archives(m_dir);
        QCOMPARE(names.size(), 1);
        QVERIFY(names[0].endsWith(".u"));
        QCOMPARE(readFile(m_dir + "/" + names[0]) + readFile(m_dir + "/current"), all + "after\n");
        QVERIFY(readFile(m_dir + "/current").endsWith("after\n"));
    }

    // kill -9 in the middle of a stream: the next logger on the same pipe goes on
    // from where the first one's output ends; no whole line is lost, nothing is
    // reordered or cut.
    void killNineMidStream()
    {
        constexpr int total = 200000;
        const QByteArray lines = numberedLines(0, total, 30);
        Logger first(toolPath("multilog"), {"s16777215", "./log"}, m_tmp->path(), m_err);
        const int writeEnd = first.inputFd();
        std::thread writer([&] {
            const char *p = lines.constData();
            qsizetype left = lines.size();
            while (left > 0) {
                const ssize_t w = ::write(writeEnd, p, static_cast<size_t>(std::min<qsizetype>(left, 3000)));
                if (w <= 0)
                    return;
                p += w;
                left -= w;
            }
        });
        QVERIFY(waitFor([&] { return QFileInfo(m_dir + "/current").size() > 1000000; }));
        first.signal(SIGKILL);
        QCOMPARE(first.wait(), -1);
        Logger second(toolPath("multilog"), {"s16777215", "./log"}, m_tmp->path(), m_err, first.readEnd());
        writer.join();
        first.closeInput();
        QCOMPARE(second.wait(30000), 0);

        const QStringList names = archives(m_dir);
        QCOMPARE(names.size(), 1);
        QVERIFY(names[0].endsWith(".u"));
        const QByteArray before = readFile(m_dir + "/" + names[0]);
        const QByteArray after = readFile(m_dir + "/current");
        QVERIFY(lines.startsWith(before));           // whole lines, in order, from the start
        QVERIFY(lines.endsWith(after));              // whole lines, in order, to the end
        // The batch the first logger was in is cut back and written again from the
        // journal: every byte once.
        QCOMPARE(before + after, lines);
        QCOMPARE(readFile(m_err), QByteArray());
    }

    // kill -9 while a line is unfinished at the end of a read: a start that
    // multilog still held (shorter than 0.76's 1000 bytes) and the rest of a
    // longer line that was streaming both come out whole after the restart, as
    // one line with one stamp.
    void killNineMidLine_data()
    {
        QTest::addColumn<int>("before");
        QTest::addColumn<int>("after");
        QTest::addColumn<bool>("deselected"); // by "-* L*": the line's head decides, before and after the kill
        QTest::newRow("held start of 950 bytes") << 950 << 20 << false;
        QTest::newRow("long line streaming") << 3000 << 2000 << false;
        QTest::newRow("long line deselected") << 3000 << 2000 << true;
    }
    void killNineMidLine()
    {
        QFETCH(int, before);
        QFETCH(int, after);
        QFETCH(bool, deselected);
        const QByteArray line = QByteArray(before + after, 'L');
        const QStringList script = deselected ? QStringList{"t", "-* L*", "s16777215", "./log"} : QStringList{"t", "s16777215", "./log"};
        Logger first(toolPath("multilog"), script, m_tmp->path(), m_err);
        // Two reads: the line's start comes from a batch before the one that is
        // pending when the logger dies, so only the journal's copy of it is left.
        const int second = 10;
        for (const int upTo : {before - second, before}) {
            first.write((upTo < before ? "a\n" + line.left(upTo) : line.mid(before - second, second)));
            QVERIFY(waitFor([&] { return first.unread() == 0; }));
            // What 0.76 writes of it at once: the stamped "a", and of a line over
            // 1000 bytes with its stamp, everything so far.
            const qsizetype written = 28 + (upTo + 26 >= 1000 && !deselected ? 26 + upTo : 0);
            QVERIFY(waitFor([&] { return QFileInfo(m_dir + "/current").size() == written; }));
        }
        first.signal(SIGKILL);
        QCOMPARE(first.wait(), -1);
        {
            Logger next(toolPath("multilog"), script, m_tmp->path(), m_err, first.readEnd());
            first.write(line.mid(before) + "\nb\n");
            first.closeInput();
            QCOMPARE(next.wait(), 0);
        }
        const QByteArray all = allContent(m_dir);
        QCOMPARE(stripStamps(all), deselected ? QByteArray("a\nb\n") : "a\n" + line + "\nb\n");
        QCOMPARE(all.count('@'), deselected ? 2 : 3);
        QCOMPARE(readFile(m_err), QByteArray());
    }

    // A process that cuts the lock file short under a busy logger takes away
    // the batch being read from the journal. multilog says so and exits 111, as
    // for any fatal error, instead of retrying a read that can never succeed.
    // (What was pending is lost by the cut, not by the logger.)
    void journalCutShortIsReported_data()
    {
        QTest::addColumn<QString>("base");
        QTest::newRow("disk") << QDir::tempPath();
        QTest::newRow("tmpfs") << QStringLiteral("/dev/shm");
    }
    void journalCutShortIsReported()
    {
        QFETCH(QString, base);
        ::signal(SIGPIPE, SIG_IGN);
        QTemporaryDir work(base + QStringLiteral("/tazuna-multilog-cut-XXXXXX"));
        QVERIFY(work.isValid());
        const QString dir = work.filePath(QStringLiteral("log"));
        const QString errFile = work.filePath(QStringLiteral("stderr"));
        Logger log(toolPath("multilog"), {"t", "s16777215", "./log"}, work.path(), errFile);
        QVERIFY(waitFor([&] { return QFileInfo(dir + "/lock").size() > 0; }));
        std::atomic<bool> stop{false};
        // The test holds the pipe's read end too: writes to a logger that died
        // would block rather than fail, so the feeder never waits for long.
        ::fcntl(log.inputFd(), F_SETFL, O_NONBLOCK);
        std::thread feeder([&] {
            const QByteArray chunk = numberedLines(0, 20000, 100);
            while (!stop.load()) {
                pollfd p{log.inputFd(), POLLOUT, 0};
                if (::poll(&p, 1, 100) > 0 && ::write(log.inputFd(), chunk.constData(), static_cast<size_t>(chunk.size())) < 0
                    && errno != EAGAIN)
                    break;
            }
        });
        const QByteArray lock = QFile::encodeName(dir + "/lock");
        QElapsedTimer clock;
        clock.start();
        int cuts = 0;
        while (log.running() && clock.elapsed() < 2000) {
            const int fd = ::open(lock.constData(), O_WRONLY | O_CLOEXEC);
            if (fd >= 0) {
                (void)::ftruncate(fd, 0);
                ::close(fd);
                ++cuts;
            }
        }
        stop = true;
        feeder.join();
        log.closeInput();
        const int code = log.wait(60000);
        const QByteArray err = readFile(errFile);
        qInfo("%d cuts, exit %d", cuts, code);
        QVERIFY2(code == 0 || code == 111, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(QString::fromLatin1(err))));
        if (code == 111)
            QVERIFY2(err.contains("multilog: fatal: unable to read the input journal ./log/lock: another process cut it short\n"),
                     err.constData());
    }

    // A full current is synced on a thread of its own; where the process limit
    // leaves no room for a thread (softlimit -p, as log services often run), the
    // sync is done in line instead, as 0.76 does. (Only a user other than root is
    // held to the limit.) So is a log's writeback, started every 4 MiB.
    void processLimitLeavesNoThread()
    {
        QVERIFY(::chown(QFile::encodeName(m_tmp->path()).constData(), 65534, 65534) == 0);
        const QByteArray input = numberedLines(0, 10000, 30);
        const ProcessResult r = run(QStringLiteral("setpriv"),
                                    {"--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--nproc=1",
                                     toolPath("multilog"), "s4096", "n3", "./log"},
                                    {input, m_tmp->path()});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err, QByteArray());
        QCOMPARE(archives(m_dir).size(), 2);
        const QByteArray all = allContent(m_dir);
        QVERIFY(input.endsWith(all));
        QVERIFY(!QFile::exists(m_dir + "/previous"));

        // More than 4 MiB into one file: its writeback, started on a thread of
        // its own where one can be had, is started inline.
        const QByteArray more = numberedLines(0, 200000, 30);
        const ProcessResult big = run(QStringLiteral("setpriv"),
                                      {"--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--nproc=1",
                                       toolPath("multilog"), "s16777215", "./big"},
                                      {more, m_tmp->path()});
        QCOMPARE(big.exitCode, 0);
        QCOMPARE(big.err, QByteArray());
        QCOMPARE(readFile(m_tmp->filePath(QStringLiteral("big/current"))), more);
    }

    // A rotation's sync and archiving run on a thread of their own. When they
    // are done, the idle logger is woken to finish the rotation: it closes the
    // archive (and would retry a step that failed, with its warning) now rather
    // than at the next input. Its writer thread waits in the handoff; a logger
    // that found no room for that thread writes in line and waits in poll(2),
    // and can still get a thread later for the sync (another process of its
    // user has exited meanwhile). The sync must take a while for the logger to
    // fall asleep first, so this runs on a disk (tmpfs syncs at once).
    void idleLoggerFinishesSyncedRotation_data()
    {
        QTest::addColumn<bool>("inlineWriter");
        QTest::newRow("writer thread") << false;
        QTest::newRow("writing in line") << true;
    }

    void idleLoggerFinishesSyncedRotation()
    {
        QFETCH(bool, inlineWriter);
        QTemporaryDir disk(QDir::tempPath() + QStringLiteral("/tazuna-multilog-XXXXXX"));
        QVERIFY(disk.isValid());
        struct statfs fs{};
        QVERIFY(::statfs(QFile::encodeName(disk.path()).constData(), &fs) == 0);
        QVERIFY2(fs.f_type != TMPFS_MAGIC, "TMPDIR must be on a disk for this test");
        QVERIFY(::chown(QFile::encodeName(disk.path()).constData(), 65534, 65534) == 0);
        const QString dir = disk.filePath(QStringLiteral("log"));
        const QStringList asNobody{"--reuid=65534", "--regid=65534", "--clear-groups"};
        // The process limit counts every task of the user: this one leaves no
        // room for a writer thread beside multilog.
        std::unique_ptr<Logger> holder;
        if (inlineWriter) {
            holder = std::make_unique<Logger>(QStringLiteral("/usr/bin/setpriv"),
                                              asNobody + QStringList{"sleep", "100"}, disk.path(), m_err);
            QVERIFY(waitFor([&] { return readFile(QStringLiteral("/proc/%1/comm").arg(holder->pid())) == "sleep\n"; }));
        }
        const QStringList multilog{toolPath("multilog"), "s16777215", "./log"};
        Logger log(QStringLiteral("/usr/bin/setpriv"),
                   asNobody + (inlineWriter ? QStringList{"prlimit", "--nproc=2"} + multilog : multilog), disk.path(), m_err);
        const QByteArray lines = numberedLines(0, 50000, 40); // 2 MB: a sync that takes a while
        log.write(lines);
        QVERIFY(waitFor([&] { return log.unread() == 0 && readFile(dir + "/current") == lines; }));
        const QDir tasks(QStringLiteral("/proc/%1/task").arg(log.pid()));
        QCOMPARE(tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), inlineWriter ? 1 : 2);

        if (holder) {
            holder->signal(SIGKILL);
            QCOMPARE(holder->wait(), -1); // reaped: its task no longer counts
        }
        log.signal(SIGALRM);
        // The full file is its .u archive at once, and once synced its .s archive,
        // then given mode 744.
        QVERIFY(waitFor([&] {
            const QStringList a = archives(dir);
            return a.size() == 1 && a[0].endsWith(".s") && fileMode(dir + "/" + a[0]) == 0744;
        }));
        const QString archive = dir + "/" + archives(dir)[0];
        QCOMPARE(readFile(archive), lines);
        // Whether the logger still holds the archive open: its inode tells.
        struct stat archived{};
        QVERIFY(::stat(QFile::encodeName(archive).constData(), &archived) == 0);
        const auto holdsArchive = [&] {
            for (int fd = 0; fd < 1024; ++fd) {
                struct stat st{};
                const QByteArray link = QStringLiteral("/proc/%1/fd/%2").arg(log.pid()).arg(fd).toLatin1();
                if (::stat(link.constData(), &st) == 0 && st.st_ino == archived.st_ino && st.st_dev == archived.st_dev)
                    return true;
            }
            return false;
        };
        QVERIFY(waitFor([&] { return !holdsArchive(); }));
        QVERIFY(log.running());
        log.closeInput();
        QCOMPARE(log.wait(), 0);
        QCOMPARE(readFile(m_err), QByteArray());
    }

    // tai64nlocal leaves a malformed or truncated label alone where 0.76 crashes.
    void tai64nlocalMalformedStamps()
    {
        const QByteArray input("@4000000\n@400000006b08a83139a3af1\n@400000006B08A83139A3AF14 up\n@\n@zz\n"
                               "@7fffffffffffffff00000000 far\n@400000006b08a83139a3af14 ok\n@40000000");
        RunOptions options;
        options.input = input;
        options.environment.insert("TZ", "UTC");
        const ProcessResult r = run(toolPath("tai64nlocal"), {}, options);
        QVERIFY(!r.crashed);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("@4000000\n@400000006b08a83139a3af1\n@400000006B08A83139A3AF14 up\n@\n@zz\n"
                                   "@7fffffffffffffff00000000 far\n2026-11-26 21:44:07.967028500 ok\n@40000000"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dir;
    QString m_err;
};

QTEST_GUILESS_MAIN(TestMultilog)
#include "test_multilog.moc"
