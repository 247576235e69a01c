// SPDX-License-Identifier: MIT
// A run that exits at once, forever: backoff keeps the restarts (and the CPU) down; nothing else slows.
#include "exitrecord.h"
#include "faultsupport.h"

#include <QDir>

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

} // namespace

class TestCrashLoop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crashLoop_data();
    void crashLoop();
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

QTEST_GUILESS_MAIN(TestCrashLoop)
#include "test_crashloop.moc"
