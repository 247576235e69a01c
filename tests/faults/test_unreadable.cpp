// SPDX-License-Identifier: MIT
// Service directories made unreadable under a tree run by an unprivileged user: clear messages like 0.76's, nothing else disturbed.
#include "faultsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <csignal>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz::test;

namespace {

// Root ignores modes: a permission fault exists only for a tree that runs as
// someone else, the way a user's own svscan (or a setuidgid'd one) runs.
const char *const userName = "tzfaults";

// Each broken directory, and what is wrong with it: the whole service directory,
// its supervise/, its run; "victim" runs first and is made unreadable while running.
const QStringList brokenNames = {QStringLiteral("ldir"), QStringLiteral("lsup"), QStringLiteral("lrun"), QStringLiteral("victim")};

QStringList asUser(const TestUser &u)
{
    return {QStringLiteral("setpriv"), QStringLiteral("--reuid=%1").arg(u.uid), QStringLiteral("--regid=%1").arg(u.gid), QStringLiteral("--clear-groups")};
}

void setMode(const QString &path, mode_t mode)
{
    QVERIFY2(::chmod(QFile::encodeName(path).constData(), mode) == 0, qPrintable(path));
}

int uidOf(int pid)
{
    for (const QByteArray &line : readFile(QStringLiteral("/proc/%1/status").arg(pid)).split('\n'))
        if (line.startsWith("Uid:"))
            return line.mid(4).trimmed().split('\t').value(0).toInt();
    return -1;
}

// Every distinct line of the tree's output that names this directory: the
// message of a broken service, whoever prints it.
QStringList linesNaming(const QByteArray &output, const QString &name)
{
    const QRegularExpression names(QStringLiteral("[ :]%1(/|: )").arg(QRegularExpression::escape(name)));
    QStringList out;
    for (const QByteArray &line : output.split('\n')) {
        const QString l = QString::fromUtf8(line);
        if (names.match(l).hasMatch() && !out.contains(l))
            out << l;
    }
    out.sort();
    return out;
}

void writeControl(const QString &dir, const char *command)
{
    const int fd = ::open(QFile::encodeName(dir + QStringLiteral("/supervise/control")).constData(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) {
        (void)!::write(fd, command, qstrlen(command));
        ::close(fd);
    }
}

} // namespace

class TestUnreadable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void unreadable_data();
    void unreadable();
    void sameKindOfMessageAs076();

private:
    TestUser m_user;
    QMap<QString, QStringList> m_messages[2]; // [reference][directory]
};

void TestUnreadable::initTestCase()
{
    m_user = ensureUser(QLatin1String(userName));
    QVERIFY(m_user.uid != 0);
    QVERIFY2(QFileInfo(referencePath(QStringLiteral("svscan"))).isExecutable(), "Debian's daemontools is the reference (.ci/deps)");
}

void TestUnreadable::unreadable_data()
{
    QTest::addColumn<bool>("reference");
    QTest::newRow("ours") << false;
    // The same tree under Debian's svscan, supervise and multilog: what 0.76 says.
    QTest::newRow("daemontools 0.76") << true;
}

