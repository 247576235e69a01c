// SPDX-License-Identifier: MIT
// Our svscan with 2000 service directories, twice 0.76's limit of 1000: every one gets its supervise.
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace tz::test;

class TestSvscanMany : public QObject {
    Q_OBJECT

private slots:
    void twoThousandServices()
    {
        constexpr int count = 2000;
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString scan = tmp.filePath(QStringLiteral("scan"));
        // Normally down (a down file), so that only the supervise processes run and
        // the machine is not loaded with 2000 services as well.
        for (int i = 0; i < count; ++i) {
            const QString dir = scan + QStringLiteral("/s%1").arg(i);
            QVERIFY(QDir().mkpath(dir));
            writeFile(dir + QStringLiteral("/run"), "#!/bin/sh\nexec sleep 1000\n", 0755);
            writeFile(dir + QStringLiteral("/down"), {});
        }
        const QString bin = tmp.filePath(QStringLiteral("bin"));
        QVERIFY(QDir().mkpath(bin));
        QVERIFY(QFile::link(toolPath(QStringLiteral("supervise")), bin + QStringLiteral("/supervise")));

        QProcess svscan;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), bin + QStringLiteral(":/usr/bin:/bin"));
        svscan.setProcessEnvironment(env);
        svscan.setProgram(toolPath(QStringLiteral("svscan")));
        svscan.setArguments({scan});
        svscan.setStandardOutputFile(tmp.filePath(QStringLiteral("svscan.out")));
        svscan.setStandardErrorFile(tmp.filePath(QStringLiteral("svscan.out")));
        svscan.setChildProcessModifier([] { ::setsid(); });
        QElapsedTimer t;
        t.start();
        svscan.start();
        QVERIFY(svscan.waitForStarted());
        const pid_t group = static_cast<pid_t>(svscan.processId());

        // "supervise is running": supervise/ok opens for writing without blocking.
        // Checked in order, resuming where the last check stopped: a started supervise
        // stays running, and the check must not eat the CPU the starts need.
        int running = 0;
        const bool all = waitFor(
            [&] {
                for (int i = running; i < count; ++i) {
                    const QByteArray ok = QFile::encodeName(scan + QStringLiteral("/s%1/supervise/ok").arg(i));
                    const int fd = ::open(ok.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                    if (fd < 0)
                        break;
                    ::close(fd);
                    ++running;
                }
                return running == count;
            },
            45000);
        const qint64 elapsed = t.elapsed();
        ::kill(-group, SIGKILL);
        svscan.waitForFinished(5000);
        qInfo("%d of %d supervise processes running after %lld ms", running, count, elapsed);
        QVERIFY(all);
        QVERIFY2(!readFile(tmp.filePath(QStringLiteral("svscan.out"))).contains("svscan:"),
                 readFile(tmp.filePath(QStringLiteral("svscan.out"))).left(500).constData());
    }
};

QTEST_GUILESS_MAIN(TestSvscanMany)
#include "test_svscan_many.moc"
