// SPDX-License-Identifier: MIT
// Behaviour of our svscan with a real supervise (ours and Debian's): logger rules, the logger pipe, inotify, renames.
#include "status.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz::test;

namespace {

QByteArray enc(const QString &s) { return QFile::encodeName(s); }

// "supervise is running" as every daemontools tool decides it: supervise/ok opens
// for writing without blocking.
bool superviseRunning(const QString &serviceDir)
{
    const int fd = ::open(enc(serviceDir + QStringLiteral("/supervise/ok")).constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

// The pid of ./run as supervise/status records it, 0 when down or unreadable.
pid_t runPid(const QString &serviceDir)
{
    const int dir = ::open(enc(serviceDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return 0;
    const auto read = tz::readStatusFile(dir);
    ::close(dir);
    if (!read || !read->status)
        return 0;
    return static_cast<pid_t>(read->status->pid);
}

pid_t parentOf(pid_t pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    return fields.size() > 1 ? static_cast<pid_t>(fields.at(1).toInt()) : 0;
}

// Exists and is not a zombie.
bool alive(pid_t pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    return close >= 0 && stat.size() > close + 2 && stat.at(close + 2) != 'Z';
}

QList<pid_t> childrenOf(pid_t pid)
{
    QList<pid_t> out;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QByteArray list = readFile(tasks.filePath(tid) + QStringLiteral("/children")).trimmed();
        for (const QByteArray &c : list.split(' '))
            if (!c.isEmpty())
                out.append(static_cast<pid_t>(c.toInt()));
    }
    return out;
}

void makeService(const QString &dir, const QByteArray &run, bool sticky = false)
{
    QVERIFY(QDir().mkpath(dir));
    writeFile(dir + QStringLiteral("/run"), run, 0755);
    if (sticky)
        ::chmod(enc(dir).constData(), 01755);
}

} // namespace

class TestSvscan : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_scanDir;
    QProcess *m_svscan = nullptr;
    pid_t m_group = 0;

    QString path(const QString &rel) const { return m_tmp.filePath(rel); }

    // Starts our svscan on scan/ in a session of its own, with the chosen supervise
    // first on PATH; everything it starts is killed with its process group.
    void startSvscan(const QString &supervise, const QString &logRule = {})
    {
        const QString bin = path(QStringLiteral("bin"));
        QDir().mkpath(bin);
        QFile::remove(bin + QStringLiteral("/supervise"));
        QVERIFY(QFile::link(supervise, bin + QStringLiteral("/supervise")));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), bin + QStringLiteral(":/usr/bin:/bin"));
        if (logRule.isEmpty())
            env.remove(QStringLiteral("SVSCAN_LOGRULE"));
        else
            env.insert(QStringLiteral("SVSCAN_LOGRULE"), logRule);
        m_svscan = new QProcess(this);
        m_svscan->setProcessEnvironment(env);
        m_svscan->setProgram(toolPath(QStringLiteral("svscan")));
        m_svscan->setArguments({m_scanDir});
        m_svscan->setStandardOutputFile(path(QStringLiteral("svscan.out")));
        m_svscan->setStandardErrorFile(path(QStringLiteral("svscan.out")), QIODevice::Append);
        m_svscan->setChildProcessModifier([] { ::setsid(); });
        m_svscan->start();
        QVERIFY(m_svscan->waitForStarted());
        m_group = static_cast<pid_t>(m_svscan->processId());
    }

    // Our svscan rescans at once on any change in the scan directory, so a restart
    // after a kill need not wait for the 5-second rescan.
    void poke()
    {
        const QString f = m_scanDir + QStringLiteral("/.poke");
        writeFile(f, {});
        QFile::remove(f);
    }

    static QString oursSupervise() { return toolPath(QStringLiteral("supervise")); }
    static QString debianSupervise() { return referencePath(QStringLiteral("supervise")); }

