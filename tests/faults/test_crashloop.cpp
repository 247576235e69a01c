// SPDX-License-Identifier: MIT
// A run that exits at once, forever: backoff keeps the restarts (and the CPU) down; nothing else slows.
#include "exitrecord.h"
#include "faultsupport.h"

#include <QDir>

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

using namespace tz::test;

namespace {

// utime + stime of a process, in clock ticks.
qint64 cpuTicks(int pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return f.value(11).toLongLong() + f.value(12).toLongLong();
}

std::uint64_t deaths(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
    const auto log = tz::readExitLog(fd);
    ::close(fd);
    return log ? log->total : 0;
}

// svc -d, then -u, each until svstat shows it: the median of a few, in ms.
double controlRoundTripMs(const QString &dir, int times)
{
    const QString svc = toolPath(QStringLiteral("svc"));
    const auto shows = [&](const char *state) {
        return waitFor([&] { return run(toolPath(QStringLiteral("svstat")), {dir}).out.contains(state); }, 10000);
    };
    QList<double> ms;
    for (int i = 0; i < times; ++i) {
        // supervise starts a service at most once a second (0.76): paced, so that
        // the figure is the round trip and not that pause.
        if (i > 0)
            QTest::qWait(1100);
        QElapsedTimer t;
        t.start();
        if (run(svc, {QStringLiteral("-d"), dir}).exitCode != 0 || !shows(": down ") || run(svc, {QStringLiteral("-u"), dir}).exitCode != 0
            || !shows(": up (pid "))
            return -1;
        ms << double(t.nsecsElapsed()) / 1e6;
    }
    std::sort(ms.begin(), ms.end());
    return ms.at(ms.size() / 2);
}

// The producer's lines per second through the pipe and multilog, from the bytes it
// has written (wchar in /proc/PID/io). Not from the log: current is rotated hundreds
// of times a second here and often holds no whole line. -1 if the producer is gone.
double producerLinesPerSecond(ProducerTree &tree, int windowMs)
{
    const int pid = tree.producerPid();
    const auto written = [&]() -> qint64 {
        for (const QByteArray &line : readFile(QStringLiteral("/proc/%1/io").arg(pid)).split('\n'))
            if (line.startsWith("wchar: "))
                return line.mid(7).toLongLong();
        return -1;
    };
    const qint64 from = pid ? written() : -1;
    QElapsedTimer t;
    t.start();
    QTest::qWait(windowMs);
    const qint64 to = from >= 0 ? written() : -1;
    if (to < 0 || tree.producerPid() != pid)
        return -1;
    constexpr double lineBytes = 64; // the producer's default line, newline included
    return double(to - from) / lineBytes * 1000.0 / double(t.elapsed());
}

struct Figures {
    double roundTripMs = 0;
    double linesPerSecond = 0;
    double supervisePercent = 0; // of one CPU, over the window
};

// Round trips of "idle" and the producer's rate, then the rest of a 10-second
// window; the CPU of watched's supervise over that window.
Figures measure(ProducerTree &tree, const QString &watched)
{
    Figures f;
    const int sup = tree.supervisePid(watched);
    const qint64 cpu0 = cpuTicks(sup);
    QElapsedTimer window;
    window.start();
    f.linesPerSecond = producerLinesPerSecond(tree, 3000);
    f.roundTripMs = controlRoundTripMs(tree.scanDir() + QStringLiteral("/idle"), 5);
    QTest::qWait(static_cast<int>(std::max<qint64>(0, 10000 - window.elapsed())));
    const double ticks = double(cpuTicks(sup) - cpu0);
    f.supervisePercent = 100.0 * ticks / double(::sysconf(_SC_CLK_TCK)) / (double(window.elapsed()) / 1000.0);
    return f;
}

} // namespace

class TestCrashLoop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crashLoop_data();
    void crashLoop();
    void nothingElseSlowsDown();
};

void TestCrashLoop::crashLoop_data()
{
    QTest::addColumn<QByteArray>("backoff");
    QTest::addColumn<int>("maxDeaths"); // in the 7.5 s watched
    // 0.76's fixed one-second pause: about one start a second.
    QTest::newRow("no backoff file (0.76)") << QByteArray() << 9;
    // 1, 2, 4, 4 … seconds: starts at 0, 1, 3, 7, 11.
    QTest::newRow("backoff max=4") << QByteArray("max=4 stable=10\n") << 4;
}

