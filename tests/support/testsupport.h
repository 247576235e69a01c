// SPDX-License-Identifier: MIT
// Helpers shared by the tests: where the programs are, running them, waiting with a deadline.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

#include <functional>

#include <sys/types.h>

namespace tz::test {

// Our build of a daemontools program ($TAZUNA_BIN, set by CTest).
QString toolPath(const QString &name);
// Debian's daemontools program, the reference we must match.
QString referencePath(const QString &name);
// The folder holding our programs, to put first on PATH.
QString toolDir();

struct ProcessResult {
    QByteArray out;
    QByteArray err;
    int exitCode = -1;
    bool crashed = false;  // killed by a signal
    bool timedOut = false;
};

struct RunOptions {
    QByteArray input;
    QString workingDirectory;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    int timeoutMs = 20000;
    bool newSession = true; // so that whatever the command leaves behind can be killed as a group
};

// Runs a program to completion; a timeout kills its whole process group.
ProcessResult run(const QString &program, const QStringList &args, const RunOptions &options = {});
// Runs a shell script with /bin/sh -c.
ProcessResult runShell(const QString &script, const RunOptions &options = {});

// Polls cond every 5 ms until it holds or the deadline passes, keeping the event loop alive.
bool waitFor(const std::function<bool()> &cond, int timeoutMs = 10000);

QByteArray readFile(const QString &path);
// The inode of path (symbolic links followed), 0 when there is none: a file
// renamed over it, as supervise does with status and multilog with current, has
// another.
ino_t inodeOf(const QString &path);
// What a process's descriptor refers to ("pipe:[1234]", a path); "" when it has none.
QString fdTarget(qint64 pid, int fd);
void writeFile(const QString &path, const QByteArray &content, int mode = 0644);

// The pid that serviceDir/supervise/status names: 0 when ./run is down or the
// record is missing or short.
quint32 superviseStatusPid(const QString &serviceDir);

// An unprivileged test user: root ignores modes, so permission faults need one.
struct TestUser {
    QString name;
    uid_t uid = 0;
    gid_t gid = 0;
};

// Creates the user (no home, no login shell) unless it exists. Test users keep
// existing after the run: they are harmless and creating them again costs time.
TestUser ensureUser(const QString &name);

} // namespace tz::test