    void supervisors()
    {
        QTest::addColumn<QString>("supervise");
        QTest::newRow("our supervise") << oursSupervise();
        QTest::newRow("Debian supervise") << debianSupervise();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(toolPath(QStringLiteral("svscan"))));
        QVERIFY2(QFile::exists(oursSupervise()), "our supervise is not built");
        QVERIFY2(QFile::exists(debianSupervise()), "Debian's daemontools is not installed");
    }

    void init()
    {
        QVERIFY(m_tmp.isValid());
        m_scanDir = path(QStringLiteral("scan%1").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(QDir().mkpath(m_scanDir));
    }

    void cleanup()
    {
        if (m_group > 0)
            ::kill(-m_group, SIGKILL);
        if (m_svscan) {
            m_svscan->waitForFinished(5000);
            delete m_svscan;
            m_svscan = nullptr;
        }
        m_group = 0;
    }

    // The seed's rule: a logger only with the sticky bit AND log/; with
    // SVSCAN_LOGRULE=0.76, log/ alone is enough (Debian's svscan behaves so).
    void logRule_data()
    {
        QTest::addColumn<QString>("supervise");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<bool>("sticky");
        QTest::addColumn<bool>("expectLogger");
        for (const auto &[label, sup] : {std::pair{"ours", oursSupervise()}, std::pair{"Debian", debianSupervise()}}) {
            QTest::addRow("%s, default rule, sticky", label) << sup << QString() << true << true;
            QTest::addRow("%s, default rule, not sticky", label) << sup << QString() << false << false;
            QTest::addRow("%s, sticky named, not sticky", label) << sup << QStringLiteral("sticky") << false << false;
            QTest::addRow("%s, 0.76 rule, not sticky", label) << sup << QStringLiteral("0.76") << false << true;
            QTest::addRow("%s, 0.76 rule, sticky", label) << sup << QStringLiteral("0.76") << true << true;
        }
    }

    void logRule()
    {
        QFETCH(QString, supervise);
        QFETCH(QString, rule);
        QFETCH(bool, sticky);
        QFETCH(bool, expectLogger);
        const QString svc = m_scanDir + QStringLiteral("/svc");
        makeService(svc + QStringLiteral("/log"), "#!/bin/sh\nexec cat > ../../logged\n");
        makeService(svc, "#!/bin/sh\necho marker line\nexec sleep 1000\n", sticky);
        startSvscan(supervise, rule);
        const QString logged = m_scanDir + QStringLiteral("/logged");
        const QString direct = path(QStringLiteral("svscan.out"));
        // Either way the line ends up somewhere observable: in the logger's file, or
        // on svscan's own stdout, which the service inherits without a logger.
        QVERIFY(waitFor([&] { return readFile(logged).contains("marker") || readFile(direct).contains("marker"); }));
        QCOMPARE(readFile(logged).contains("marker"), expectLogger);
        QCOMPARE(readFile(direct).contains("marker"), !expectLogger);
        QCOMPARE(superviseRunning(svc + QStringLiteral("/log")), expectLogger);
    }

    // Numbered lines flow from a service through svscan's pipe to a logger that
    // appends them to a file, while each side's supervise is killed with SIGKILL
    // (and its ./run stopped): every line must arrive exactly once, in order.
    void pipeSurvivesKill9_data() { supervisors(); }
    void pipeSurvivesKill9()
    {
        QFETCH(QString, supervise);
        const QString svc = m_scanDir + QStringLiteral("/producer");
        const QString log = svc + QStringLiteral("/log");
        const QString out = path(QStringLiteral("producer.out"));
        const QString state = path(QStringLiteral("producer.state"));
        QFile::remove(out);
        QFile::remove(state);
        // The producer stops only between lines (TERM sets a flag), recording the
        // last number written, so that a restart continues without gap or repeat.
        makeService(log, QStringLiteral("#!/bin/sh\nexec cat >> %1\n").arg(out).toUtf8());
        makeService(svc,
                    QStringLiteral("#!/bin/sh\ntrap 'stop=1' TERM\nn=$(cat %1 2>/dev/null || echo 0)\n"
                                   "while [ -z \"$stop\" ]; do n=$((n+1)); echo \"line $n\"; echo $n > %1; sleep 0.02; done\n")
                        .arg(state)
                        .toUtf8(),
                    true);
        startSvscan(supervise);
        auto lastLogged = [&] {
            const QList<QByteArray> lines = readFile(out).trimmed().split('\n');
            return lines.isEmpty() ? QByteArray() : lines.last();
        };
        auto written = [&] { return readFile(state).trimmed().toInt(); };
        QVERIFY(waitFor([&] { return written() > 5; }));

        for (int round = 0; round < 3; ++round) {
            // The service side: supervise dies, ./run is stopped between lines, and the
            // next supervise starts a new producer writing into the same pipe.
            pid_t run = runPid(svc);
            QVERIFY(run > 0);
            const pid_t sup = parentOf(run);
            QVERIFY(sup > 0);
            ::kill(sup, SIGKILL);
            ::kill(run, SIGTERM);
            poke();
            QVERIFY(waitFor([&] { return runPid(svc) > 0 && runPid(svc) != run && superviseRunning(svc); }, 15000));
            const int before = written();
            QVERIFY(waitFor([&] { return written() > before + 5; }));

            // The logger side: the producer pauses until the logger has everything,
            // the logger's supervise and cat die, the producer resumes into the pipe
            // with nobody reading, and a new logger picks the lines up.
            run = runPid(svc);
            ::kill(run, SIGSTOP);
            QVERIFY(waitFor([&] { return lastLogged() == "line " + QByteArray::number(written()); }));
            const pid_t cat = runPid(log);
            QVERIFY(cat > 0);
            const pid_t logSup = parentOf(cat);
            ::kill(logSup, SIGKILL);
            ::kill(cat, SIGKILL);
            QVERIFY(waitFor([&] { return !superviseRunning(log); }));
            ::kill(run, SIGCONT);
            const int paused = written();
            QVERIFY(waitFor([&] { return written() > paused + 20; }));
            poke();
            QVERIFY(waitFor([&] { return runPid(log) > 0 && runPid(log) != cat; }, 15000));
            QVERIFY(waitFor([&] { return lastLogged() == "line " + QByteArray::number(written()) && written() > paused + 10; }));
        }

        // svscan first, so that nothing starts another producer; then the producer
        // finishes its line and stops.
        const pid_t run = runPid(svc);
        ::kill(m_group, SIGKILL);
        ::kill(parentOf(run), SIGKILL);
        ::kill(run, SIGTERM);
        QVERIFY(waitFor([&] { return !alive(run); }));
        QVERIFY(waitFor([&] { return lastLogged() == "line " + QByteArray::number(written()); }));
        const int total = written();
        const QList<QByteArray> lines = readFile(out).trimmed().split('\n');
        QCOMPARE(lines.size(), total);
        for (int i = 0; i < total; ++i)
            QCOMPARE(lines.at(i), "line " + QByteArray::number(i + 1));
        qInfo("%d lines, none lost or repeated", total);
    }

    // A service moved into the scan directory runs at once, not at the next 5-second
    // scan. The bound is generous for a loaded machine; the time is printed.
    void newServiceStartsAtOnce()
    {
        makeService(m_scanDir + QStringLiteral("/first"), "#!/bin/sh\nexec sleep 1000\n");
        startSvscan(oursSupervise());
        // Once the first scan has passed, only inotify can explain a quick start.
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/first")); }));
        const QString staged = path(QStringLiteral("staged"));
        makeService(staged, "#!/bin/sh\nexec sleep 1000\n");
        QElapsedTimer t;
        t.start();
        QVERIFY(::rename(enc(staged).constData(), enc(m_scanDir + QStringLiteral("/moved")).constData()) == 0);
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/moved")); }, 2000));
        const qint64 moved = t.elapsed();

        t.restart();
        makeService(m_scanDir + QStringLiteral("/made"), "#!/bin/sh\nexec sleep 1000\n");
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/made")); }, 2000));
        const qint64 made = t.elapsed();
        qInfo("supervise running %lld ms after a rename into the scan directory, %lld ms after mkdir", moved, made);
    }

    void dotNamesAreSkipped()
    {
        makeService(m_scanDir + QStringLiteral("/.hidden"), "#!/bin/sh\nexec sleep 1000\n");
        makeService(m_scanDir + QStringLiteral("/visible"), "#!/bin/sh\nexec sleep 1000\n");
        startSvscan(oursSupervise());
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/visible")); }));
        poke();
        makeService(m_scanDir + QStringLiteral("/later"), "#!/bin/sh\nexec sleep 1000\n");
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/later")); }));
        QVERIFY(!QFile::exists(m_scanDir + QStringLiteral("/.hidden/supervise")));
        QCOMPARE(childrenOf(m_group).size(), 2);
    }

    // Same inode under a new name: the running supervise is kept, none is added.
    void renameKeepsSupervise()
    {
        makeService(m_scanDir + QStringLiteral("/before"), "#!/bin/sh\nexec sleep 1000\n");
        startSvscan(oursSupervise());
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/before")); }));
        const QList<pid_t> children = childrenOf(m_group);
        QCOMPARE(children.size(), 1);
        QVERIFY(::rename(enc(m_scanDir + QStringLiteral("/before")).constData(),
                         enc(m_scanDir + QStringLiteral("/after")).constData())
                == 0);
        // A later creation forces a scan after the rename; once its supervise runs,
        // the rename has been seen.
        makeService(m_scanDir + QStringLiteral("/witness"), "#!/bin/sh\nexec sleep 1000\n");
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/witness")); }));
        QList<pid_t> now = childrenOf(m_group);
        QCOMPARE(now.size(), 2);
        QVERIFY(now.contains(children.first()));
        QVERIFY(superviseRunning(m_scanDir + QStringLiteral("/after")));
    }

    // 0.76's behaviour, kept: a directory taken out of the scan directory is no
    // longer watched, its supervise runs on until it exits, and it is not restarted.
    void removedDirectoryIsForgotten()
    {
        makeService(m_scanDir + QStringLiteral("/leaving"), "#!/bin/sh\nexec sleep 1000\n");
        startSvscan(oursSupervise());
        const QString inside = m_scanDir + QStringLiteral("/leaving");
        QVERIFY(waitFor([&] { return superviseRunning(inside); }));
        const QString outside = path(QStringLiteral("left%1").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(::rename(enc(inside).constData(), enc(outside).constData()) == 0);
        makeService(m_scanDir + QStringLiteral("/witness"), "#!/bin/sh\nexec sleep 1000\n");
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/witness")); }));
        QVERIFY(superviseRunning(outside)); // still running after the scan that lost it

        RunOptions options;
        options.newSession = false;
        const ProcessResult down = run(toolPath(QStringLiteral("svc")), {QStringLiteral("-dx"), outside}, options);
        QCOMPARE(down.exitCode, 0);
        QVERIFY(waitFor([&] { return !superviseRunning(outside); }));
        QVERIFY(waitFor([&] { return childrenOf(m_group).size() == 1; }));
        poke();
        makeService(m_scanDir + QStringLiteral("/witness2"), "#!/bin/sh\nexec sleep 1000\n");
        QVERIFY(waitFor([&] { return superviseRunning(m_scanDir + QStringLiteral("/witness2")); }));
        QVERIFY(!superviseRunning(outside));
        QCOMPARE(childrenOf(m_group).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSvscan)
#include "test_svscan.moc"
