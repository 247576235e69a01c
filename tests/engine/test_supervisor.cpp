// SPDX-License-Identifier: MIT
// The supervisor class itself: child records, /proc facts, and a run on a directory fd.
#include "control.h"
#include "supervisor.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tz;

class TestSupervisor : public QObject {
    Q_OBJECT

private slots:
    void childRecordLayout()
    {
        ChildRecord r;
        r.pid = 0x0a0b0c0d;
        r.startTicks = 0x1122334455667788ULL;
        for (int i = 0; i < 16; ++i)
            r.bootId[static_cast<std::size_t>(i)] = static_cast<unsigned char>(i);
        r.started = Tai64n{tai64Epoch + 1, 2};
        const auto b = encodeChildRecord(r);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(b.data()), 20),
                 QByteArray("TZCH\x01\x00\x00\x00\x0a\x0b\x0c\x0d\x11\x22\x33\x44\x55\x66\x77\x88", 20));
        QCOMPARE(int(b[20]), 0);
        QCOMPARE(int(b[35]), 15);
        QCOMPARE(*decodeChildRecord(b), r);
        QVERIFY(!decodeChildRecord(std::span<const unsigned char>(b.data(), 47)).has_value());
        auto bad = b;
        bad[0] = 'X';
        QVERIFY(!decodeChildRecord(bad).has_value());
    }

    void procFacts()
    {
        const auto self = processFacts(::getpid());
        QVERIFY(self.has_value());
        QVERIFY(self->startTicks > 0);
        QVERIFY(!self->stopped);
        QCOMPARE(processFacts(::getpid())->startTicks, self->startTicks);
        QVERIFY(bootId().has_value());
        // A zombie is gone for our purposes.
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        QVERIFY(QTest::qWaitFor([&] {
            const QByteArray stat = [&] {
                QFile f(QStringLiteral("/proc/%1/stat").arg(child));
                return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
            }();
            return stat.contains(") Z");
        }));
        QVERIFY(!processFacts(child).has_value());
        ::waitpid(child, nullptr, 0);
        QVERIFY(!processFacts(child).has_value());
    }

    // The helper will drive a Supervisor on a directory fd, without chdir: run one in
    // a child process that way and talk to it through the fifo protocol.
    void runsOnADirectoryFd()
    {
        QTemporaryDir tmp;
        QFile run(tmp.filePath(QStringLiteral("run")));
        QVERIFY(run.open(QIODevice::WriteOnly));
        run.write("#!/bin/sh\nexec sleep 1000\n");
        run.close();
        run.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const int dir = ::open(QFile::encodeName(tmp.path()).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        QVERIFY(dir >= 0);

        const pid_t child = ::fork();
        if (child == 0) {
            Supervisor::Options o;
            o.dirFd = dir;
            o.name = "svc";
            o.execFailurePrefix = "test: unable to start svc/run: ";
            Supervisor s(std::move(o));
            if (!s.open())
                ::_exit(2);
            ::_exit(s.run().ok() ? 0 : 3);
        }
        const auto current = [&] { return readStatusFile(dir); };
        QVERIFY(QTest::qWaitFor([&] {
            auto r = current();
            return r.ok() && r->status && r->status->pid != 0;
        }, 5000));
        const std::uint32_t pid = current()->status->pid;
        // ./run runs in the service directory although the supervisor never chdir'd.
        QVERIFY(QTest::qWaitFor([&] {
            return QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(pid)) == QDir(tmp.path()).canonicalPath();
        }, 5000));
        QCOMPARE(probeSupervise(dir)->state, SuperviseState::Running);
        QCOMPARE(sendCommands(dir, "dx")->state, SuperviseState::Running);
        int ws = 0;
        QVERIFY(QTest::qWaitFor([&] { return ::waitpid(child, &ws, WNOHANG) == child; }, 5000));
        QVERIFY(WIFEXITED(ws));
        QCOMPARE(WEXITSTATUS(ws), 0);
        QCOMPARE(probeSupervise(dir)->state, SuperviseState::NotRunning);
        const auto last = current()->status;
        QCOMPARE(last->pid, 0u);
        QCOMPARE(last->want, Want::Down);
        auto log = readExitLog(dir);
        QVERIFY(log.ok());
        QCOMPARE(log->records.size(), std::size_t(1));
        QCOMPARE(log->records[0].pid, pid);
        QVERIFY(log->records[0].stopRequested);
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("supervise/child"))));
        ::close(dir);
    }
};

QTEST_GUILESS_MAIN(TestSupervisor)
#include "test_supervisor.moc"