void TestCrashLoop::crashLoop()
{
    QFETCH(QByteArray, backoff);
    QFETCH(int, maxDeaths);
    ProducerTree tree;
    const QString crashy = tree.scanDir() + QStringLiteral("/crashy");
    QDir().mkpath(crashy + QStringLiteral(".tmp"));
    writeFile(crashy + QStringLiteral(".tmp/run"), "#!/bin/sh\nexit 3\n", 0755);
    if (!backoff.isEmpty())
        writeFile(crashy + QStringLiteral(".tmp/backoff"), backoff);
    QVERIFY(QDir().rename(crashy + QStringLiteral(".tmp"), crashy));
    QVERIFY(tree.startSvscan());
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.supervisePid(crashy) && deaths(crashy) >= 1; }, 15000));
    QVERIFY(tree.waitForFlow(2000));
    const int sup = tree.supervisePid(crashy);
    const qint64 cpu0 = cpuTicks(sup);
    const std::uint64_t d0 = deaths(crashy);
    QElapsedTimer t;
    t.start();
    // Meanwhile the producer's lines keep coming.
    QVERIFY(tree.waitForFlow(20000, 20000));
    QTest::qWait(static_cast<int>(std::max<qint64>(0, 7500 - t.elapsed())));
    const std::uint64_t died = deaths(crashy) - d0;
    const qint64 cpu = cpuTicks(sup) - cpu0;
    qInfo().noquote() << QStringLiteral("%1: %2 deaths in %3 ms, supervise used %4 ticks of CPU (%5 per second)")
                             .arg(QString::fromLatin1(QTest::currentDataTag())).arg(died).arg(t.elapsed()).arg(cpu).arg(::sysconf(_SC_CLK_TCK));
    QVERIFY(died >= 2);
    QVERIFY2(died <= static_cast<std::uint64_t>(maxDeaths), qPrintable(QString::number(died)));
    QCOMPARE(tree.supervisePid(crashy), sup); // the same supervise throughout
    const LineAudit a = tree.quietAudit();
    QCOMPARE(a.missing, 0);
    QCOMPARE(a.duplicated, 0);
    QCOMPARE(a.runs.size(), 1);
}

void TestCrashLoop::nothingElseSlowsDown()
{
    // The same tree measured twice in one run, first without the crash loop and
    // then with it. Figures are printed, not asserted (timings on a shared machine);
    // only the looping supervise's CPU has a bound, one that catches a tight loop.
    ProducerTree tree;
    QVERIFY(tree.startSvscan());
    const QString idle = tree.scanDir() + QStringLiteral("/idle");
    QVERIFY(waitFor([&] { return tree.producerPid() && tree.multilogPid() && tree.supervisePid(idle); }, 15000));
    QVERIFY(tree.waitForFlow(2000));
    // Without: the resting supervise of "idle" stands in for the looping one.
    const Figures without = measure(tree, idle);

    const QString crashy = tree.scanDir() + QStringLiteral("/crashy");
    QDir().mkpath(crashy + QStringLiteral(".tmp"));
    writeFile(crashy + QStringLiteral(".tmp/run"), "#!/bin/sh\nexit 1\n", 0755);
    QVERIFY(QDir().rename(crashy + QStringLiteral(".tmp"), crashy));
    QVERIFY(waitFor([&] { return tree.supervisePid(crashy) && deaths(crashy) >= 2; }, 15000));
    const std::uint64_t d0 = deaths(crashy);
    const Figures with = measure(tree, crashy);
    const std::uint64_t died = deaths(crashy) - d0;

    qInfo("fault crashloop.control_round_trip with=%.1f without=%.1f unit=ms", with.roundTripMs, without.roundTripMs);
    qInfo("fault crashloop.producer_throughput with=%.0f without=%.0f unit=lines/s", with.linesPerSecond, without.linesPerSecond);
    qInfo("fault crashloop.supervise_cpu with=%.2f without=%.2f unit=%%_of_one_cpu_over_10s", with.supervisePercent, without.supervisePercent);
    qInfo("fault crashloop.deaths with=%llu unit=per_10s", static_cast<unsigned long long>(died));
    QVERIFY(with.roundTripMs > 0 && without.roundTripMs > 0);
    QVERIFY(with.linesPerSecond > 0 && without.linesPerSecond > 0);
    QVERIFY2(died >= 2, "the service must really loop while it is measured");
    // 0.76's one-second pause: a start and a death a second. A tight loop would use
    // most of a CPU; 5% is generous on a loaded machine.
    QVERIFY2(with.supervisePercent < 5.0, qPrintable(QString::number(with.supervisePercent)));
    const LineAudit a = tree.quietAudit();
    QVERIFY2(a.missing == 0 && a.duplicated == 0 && a.torn == 0 && a.runs.size() == 1, qPrintable(a.describe()));
}

QTEST_GUILESS_MAIN(TestCrashLoop)
#include "test_crashloop.moc"
