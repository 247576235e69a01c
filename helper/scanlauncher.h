// SPDX-License-Identifier: MIT
// Starts our svscan over the scan directory as a detached process, or adopts the one already running.
#pragma once

#include <QObject>
#include <QString>

class QSocketNotifier;

namespace tz {

// The scan loop must survive the helper (even kill -9), so it never runs inside the
// helper: svscan runs in a session of its own, reparented to init, and the helper
// only remembers it in SCANDIR/.tazuna-svscan.pid (dot-names are skipped by svscan):
//
//   "PID STARTTIME\n"   decimal; STARTTIME is field 22 of /proc/PID/stat, so a
//                       recycled pid is never mistaken for our svscan
//
// A helper that starts finds the svscan of the file alive and adopts it; else the
// svscan that holds the scan directory's lock (svscan.cpp: an exclusive flock on the
// directory itself, for as long as it runs); else it starts one, with
// SVSCAN_LOCK=exclusive so that it exits before its first scan should another one
// hold the lock by then. So a helper killed between its fork and svscan's exec, or
// before it wrote the file, never leads to a second scanner: whichever svscan gets
// the lock scans, and the next helper finds it through the lock. It watches the
// adopted or started process with a pidfd and looks again should it ever end.
class ScanLauncher : public QObject {
    Q_OBJECT
public:
    ScanLauncher(QString scanDir, QString toolsDir, QString logFile, QObject *parent = nullptr);
    ~ScanLauncher() override;

    // Adopts or starts; returns an empty string or the problem.
    QString ensureRunning();
    pid_t pid() const { return m_pid; }
    // Whether the running svscan decides on a logger pipe by 0.76's rule
    // (SVSCAN_LOGRULE=0.76 in its environment): then log/ alone means a logger.
    bool logRule076() const;
    bool adopted() const { return m_adopted; }

    static constexpr const char *pidFileName = ".tazuna-svscan.pid";

private:
    pid_t findRunning() const;
    // The svscan holding the scan directory's lock, 0 when the lock is free, -1 when
    // it is held by a process that is not an svscan working in the scan directory.
    pid_t lockHolder() const;
    QString writePidFile(pid_t pid) const;
    QString start();
    bool watch(); // false when the process has gone already

    QString m_scanDir;
    QString m_toolsDir;
    QString m_logFile;
    pid_t m_pid = 0;
    bool m_adopted = false;
    int m_pidfd = -1;
    QSocketNotifier *m_notifier = nullptr;
};

// Field 22 of /proc/PID/stat (start time in clock ticks since boot), 0 when gone.
unsigned long long processStartTime(pid_t pid);

} // namespace tz
