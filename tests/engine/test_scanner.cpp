// SPDX-License-Identifier: MIT
// tz::Scanner in-process, with a stand-in supervise that records how it was started.
#include "scanner.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tz::test;

namespace {

QByteArray enc(const QString &s) { return QFile::encodeName(s); }

// Drives the scanner as a host's event loop would, until cond holds; short poll
// timeouts, because some conditions (a file the children write) are not events.
bool pump(tz::Scanner &scanner, const std::function<bool()> &cond, int timeoutMs = 10000)
{
    QElapsedTimer t;
    t.start();
    while (!cond()) {
        if (t.elapsed() > timeoutMs)
            return false;
        std::vector<pollfd> fds;
        for (const int fd : scanner.pollFds())
            fds.push_back(pollfd{fd, POLLIN, 0});
        ::poll(fds.data(), fds.size(), std::min(scanner.timeoutMs(), 20));
        scanner.processEvents();
    }
    return true;
}

// The scanner reads SIGCHLD from a signalfd, so SIGCHLD must be blocked in every
// thread of the host: here before QtTest starts its watchdog thread.
const bool sigchldBlocked = [] {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    return pthread_sigmask(SIG_BLOCK, &chld, nullptr) == 0;
}();

pid_t parentOf(pid_t pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    const QList<QByteArray> fields = close < 0 ? QList<QByteArray>() : stat.mid(close + 2).split(' ');
    return fields.size() > 1 ? static_cast<pid_t>(fields.at(1).toInt()) : 0;
}

} // namespace

