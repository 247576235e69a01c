// SPDX-License-Identifier: MIT
// kill -9 of multilog under a flat-out producer: every line exactly once, counted per kill.
#include "faultsupport.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <csignal>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz::test;

namespace {

// The logger under test: ours, or another one to measure (TAZUNA_FAULTS_MULTILOG).
QString multilogUnderTest()
{
    const QString other = qEnvironmentVariable("TAZUNA_FAULTS_MULTILOG");
    return other.isEmpty() ? toolPath(QStringLiteral("multilog")) : other;
}

int unread(int fd)
{
    int n = -1;
    ::ioctl(fd, FIONREAD, &n);
    return n;
}

} // namespace

class TestMultilogKill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyLineOnceAcrossKills_data();
    void everyLineOnceAcrossKills();
};

void TestMultilogKill::everyLineOnceAcrossKills_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("kills");
    QTest::addColumn<int>("lineLength");
    QTest::addColumn<bool>("rotateFirst"); // ALRM a moment before each kill
    QTest::addColumn<int>("maxRepeatedPerKill"); // lines a kill may make a next logger write again
    QTest::addColumn<QString>("base");           // where the log directory is
    const int soak = soakSeconds();
    const int kills = soak ? soak * 5 : 40;
    // Large files so that nothing is deleted: the whole history is audited. Then
    // the suite's script, where rotation and deletion are constant; there only the
    // window the directory still holds can be audited.
    QTest::newRow("whole history") << QStringLiteral("t s16777215 n200 ./main") << kills << 64 << false << 0 << QDir::tempPath();
    QTest::newRow("s100000 n5") << QStringLiteral("t s100000 n5 ./main") << kills << 64 << false << 0 << QDir::tempPath();
    // The journal's former bounds (shared/engine/logsource.h), measured: lines of
    // 2000 bytes, so that nearly every batch ends inside one, and a processor, with
    // each kill 1-30 ms after an ALRM (rotate now, through the processor). Long lines
    // lost: 18-32 of 40 kills with a2a1978's multilog, 1-2 with 0f155b5's, 0 since;
    // a processed batch written again before 234be2f: 0-3 of 40 kills, 64 KiB each.
    QTest::newRow("long lines") << QStringLiteral("t s16777215 n200 ./main") << kills << 2000 << false << 0 << QDir::tempPath();
    QTest::newRow("processor") << QStringLiteral("t s16777215 n200 !cat ./main") << kills << 64 << true << 0 << QDir::tempPath();
    // The one bound left: files far smaller than a read rotate through the
    // processor several times in one batch, and all but the last of those
    // processors run before the batch is committed, so a kill then can make the
    // next logger write that batch again (never lose it): at most one read, 1024
    // lines of 64 bytes.
    // On tmpfs, multilog takes the next batch while a second thread writes the
    // one before, so a kill can find two batches pending in the journal.
    QTest::newRow("whole history, tmpfs") << QStringLiteral("t s16777215 n200 ./main") << kills << 64 << false << 0
                                          << QStringLiteral("/dev/shm");
    QTest::newRow("long lines, tmpfs") << QStringLiteral("t s16777215 n200 ./main") << kills << 2000 << false << 0
                                       << QStringLiteral("/dev/shm");
    QTest::newRow("processor, tmpfs") << QStringLiteral("t s16777215 n200 !cat ./main") << kills << 64 << true << 0
                                      << QStringLiteral("/dev/shm");
    QTest::newRow("processor, small files") << QStringLiteral("t s4096 n1000 !cat ./main") << kills << 64 << false << 1024 << QDir::tempPath();
}

