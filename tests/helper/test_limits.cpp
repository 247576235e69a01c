// SPDX-License-Identifier: MIT
// The helper's bounds per caller and per user (config file), and logging off under svscan's 0.76 rule.
#include "helpertestbase.h"

#include <csignal>

using namespace tz;
using namespace tz::test;

class TestLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void boundsTheServicesOfOneUser();
    void floodOfOpenLogIsCutOffOthersServed();
    void floodOfPendingAuthorizationsIsCutOffOthersServed();
    void svscanWithAReplacedProgramIsAdopted();
    void loggingOffIsRefusedUnderTheOldLogRule();
    void cleanupTestCase();

private:
    std::unique_ptr<HelperFixture> f;
    QTemporaryDir m_conf;
    QStringList m_args;
};

void TestLimits::initTestCase()
{
    const QString conf = m_conf.filePath(QStringLiteral("helper.conf"));
    writeFile(conf, "# bounds small enough to reach in a test\n"
                    "max-services-per-user = 2\n"
                    "max-open-log-per-second = 5\n"
                    "max-pending-authorizations = 3\n");
    m_args = {QStringLiteral("--config"), conf};
    f = std::make_unique<HelperFixture>();
    QVERIFY(f->start(false, m_args));
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("talker"),
                                     foreground(QStringLiteral("while :; do echo hello; sleep 0.1; done"), QStringLiteral("tzbob")))),
             QString());
    QVERIFY(f->waitState(QStringLiteral("talker"), QStringLiteral("up")));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(f->path(QStringLiteral("talker/log/main/current"))).contains(" hello\n"), 15000);
}

void TestLimits::cleanupTestCase()
{
    qunsetenv("SVSCAN_LOGRULE");
    f.reset();
}

void TestLimits::boundsTheServicesOfOneUser()
{
    // talker was made by root: it is not bob's. Bob may own two.
    const ParameterMap own = foreground(QStringLiteral("exec sleep 100000"), QStringLiteral("tzbob"), false);
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bob1"), own)), QString());
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bob2"), own)), QString());
    QDBusPendingReply<> third = f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bob3"), own);
    third.waitForFinished();
    QCOMPARE(third.error().name(), QLatin1String(errors::limitExceeded));
    QVERIFY2(third.error().message().startsWith(QLatin1String("name: ")), qPrintable(third.error().message()));
    QCOMPARE(errorOf(f->asBob->Render(QStringLiteral("foreground"), QStringLiteral("bob3"), own)), QLatin1String(errors::limitExceeded));
    QVERIFY(!QFileInfo::exists(f->path(QStringLiteral("bob3"))));
    // Root is not bounded, and a removal makes room again.
    QCOMPARE(errorOf(f->root->Create(QStringLiteral("foreground"), QStringLiteral("root3"), own)), QString());
    QCOMPARE(errorOf(f->asBob->Remove(QStringLiteral("bob2"), true)), QString());
    QCOMPARE(errorOf(f->asBob->Create(QStringLiteral("foreground"), QStringLiteral("bob3"), own)), QString());
    for (const char *n : {"bob1", "bob3", "root3"})
        QCOMPARE(errorOf(f->root->Remove(QLatin1String(n), true)), QString());
}

void TestLimits::floodOfOpenLogIsCutOffOthersServed()
{
    // 40 at once from one caller: at most 5 within the second get a descriptor.
    QList<QDBusPendingReply<QDBusUnixFileDescriptor>> flood;
    for (int i = 0; i < 40; ++i)
        flood << f->asAlice->OpenLog(QStringLiteral("talker"), QStringLiteral("current"));
    // Meanwhile another caller is served.
    QDBusPendingReply<QDBusUnixFileDescriptor> other = f->root->OpenLog(QStringLiteral("talker"), QStringLiteral("current"));
    other.waitForFinished();
    QVERIFY2(!other.isError(), qPrintable(other.error().message()));
    QVERIFY(other.value().fileDescriptor() >= 0);
    int served = 0;
    int limited = 0;
    for (auto &r : flood) {
        r.waitForFinished();
        if (!r.isError())
            ++served;
        else if (r.error().name() == QLatin1String(errors::limitExceeded))
            ++limited;
        else
            QFAIL(qPrintable(r.error().name() + QLatin1Char(' ') + r.error().message()));
    }
    QVERIFY2(served >= 1 && served <= 10, qPrintable(QString::number(served)));
    QCOMPARE(served + limited, 40);
    // A second later the caller is served again.
    QTest::qWait(1100);
    QCOMPARE(errorOf(f->asAlice->OpenLog(QStringLiteral("talker"), QStringLiteral("current"))), QString());
}