class TestScanner : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_scan;
    QString m_fake;
    QStringList m_events;
    QList<pid_t> m_started;

    tz::ScannerCallbacks recorder()
    {
        tz::ScannerCallbacks cb;
        cb.appeared = [this](const tz::ServiceView &v) {
            m_events << QStringLiteral("appeared %1%2").arg(QString::fromStdString(v.name), v.hasLog ? " +log" : "");
        };
        cb.disappeared = [this](const tz::ServiceView &v) {
            m_events << QStringLiteral("disappeared %1").arg(QString::fromStdString(v.name));
        };
        cb.renamed = [this](const tz::ServiceView &v, const std::string &old) {
            m_events << QStringLiteral("renamed %1 %2").arg(QString::fromStdString(old), QString::fromStdString(v.name));
        };
        cb.started = [this](const tz::ServiceView &, bool, pid_t pid) { m_started << pid; };
        cb.warning = [this](const tz::Failure &f) { m_events << QString::fromStdString("warning " + f.describe()); };
        return cb;
    }

    tz::ScannerOptions options(tz::LogRule rule = tz::LogRule::Sticky)
    {
        tz::ScannerOptions o;
        o.supervise = enc(m_fake).toStdString();
        o.logRule = rule;
        return o;
    }

    // Lines the stand-in supervise wrote: "<cwd> <arg> <fd summary>".
    QStringList calls() const
    {
        return QString::fromUtf8(readFile(m_tmp.filePath(QStringLiteral("calls")))).split('\n', Qt::SkipEmptyParts);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // Records its working directory, its argument, what fd 0 and 1 are, and
        // whether any descriptor of the scanner's own leaked into it.
        m_fake = m_tmp.filePath(QStringLiteral("fake-supervise"));
        writeFile(m_fake,
                  QStringLiteral("#!/bin/sh\n"
                                 "in=$(readlink /proc/$$/fd/0)\n"
                                 "out=$(readlink /proc/$$/fd/1)\n"
                                 "leak=$(ls -l /proc/$$/fd | grep -c -e inotify -e signalfd)\n"
                                 "echo \"$(pwd) $1 in=$in out=$out leaks=$leak\" >> %1\n"
                                 "exec sleep 1000\n")
                      .arg(m_tmp.filePath(QStringLiteral("calls")))
                      .toUtf8(),
                  0755);
    }

    void init()
    {
        m_scan = m_tmp.filePath(QStringLiteral("scan%1").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(QDir().mkpath(m_scan));
        QFile::remove(m_tmp.filePath(QStringLiteral("calls")));
        m_events.clear();
        m_started.clear();
    }

    void cleanup()
    {
        // Only what is still our child: a reaped pid may belong to someone else now.
        for (const pid_t pid : m_started)
            if (parentOf(pid) == ::getpid())
                ::kill(pid, SIGKILL);
    }

    void parseLogRule()
    {
        QVERIFY(sigchldBlocked);
        QCOMPARE(tz::parseLogRule(""), tz::LogRule::Sticky);
        QCOMPARE(tz::parseLogRule("sticky"), tz::LogRule::Sticky);
        QCOMPARE(tz::parseLogRule("0.76"), tz::LogRule::Always);
        QVERIFY(!tz::parseLogRule("always"));
    }

    void startsOnePerDirectoryAndSkipsTheRest()
    {
        QVERIFY(QDir().mkpath(m_scan + "/a"));
        QVERIFY(QDir().mkpath(m_scan + "/b/log"));
        QVERIFY(QDir().mkpath(m_scan + "/.dot"));
        writeFile(m_scan + "/file", "x");
        QVERIFY(QFile::link(m_scan + "/nowhere", m_scan + "/dangling"));
        tz::Scanner scanner(options(), recorder());
        QVERIFY(scanner.open(enc(m_scan).toStdString()).ok());
        QVERIFY(scanner.watching());
        QVERIFY(pump(scanner, [&] { return calls().size() == 2; }));
        QStringList got = calls();
        got.sort();
        const QString inherited = QStringLiteral(" in=%1 out=%2 leaks=0").arg(fdTarget(::getpid(), 0), fdTarget(::getpid(), 1));
        QCOMPARE(got, QStringList({m_scan + " a" + inherited, m_scan + " b" + inherited}));
        m_events.sort();
        QCOMPARE(m_events, QStringList({"appeared a", "appeared b", "warning stat dangling: file does not exist"}));
        const auto services = scanner.services();
        QCOMPARE(services.size(), std::size_t{2});
        QCOMPARE(services[0].name, std::string("a"));
        QVERIFY(!services[1].hasLog); // not sticky: no logger under the seed's rule
    }

    void loggerGetsThePipe_data()
    {
        QTest::addColumn<bool>("sticky");
        QTest::addColumn<int>("rule");
        QTest::addColumn<bool>("logged");
        QTest::newRow("sticky, seed rule") << true << int(tz::LogRule::Sticky) << true;
        QTest::newRow("plain, seed rule") << false << int(tz::LogRule::Sticky) << false;
        QTest::newRow("plain, 0.76 rule") << false << int(tz::LogRule::Always) << true;
    }

    void loggerGetsThePipe()
    {
        QFETCH(bool, sticky);
        QFETCH(int, rule);
        QFETCH(bool, logged);
        QVERIFY(QDir().mkpath(m_scan + "/svc/log"));
        if (sticky)
            ::chmod(enc(m_scan + "/svc").constData(), 01755);
        tz::Scanner scanner(options(tz::LogRule(rule)), recorder());
        QVERIFY(scanner.open(enc(m_scan).toStdString()).ok());
        QVERIFY(pump(scanner, [&] { return calls().size() == (logged ? 2 : 1); }));
        QStringList got = calls();
        got.sort();
        const QString in = fdTarget(::getpid(), 0);
        const QString out = fdTarget(::getpid(), 1);
        if (logged) {
            // Both ends of one pipe of the scanner's own, not the test's stdout.
            const QString pipe = fdTarget(scanner.services().at(0).supervisePid, 1);
            QVERIFY(pipe.startsWith("pipe:"));
            QVERIFY(pipe != out);
            QCOMPARE(got, QStringList({m_scan + " svc in=" + in + " out=" + pipe + " leaks=0",
                                       m_scan + "/svc log in=" + pipe + " out=" + out + " leaks=0"}));
        } else {
            QCOMPARE(got, QStringList({m_scan + " svc in=" + in + " out=" + out + " leaks=0"}));
        }
        QCOMPARE(scanner.services().at(0).hasLog, logged);
    }

    // A supervise that exits is started again at the next scan, with the same pipe.
    void restartsAtTheNextScanOnTheSamePipe()
    {
        QVERIFY(QDir().mkpath(m_scan + "/svc/log"));
        ::chmod(enc(m_scan + "/svc").constData(), 01755);
        tz::ScannerOptions o = options();
        o.rescanInterval = std::chrono::milliseconds(200);
        tz::Scanner scanner(o, recorder());
        QVERIFY(scanner.open(enc(m_scan).toStdString()).ok());
        QVERIFY(pump(scanner, [&] { return calls().size() == 2; })); // both children past their start-up
        const tz::ServiceView before = scanner.services()[0];
        const QString pipeBefore = fdTarget(before.supervisePid, 1);
        ::kill(before.supervisePid, SIGKILL);
        QVERIFY(pump(scanner, [&] {
            const auto s = scanner.services();
            return s.size() == 1 && s[0].supervisePid && s[0].supervisePid != before.supervisePid;
        }));
        const tz::ServiceView after = scanner.services()[0];
        QCOMPARE(after.loggerPid, before.loggerPid);
        QVERIFY2(pump(scanner, [&] { return calls().size() == 3; }), qPrintable(calls().join(QLatin1Char('\n'))));
        QVERIFY(pipeBefore.startsWith("pipe:"));
        QCOMPARE(fdTarget(after.supervisePid, 1), pipeBefore);
        QCOMPARE(fdTarget(after.loggerPid, 0), pipeBefore);
    }

    void renameAndRemovalAreReported()
    {
        QVERIFY(QDir().mkpath(m_scan + "/old"));
        tz::Scanner scanner(options(), recorder());
        QVERIFY(scanner.open(enc(m_scan).toStdString()).ok());
        QVERIFY(pump(scanner, [&] { return calls().size() == 1; }));
        const pid_t pid = scanner.services().at(0).supervisePid;
        QVERIFY(::rename(enc(m_scan + "/old").constData(), enc(m_scan + "/new").constData()) == 0);
        QVERIFY(pump(scanner, [&] { return m_events.contains("renamed old new"); }));
        QCOMPARE(scanner.services().at(0).supervisePid, pid);

        const QString away = m_tmp.filePath(QStringLiteral("away%1").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(::rename(enc(m_scan + "/new").constData(), enc(away).constData()) == 0);
        QVERIFY(pump(scanner, [&] { return m_events.contains("disappeared new"); }));
        QVERIFY(scanner.services().empty());
        QCOMPARE(::kill(pid, 0), 0); // 0.76: svscan never stops what it started
        QCOMPARE(calls().size(), 1);
    }

    void moreThanAThousand()
    {
        constexpr int count = 1200;
        for (int i = 0; i < count; ++i)
            QVERIFY(::mkdir(enc(m_scan + QStringLiteral("/s%1").arg(i)).constData(), 0755) == 0);
        tz::ScannerOptions o = options();
        o.supervise = "/bin/true";
        tz::Scanner scanner(o, recorder());
        QVERIFY(scanner.open(enc(m_scan).toStdString()).ok());
        scanner.scan();
        QCOMPARE(scanner.services().size(), std::size_t{count});
        QCOMPARE(m_started.size(), count);
        QVERIFY(pump(scanner, [&] {
            for (const auto &s : scanner.services())
                if (s.supervisePid)
                    return false;
            return true;
        }));
    }
};

QTEST_GUILESS_MAIN(TestScanner)
#include "test_scanner.moc"