void TestUnreadable::unreadable()
{
    QFETCH(bool, reference);
    ProducerTree tree;
    const QString scan = tree.scanDir();
    const auto dir = [&](const QString &name) { return scan + QLatin1Char('/') + name; };
    // Staged under dot-names and renamed in, already broken, as the other fault tests do.
    for (const QString &name : brokenNames) {
        const QString staged = dir(QLatin1Char('.') + name);
        QVERIFY(QDir().mkpath(staged));
        writeFile(staged + QStringLiteral("/run"), "#!/bin/sh\nexec sleep 100000\n", 0755);
    }
    QVERIFY(QDir().mkpath(dir(QStringLiteral(".lsup/supervise"))));
    setMode(QFileInfo(scan).path(), 0755);
    QCOMPARE(run(QStringLiteral("chown"), {QStringLiteral("-R"), QStringLiteral("%1:%1").arg(m_user.uid), scan}).exitCode, 0);
    setMode(dir(QStringLiteral(".ldir")), 0);
    setMode(dir(QStringLiteral(".lsup/supervise")), 0);
    setMode(dir(QStringLiteral(".lrun/run")), 0);
    for (const QString &name : brokenNames)
        QVERIFY(QDir().rename(dir(QLatin1Char('.') + name), dir(name)));

    QStringList wrapper = asUser(m_user);
    if (reference) {
        // The wrapper gets our svscan and the scan directory; run 0.76's instead,
        // with its own supervise and multilog first on PATH.
        wrapper = QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("PATH=/usr/bin:/bin exec %1 %2 \"$2\"").arg(asUser(m_user).join(QLatin1Char(' ')), referencePath(QStringLiteral("svscan"))),
                              QStringLiteral("sh")};
    }
    QVERIFY(tree.startSvscan(wrapper));
    QVERIFY2(waitFor([&] { return tree.producerPid() && tree.multilogPid() && pidsIn(dir(QStringLiteral("idle")), "sleep").size() == 1
                                 && pidsIn(dir(QStringLiteral("victim")), "sleep").size() == 1; }, 15000),
             qPrintable([&] {
                 QString seen;
                 for (const TreeProcess &p : processesUnder(scan))
                     seen += QStringLiteral(" %1:%2:%3").arg(p.pid).arg(QString::fromUtf8(p.comm), p.cwd);
                 return seen + QLatin1Char('\n') + QString::fromUtf8(tree.svscanOutput().right(1000));
             }()));
    QVERIFY(tree.waitForFlow(1000));
    // The tree runs as the test user, or this test proves nothing.
    const int prodSupervise = tree.supervisePid(tree.prodDir());
    QCOMPARE(uidOf(prodSupervise), int(m_user.uid));
    QCOMPARE(uidOf(tree.producerPid()), int(m_user.uid));
    QCOMPARE(uidOf(tree.multilogPid()), int(m_user.uid));
    const QString svscanPath = reference ? referencePath(QStringLiteral("svscan")) : toolPath(QStringLiteral("svscan"));
    QCOMPARE(QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(tree.svscan()->processId())), svscanPath);

    const int producer = tree.producerPid();
    const int multilog = tree.multilogPid();
    const int logSupervise = tree.supervisePid(tree.prodDir() + QStringLiteral("/log"));
    const int idleSupervise = tree.supervisePid(dir(QStringLiteral("idle")));
    const int idleRun = pidsIn(dir(QStringLiteral("idle")), "sleep").first();

    // The running one is made unreadable, then its service dies: supervise cannot start it again.
    setMode(dir(QStringLiteral("victim")), 0);
    const QList<int> victimRun = pidsIn(dir(QStringLiteral("victim")), "sleep");
    QCOMPARE(victimRun.size(), 1);
    ::kill(victimRun.first(), SIGKILL);

    // Every broken directory is named with its reason, and said again while it lasts.
    const QString tag = reference ? QStringLiteral("impl=daemontools-0.76") : QStringLiteral("impl=tazuna");
    QVERIFY2(waitFor([&] {
        const QByteArray out = tree.svscanOutput();
        for (const QString &name : brokenNames) {
            const QStringList lines = linesNaming(out, name);
            if (lines.isEmpty() || !std::all_of(lines.begin(), lines.end(), [](const QString &l) { return l.endsWith(QLatin1String(": access denied")); }))
                return false;
        }
        // The killed one's supervise tries again a second after it died.
        return out.count("lrun/run: access denied") >= 2 && out.contains("unable to start victim/run: access denied");
    }, 15000), qPrintable(QString::fromUtf8(tree.svscanOutput().right(2000))));
    if (!reference) {
        const QByteArray out = tree.svscanOutput();
        for (const char *expected : {"supervise: fatal: unable to chdir to ldir: access denied",
                                     "supervise: fatal: unable to acquire lsup/supervise/lock: access denied",
                                     "supervise: fatal: unable to start lrun/run: access denied",
                                     "supervise: fatal: unable to start victim/run: access denied",
                                     "supervise: warning: unable to open victim/supervise/status.new: access denied"})
            QVERIFY2(out.contains(expected), expected);
    }
    // svstat as the user, ours and 0.76's on the same directories: the same words.
    for (const QString &name : {QStringLiteral("ldir"), QStringLiteral("lsup"), QStringLiteral("victim")}) {
        const ProcessResult ours = run(asUser(m_user).first(), asUser(m_user).mid(1) + QStringList{toolPath(QStringLiteral("svstat")), dir(name)});
        const ProcessResult theirs = run(asUser(m_user).first(), asUser(m_user).mid(1) + QStringList{referencePath(QStringLiteral("svstat")), dir(name)});
        QCOMPARE(ours.out, theirs.out);
        QCOMPARE(ours.err, theirs.err);
        QCOMPARE(ours.exitCode, theirs.exitCode);
        QVERIFY2(ours.out.endsWith(": access denied\n"), ours.out.constData());
        qInfo().noquote() << QStringLiteral("fault unreadable.svstat %1 %2").arg(tag, QString::fromUtf8(ours.out.trimmed()));
    }

    // Nothing else moved: the same processes, and the producer's lines keep coming.
    QCOMPARE(tree.producerPid(), producer);
    QCOMPARE(tree.multilogPid(), multilog);
    QCOMPARE(tree.supervisePid(tree.prodDir()), prodSupervise);
    QCOMPARE(tree.supervisePid(tree.prodDir() + QStringLiteral("/log")), logSupervise);
    QCOMPARE(tree.supervisePid(dir(QStringLiteral("idle"))), idleSupervise);
    QCOMPARE(pidsIn(dir(QStringLiteral("idle")), "sleep"), QList<int>{idleRun});
    QVERIFY(tree.waitForFlow(2000));
    QCOMPARE(tree.svscan()->state(), QProcess::Running);

    // Permissions back: each one starts, without anything being restarted by hand.
    setMode(dir(QStringLiteral("ldir")), 0755);
    setMode(dir(QStringLiteral("lsup/supervise")), 0700);
    setMode(dir(QStringLiteral("lrun/run")), 0755);
    setMode(dir(QStringLiteral("victim")), 0755);
    QElapsedTimer back;
    back.start();
    // Running, and reported so (supervise writes its status just after the fork).
    for (const QString &name : brokenNames)
        QVERIFY2(waitFor([&] { return pidsIn(dir(name), "sleep").size() == 1
                                      && run(toolPath(QStringLiteral("svstat")), {dir(name)}).out.contains(": up (pid "); }, 15000),
                 qPrintable(name));
    qInfo().noquote() << QStringLiteral("fault unreadable.restored %1 all_running_after_ms=%2").arg(tag).arg(back.elapsed());
    QCOMPARE(tree.producerPid(), producer);
    const LineAudit a = tree.quietAudit();
    QVERIFY2(a.missing == 0 && a.duplicated == 0 && a.torn == 0 && a.runs.size() == 1, qPrintable(a.describe()));

    const QByteArray out = tree.svscanOutput();
    for (const QString &name : brokenNames) {
        m_messages[reference][name] = linesNaming(out, name);
        for (const QString &l : m_messages[reference][name])
            qInfo().noquote() << QStringLiteral("fault unreadable.message %1 %2: %3").arg(tag, name, l);
    }
    tree.killSvscan(SIGKILL);
    for (const QString &name : brokenNames)
        writeControl(dir(name), "dx");
    QVERIFY(waitFor([&] { return std::all_of(brokenNames.begin(), brokenNames.end(), [&](const QString &n) { return processesUnder(dir(n)).isEmpty(); }); }, 10000));
}