void TestMultilogKill::everyLineOnceAcrossKills()
{
    QFETCH(QString, script);
    QFETCH(int, kills);
    QFETCH(int, lineLength);
    QFETCH(bool, rotateFirst);
    QFETCH(int, maxRepeatedPerKill);
    QFETCH(QString, base);
    QTemporaryDir work(base + QStringLiteral("/tazuna-multilogkill-XXXXXX"));
    QVERIFY(work.isValid());
    const QString fifo = work.filePath(QStringLiteral("pipe"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    // Held open like svscan holds a logger pipe: it outlives every logger.
    const int keep = ::open(QFile::encodeName(fifo).constData(), O_RDWR | O_CLOEXEC);
    QVERIFY(keep >= 0);

    QProcess producer;
    producer.setStandardOutputFile(fifo);
    producer.start(QStringLiteral(TAZUNA_FAULT_PRODUCER), {QString::number(lineLength)});
    QVERIFY(producer.waitForStarted());

    const auto startLogger = [&](QProcess &p) {
        p.setWorkingDirectory(work.path());
        p.setStandardInputFile(fifo);
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(multilogUnderTest(), QProcess::splitCommand(script));
        return p.waitForStarted();
    };

    auto logger = std::make_unique<QProcess>();
    QVERIFY(startLogger(*logger));
    QRandomGenerator rng(static_cast<quint32>(QDateTime::currentMSecsSinceEpoch()));
    int busy = 0; // kills while input was waiting in the pipe: the logger was at work
    // A processor that a killed logger forked holds a copy of the lock until it
    // executes (fork copies every descriptor; close-on-exec acts only at the
    // exec), so a logger started at once can find the directory locked and exit
    // 111, as 0.76's does; supervise starts it again a second later. So do we.
    int lockedOut = 0;
    const auto keepRunning = [&] {
        QTest::qWait(20);
        while (logger->state() == QProcess::NotRunning || logger->waitForFinished(0)) {
            if (logger->exitStatus() != QProcess::NormalExit || logger->exitCode() != 111 || ++lockedOut > kills)
                return false;
            QTest::qWait(100);
            logger = std::make_unique<QProcess>();
            if (!startLogger(*logger))
                return false;
            QTest::qWait(20);
        }
        return true;
    };
    for (int k = 0; k < kills; ++k) {
        QTest::qWait(static_cast<int>(rng.bounded(5, 120)));
        QVERIFY2(keepRunning(), qPrintable(QStringLiteral("the logger exited before kill %1 (exit code %2)").arg(k).arg(logger->exitCode())));
        // A logger that has already exited has no pid: kill(0) would hit this test.
        const auto pid = static_cast<pid_t>(logger->processId());
        QVERIFY2(pid > 0, qPrintable(QStringLiteral("the logger exited before kill %1 (exit code %2)").arg(k).arg(logger->exitCode())));
        if (rotateFirst) {
            ::kill(pid, SIGALRM);
            QTest::qWait(static_cast<int>(rng.bounded(1, 30)));
        }
        if (unread(keep) > 0)
            ++busy;
        ::kill(pid, SIGKILL);
        QVERIFY(logger->waitForFinished(5000));
        logger = std::make_unique<QProcess>();
        QVERIFY(startLogger(*logger));
    }
    QVERIFY2(keepRunning(), qPrintable(QStringLiteral("the last logger exited (exit code %1)").arg(logger->exitCode())));
    if (lockedOut > 0)
        qInfo("%d restarts found the directory still locked by a processor about to execute", lockedOut);
    // The producer stops between two of its writes (whole lines); the logger drains the pipe.
    ::kill(static_cast<pid_t>(producer.processId()), SIGKILL);
    QVERIFY(producer.waitForFinished(5000));
    QVERIFY(waitFor([&] { return unread(keep) == 0; }, 30000));
    ::close(keep);
    QVERIFY(logger->waitForFinished(30000)); // end of input: a clean exit
    QCOMPARE(logger->exitCode(), 0);

    const QString dir = work.filePath(QStringLiteral("main"));
    const LineAudit a = auditLog(dir, lineLength);
    qInfo().noquote() << QStringLiteral("multilog %1, %2, %3 kills (%4 busy): %5")
                             .arg(multilogUnderTest(), script).arg(kills).arg(busy).arg(a.describe());
    // Per kill: how many kills repeated lines (each repeat is one range) and the largest.
    quint64 largestRepeat = 0;
    for (const auto &r : a.repeats)
        largestRepeat = std::max(largestRepeat, r.second - r.first + 1);
    qInfo("fault multilogkill.%s kills=%d busy=%d lines=%lld line_bytes=%d lost=%lld torn=%lld bad_files=%lld split=%lld duplicated=%lld kills_repeating=%lld largest_repeat=%llu reordered=%lld",
          qPrintable(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))), kills, busy, a.lines, lineLength,
          a.missing, a.torn, a.badFiles, a.split, a.duplicated, qlonglong(a.repeats.size()), static_cast<unsigned long long>(largestRepeat), a.reordered);
    QCOMPARE(a.torn, 0);
    QCOMPARE(a.missing, 0);
    if (maxRepeatedPerKill == 0) {
        QCOMPARE(a.duplicated, 0);
        QCOMPARE(a.reordered, 0);
    } else {
        QVERIFY2(a.duplicated <= qint64(maxRepeatedPerKill) * busy, qPrintable(a.describe()));
        // A batch written again comes after its first copies: keeping each line's
        // last copy, the log is every line in order.
        QVERIFY2(a.reorderedLastCopies == 0, qPrintable(a.describe()));
    }
    // A file that ends inside a line (the .u archive of a logger killed in a long
    // one) is fine when the next file goes on with the rest: the line is whole.
    QVERIFY2(a.badFiles <= a.split, qPrintable(a.describe()));
    QCOMPARE(a.runs.size(), 1);
    QVERIFY(a.lines > 1000);
    QVERIFY(busy > 0);
    if (script.contains(QLatin1String("s16777215 n200"))) {
        QCOMPARE(a.first, quint64{1}); // the whole history is there
        QCOMPARE(a.last % quint64(4096 / lineLength), quint64{0}); // up to the producer's last write
    }
    // After the clean exit the directory is what daemontools leaves: the lock is empty again.
    QCOMPARE(QFileInfo(dir + QStringLiteral("/lock")).size(), qint64{0});
    QVERIFY(QFileInfo(dir + QStringLiteral("/current")).permissions() & QFileDevice::ExeOwner);
}

QTEST_GUILESS_MAIN(TestMultilogKill)
#include "test_multilogkill.moc"