void TestLimits::floodOfPendingAuthorizationsIsCutOffOthersServed()
{
    // Each Control waits for polkit; more than 3 under way at once from one caller
    // are refused at once, without asking polkit.
    QList<QDBusPendingReply<>> flood;
    for (int i = 0; i < 30; ++i)
        flood << f->asAlice->Control(QStringLiteral("talker"), QStringLiteral("hup"));
    QDBusPendingReply<> other = f->asBob->Control(QStringLiteral("talker"), QStringLiteral("hup"));
    int done = 0;
    int limited = 0;
    for (auto &r : flood) {
        r.waitForFinished();
        if (!r.isError())
            ++done;
        else if (r.error().name() == QLatin1String(errors::limitExceeded))
            ++limited;
        else
            QFAIL(qPrintable(r.error().name() + QLatin1Char(' ') + r.error().message()));
    }
    QVERIFY2(done >= 3 && limited > 0, qPrintable(QStringLiteral("%1 done, %2 limited").arg(done).arg(limited)));
    QCOMPARE(done + limited, 30);
    // Another caller meanwhile gets polkit's own answer (root made talker, so not bob's).
    QCOMPARE(errorOf(other), QLatin1String(errors::notAuthorized));
    // Once the flood is answered, the caller is served again.
    QCOMPARE(errorOf(f->asAlice->Control(QStringLiteral("talker"), QStringLiteral("hup"))), QString());
}

// The pid in the helper's record of svscan, once that process runs.
static int recordedSvscan(const QString &scanDir)
{
    int pid = 0;
    waitFor([&] {
        pid = readFile(scanDir + QStringLiteral("/.tazuna-svscan.pid")).split(' ').first().toInt();
        return pid > 1 && ::kill(pid, 0) == 0;
    });
    return pid;
}

void TestLimits::svscanWithAReplacedProgramIsAdopted()
{
    // svscan started from a copy of the tools whose svscan is then replaced, as an
    // upgrade does: a restarted helper adopts it and starts no second one.
    QTemporaryDir tools;
    QVERIFY(runShell(QStringLiteral("cp -a '%1'/. '%2'/").arg(toolDir(), tools.path())).exitCode == 0);
    f->harness.killHelper(SIGTERM);
    const int old = recordedSvscan(f->scanDir);
    ::kill(old, SIGKILL);
    QVERIFY(waitFor([&] { return ::kill(old, 0) != 0; }));
    const QStringList args = m_args + QStringList{QStringLiteral("--tools-dir"), tools.path()};
    QVERIFY(f->harness.startHelper(f->scanDir, args));
    const int started = recordedSvscan(f->scanDir);
    QVERIFY(started != old);
    // The record is written as soon as the process exists, maybe before its exec.
    QVERIFY(waitFor([&] { return QFileInfo(QStringLiteral("/proc/%1/exe").arg(started)).symLinkTarget().startsWith(tools.path()); }));
    const QString svscan = tools.filePath(QStringLiteral("svscan"));
    QVERIFY(QFile::remove(svscan));
    QVERIFY(QFile::copy(toolPath(QStringLiteral("svscan")), svscan));
    f->harness.killHelper(SIGKILL);
    QVERIFY(f->harness.startHelper(f->scanDir, args));
    QTest::qWait(300);
    QCOMPARE(recordedSvscan(f->scanDir), started);
    int serving = 0;
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        const QList<QByteArray> argv = readFile(QStringLiteral("/proc/%1/cmdline").arg(pid)).split('\0');
        if (argv.size() >= 2 && argv[0].endsWith("svscan") && argv[1] == f->scanDir.toUtf8())
            ++serving;
    }
    QCOMPARE(serving, 1);
    f->harness.killHelper(SIGTERM);
    ::kill(started, SIGKILL);
    QVERIFY(waitFor([&] { return ::kill(started, 0) != 0; }));
    QVERIFY(f->harness.startHelper(f->scanDir, m_args));
    f->root = f->proxyFor(0, 0, QStringLiteral("root-after-upgrade"));
    QVERIFY(f->find(QStringLiteral("talker")).has_value());
}

void TestLimits::loggingOffIsRefusedUnderTheOldLogRule()
{
    // A helper that starts svscan with SVSCAN_LOGRULE=0.76.
    f->harness.killHelper(SIGTERM);
    const int svscan = recordedSvscan(f->scanDir);
    QVERIFY(svscan > 1);
    ::kill(svscan, SIGKILL);
    QVERIFY(waitFor([&] { return ::kill(svscan, 0) != 0; }));
    qputenv("SVSCAN_LOGRULE", "0.76");
    QVERIFY(f->harness.startHelper(f->scanDir, m_args));
    f->root = f->proxyFor(0, 0, QStringLiteral("root-076"));
    QDBusPendingReply<> off = f->root->SetLogging(QStringLiteral("talker"), false);
    off.waitForFinished();
    QCOMPARE(off.error().name(), QLatin1String(errors::notSupported));
    QVERIFY(off.error().message().contains(QLatin1String("SVSCAN_LOGRULE=0.76")));
    // Nothing changed: still logging, the same directory.
    QVERIFY(f->find(QStringLiteral("talker"))->logging);
    const qsizetype size = readFile(f->path(QStringLiteral("talker/log/main/current"))).size();
    QVERIFY(waitFor([&] { return readFile(f->path(QStringLiteral("talker/log/main/current"))).size() > size; }));
}

QTEST_GUILESS_MAIN(TestLimits)
#include "test_limits.moc"