void TestUnreadable::sameKindOfMessageAs076()
{
    if (m_messages[0].isEmpty() || m_messages[1].isEmpty())
        QFAIL("both runs must have passed");
    // 0.76's svscan stats DIR/log before it starts a supervise and warns when it
    // cannot; ours decides logging by the sticky bit (cleared by chmod 000), so its
    // supervise says it instead. Both name the directory and the reason, again at
    // each scan, and start it once the mode is back.
    QVERIFY(m_messages[1][QStringLiteral("ldir")].contains(QStringLiteral("svscan: warning: unable to stat ldir/log: access denied")));
    QCOMPARE(m_messages[0][QStringLiteral("ldir")], QStringList{QStringLiteral("supervise: fatal: unable to chdir to ldir: access denied")});
    // Everywhere else we say at least what 0.76 says, word for word.
    for (const QString &name : {QStringLiteral("lsup"), QStringLiteral("lrun"), QStringLiteral("victim")})
        for (const QString &l : m_messages[1][name])
            QVERIFY2(m_messages[0][name].contains(l), qPrintable(QStringLiteral("0.76 says \"%1\"; we said: %2").arg(l, m_messages[0][name].join(QStringLiteral(" | ")))));
}

QTEST_GUILESS_MAIN(TestUnreadable)
#include "test_unreadable.moc"
