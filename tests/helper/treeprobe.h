// SPDX-License-Identifier: MIT
// What the kill -9 tests read from /proc and the tree: scanners, supervisors, ./run copies, numbered log lines.
#pragma once

#include "dbusharness.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <csignal>
#include <memory>

#include <sys/prctl.h>

namespace tz::test {

inline QList<int> allPids()
{
    QList<int> out;
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const int p = pid.toInt(&isPid);
        if (isPid)
            out << p;
    }
    return out;
}

inline int parentOf(int pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    return stat.mid(stat.lastIndexOf(')') + 2).split(' ').value(1).toInt();
}

inline QByteArray commOf(int pid) { return readFile(QStringLiteral("/proc/%1/comm").arg(pid)).trimmed(); }

// The pids of every svscan serving scanDir.
inline QList<int> svscans(const QString &scanDir)
{
    QList<int> out;
    for (const int p : allPids()) {
        const QList<QByteArray> args = readFile(QStringLiteral("/proc/%1/cmdline").arg(p)).split('\0');
        if (args.size() >= 2 && args[0].endsWith("svscan") && args[1] == scanDir.toUtf8())
            out << p;
    }
    return out;
}

// The processes working in dir (their cwd) whose parent is named parentComm, or
// that are named comm themselves when parentComm is empty.
inline QList<int> processesIn(const QString &dir, const QByteArray &comm, const QByteArray &parentComm = {})
{
    QList<int> out;
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    for (const int p : allPids()) {
        if (canonical.isEmpty() || QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(p)) != canonical)
            continue;
        if (parentComm.isEmpty() ? commOf(p) == comm : commOf(parentOf(p)) == parentComm)
            out << p;
    }
    return out;
}

// The processes supervise runs in serviceDir: each ./run, however it was started.
inline QList<int> runCopies(const QString &serviceDir) { return processesIn(serviceDir, {}, "supervise"); }
inline QList<int> supervisors(const QString &serviceDir) { return processesIn(serviceDir, "supervise"); }

// A ./run body writing "n 1", "n 2", … as fast as it can, its count kept in the
// file counter so that a restart goes on from there (and may repeat the last one).
// The count is renamed into place: a kill between truncating and writing it would
// make the next run start again from 1.
inline QString numberedProducer(const QString &counter)
{
    return QStringLiteral("n=$(cat %1 2>/dev/null || echo 0); while :; do n=$((n+1)); echo n $n; echo $n > %1.new; mv -f %1.new %1; "
                          "case $n in *0) sleep 0.01;; esac; done")
        .arg(counter);
}

// The numbers of the lines "n NUMBER" (after a multilog stamp or not), in order.
inline QList<int> numberedLines(const QByteArray &text)
{
    QList<int> out;
    static const QRegularExpression re(QStringLiteral("(^| )n (\\d+)$"));
    for (const QByteArray &line : text.split('\n')) {
        const auto m = re.match(QString::fromUtf8(line));
        if (m.hasMatch())
            out << m.captured(2).toInt();
    }
    return out;
}

// Every line multilog wrote to dir: the archives (named by time) and current.
inline QByteArray allLogs(const QString &dir)
{
    QByteArray out;
    const QDir d(dir);
    for (const QString &name : d.entryList({QStringLiteral("@*"), QStringLiteral("current")}, QDir::Files, QDir::Name))
        out += readFile(d.filePath(name));
    return out;
}

// tazuna-helper as the harness starts it, but without waiting for anything: for
// tests that kill it while it starts.
inline std::unique_ptr<QProcess> spawnHelper(DbusHarness &harness, const QString &scanDir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), harness.address());
    auto p = std::make_unique<QProcess>();
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    p->setProcessEnvironment(env);
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->setStandardOutputFile(harness.runDir() + QStringLiteral("/helper.log"), QIODevice::Append);
    p->setProgram(toolPath(QStringLiteral("tazuna-helper")));
    p->setArguments({QStringLiteral("--scan-dir"), scanDir, QStringLiteral("--tools-dir"), toolDir(), QStringLiteral("--templates-dir"),
                     toolPath(QStringLiteral("templates")), QStringLiteral("--svscan-log"),
                     harness.runDir() + QStringLiteral("/svscan.log")});
    p->start();
    return p;
}

} // namespace tz::test
