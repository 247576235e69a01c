// SPDX-License-Identifier: MIT
// Broken service directories under a running svscan: clear messages, nothing else disturbed.
#include "faultsupport.h"

#include <QDir>
#include <QFile>

#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

using namespace tz::test;

namespace {

QString svstat(const QString &dir)
{
    const ProcessResult r = run(toolPath(QStringLiteral("svstat")), {dir});
    return QString::fromUtf8(r.out + r.err).trimmed();
}

} // namespace

class TestBrokenDirs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void notExecutableRun();
    void brokenSymlink();
    void superviseIsAFile();
    void corruptAndTruncatedStatus();
    void renamedWhileRunning();
    void removedWhileRunning();
    void cleanupTestCase();

private:
    void expectOutput(const QByteArray &text);
    void othersUndisturbed();

    std::unique_ptr<ProducerTree> m_tree;
    int m_producer = 0;
    int m_idleRun = 0;
};

void TestBrokenDirs::initTestCase()
{
    m_tree = std::make_unique<ProducerTree>();
    QVERIFY(m_tree->startSvscan());
    QVERIFY(waitFor([&] { return m_tree->producerPid() && m_tree->multilogPid(); }, 15000));
    m_producer = m_tree->producerPid();
    QVERIFY(waitFor([&] { return pidsIn(m_tree->scanDir() + QStringLiteral("/idle"), "sleep").size() == 1; }, 15000));
    m_idleRun = pidsIn(m_tree->scanDir() + QStringLiteral("/idle"), "sleep").first();
}

void TestBrokenDirs::cleanupTestCase()
{
    qInfo().noquote() << "svscan and supervise said:\n" + QString::fromUtf8(m_tree->svscanOutput());
    m_tree.reset();
}

void TestBrokenDirs::expectOutput(const QByteArray &text)
{
    QVERIFY2(waitFor([&] { return m_tree->svscanOutput().contains(text); }, 15000),
             qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(QString::fromUtf8(text), QString::fromUtf8(m_tree->svscanOutput().right(1500)))));
}

void TestBrokenDirs::othersUndisturbed()
{
    QCOMPARE(m_tree->producerPid(), m_producer);
    QCOMPARE(pidsIn(m_tree->scanDir() + QStringLiteral("/idle"), "sleep"), QList<int>{m_idleRun});
    QVERIFY(m_tree->waitForFlow(1000));
    QVERIFY(m_tree->svscan()->state() == QProcess::Running);
}

void TestBrokenDirs::notExecutableRun()
{
    const QString dir = m_tree->scanDir() + QStringLiteral("/noexec");
    QDir().mkpath(dir);
    writeFile(dir + QStringLiteral("/run"), "#!/bin/sh\nexec sleep 100000\n", 0644);
    // As 0.76: the child that cannot exec says so and dies; supervise tries again each second.
    expectOutput("supervise: fatal: unable to start noexec/run: access denied");
    othersUndisturbed();
    // Fixed in place: it starts without anything being restarted.
    ::chmod(QFile::encodeName(dir + QStringLiteral("/run")).constData(), 0755);
    QVERIFY(waitFor([&] { return svstat(dir).contains(QStringLiteral(": up (pid ")); }, 10000));
}

void TestBrokenDirs::brokenSymlink()
{
    const QString link = m_tree->scanDir() + QStringLiteral("/dangling");
    QVERIFY(QFile::link(QStringLiteral("/nonexistent/tazuna-faults"), link));
    expectOutput("svscan: warning: unable to stat dangling: file does not exist");
    othersUndisturbed();
    QVERIFY(QFile::remove(link));
}

void TestBrokenDirs::superviseIsAFile()
{
    const QString dir = m_tree->scanDir() + QStringLiteral("/filesup");
    const QString staged = m_tree->scanDir() + QStringLiteral("/.filesup"); // svscan skips dot-names
    QDir().mkpath(staged);
    writeFile(staged + QStringLiteral("/run"), "#!/bin/sh\nexec sleep 100000\n", 0755);
    writeFile(staged + QStringLiteral("/supervise"), "not a directory\n");
    QVERIFY(QDir().rename(staged, dir));
    // supervise exits 111; svscan tries it again at each scan, and the message repeats.
    expectOutput("supervise: fatal: unable to acquire filesup/supervise/lock: not a directory");
    othersUndisturbed();
    QCOMPARE(readFile(dir + QStringLiteral("/supervise")), QByteArray("not a directory\n")); // left as it was
    QVERIFY(pidsIn(dir, "sleep").isEmpty());
}

void TestBrokenDirs::corruptAndTruncatedStatus()
{
    const QString dir = m_tree->scanDir() + QStringLiteral("/idle");
    const QString status = dir + QStringLiteral("/supervise/status");
    for (const QByteArray &bad : {QByteArray("garbage"), QByteArray(), QByteArray(17, '\xff')}) {
        writeFile(status, bad);
        // 0.76's reader refuses fewer than 18 bytes; longer junk decodes as some state.
        if (bad.size() < 18)
            QCOMPARE(svstat(dir), dir + QStringLiteral(": unable to read supervise/status: bad format"));
        othersUndisturbed();
        // supervise writes a whole record again at its next change.
        QCOMPARE(run(toolPath(QStringLiteral("svc")), {QStringLiteral("-t"), dir}).exitCode, 0);
        QVERIFY(waitFor([&] { return svstat(dir).contains(QStringLiteral(": up (pid ")) && readFile(status).size() == 18; }, 10000));
        QVERIFY(waitFor([&] { return pidsIn(dir, "sleep").size() == 1; }, 10000));
        m_idleRun = pidsIn(dir, "sleep").first();
    }
}

void TestBrokenDirs::renamedWhileRunning()
{
    // svscan knows directories by device and inode: a rename is the same service.
    const QString from = m_tree->scanDir() + QStringLiteral("/noexec");
    const QString to = m_tree->scanDir() + QStringLiteral("/renamed");
    QVERIFY(waitFor([&] { return pidsIn(from, "sleep").size() == 1; }, 10000));
    const int pid = pidsIn(from, "sleep").first();
    QVERIFY(QDir().rename(from, to));
    QTest::qWait(6000); // past svscan's 5-second rescan
    QCOMPARE(pidsIn(to, "supervise").size(), 1);
    QCOMPARE(pidsIn(to, "sleep"), QList<int>{pid});
    othersUndisturbed();
}

void TestBrokenDirs::removedWhileRunning()
{
    const QString dir = m_tree->scanDir() + QStringLiteral("/renamed");
    const QList<int> sup = pidsIn(dir, "supervise");
    QCOMPARE(sup.size(), 1);
    QVERIFY(QDir(dir).removeRecursively());
    QTest::qWait(6000);
    othersUndisturbed();
    // As in 0.76 its supervise (and service) go on where they are; svscan does not start another.
    QCOMPARE(m_tree->svscan()->state(), QProcess::Running);
    for (const int p : sup)
        ::kill(p, SIGKILL);
}

QTEST_GUILESS_MAIN(TestBrokenDirs)
#include "test_brokendirs.moc"
