// SPDX-License-Identifier: MIT
// Reading and changing the scan directory: every path is opened relative to a directory fd, never re-resolved.
#pragma once

#include "refusal.h"
#include "types.h"

#include <QMap>
#include <QString>

#include <algorithm>

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace tz {

// What the helper records about a service it created, in the root-owned file
// ".tazuna" inside the service directory (mode 0644; dot-names are ignored by
// supervise and svscan). One "key=value" per line:
//
//   owner=UID            the uid of the user who asked for it
//   user=NAME            the user ./run drops to with setuidgid ("root": no drop)
//   template=ID          the template it was rendered from
//   log-size=BYTES       multilog's sSIZE
//   log-count=NUM        multilog's nNUM
//   log-timestamps=0|1   whether multilog gets the t action
//
// A service made by hand has no such file: it has owner root and an unknown user.
struct ServiceMeta {
    uid_t owner = 0;
    QString user;
    QString templateId;
    quint32 logSize = 99999;
    quint32 logCount = 10;
    bool logTimestamps = true;

    QByteArray encode() const;
    static ServiceMeta decode(const QByteArray &text);
};
inline constexpr const char *metaFile = ".tazuna";
// Where the logger writes, relative to the service directory.
inline constexpr const char *logMainDir = "log/main";

// A logging change under way (Helper::SetLogging), in the root-owned file
// ".tazuna-logging" inside the service directory: written (staged and renamed) before
// the first change to the service and removed after the last, so that a helper
// started after a kill -9 finishes the change. One "key=value" per line:
//
//   logging=on|off        the direction
//   want=up|down|once     what the service's supervise wanted before the change
//   running=0|1           whether ./run was running then (a once that ran runs once again)
//   supervised=0|1        whether a supervise ran the service then
//   stage=NAME            (off) the dot-name in the scan directory under which the
//                         old directory is stopped; the record is written into the
//                         new directory before the two are swapped, so that it names
//                         the stage exactly when the swap has happened
//   helper=PID START      the helper doing it (START: field 22 of /proc/PID/stat)
struct LoggingChange {
    bool on = true;
    char want = 'u'; // 'u', 'd' or 'o', as Want
    bool running = false;
    bool supervised = false;
    QByteArray stage;
    pid_t helper = 0;
    unsigned long long helperStart = 0;

    QByteArray encode() const;
    // nullopt when the text is not a whole record.
    static std::optional<LoggingChange> decode(const QByteArray &text);
};
inline constexpr const char *loggingChangeFile = ".tazuna-logging";
inline constexpr const char *loggingChangeStage = ".tazuna-logging.new";
// The content of a down file the helper writes only to keep a restarted supervise
// from starting ./run before the change gives its want back; a user's own down file
// (any other content) is never taken for it.
inline constexpr const char *markedDown = "tazuna-helper: down only while the logging of this service changes\n";
// Where the marked down file is written before it is linked into place whole.
inline constexpr const char *markedDownStage = ".tazuna-down.new";

// An open directory descriptor that closes itself.
// Crashes are counted over the last minute (ServiceInfo::crashes, ServiceCrashed).
inline constexpr qint64 crashWindowMs = 60000;

// When the current state began and when the recent unasked exits happened (Unix ms),
// from which ServiceInfo::seconds and ::crashes follow at any later moment.
struct ServiceTimes {
    qint64 sinceMs = -1; // -1: no status
    QList<qint64> crashEndsMs;

    // Sets info.seconds and info.crashes as of nowMs.
    void apply(ServiceInfo &info, qint64 nowMs) const
    {
        info.seconds = sinceMs < 0 ? 0 : std::max<qint64>(0, nowMs / 1000 - sinceMs / 1000);
        info.crashes = 0;
        for (const qint64 t : crashEndsMs)
            if (t >= nowMs - crashWindowMs)
                ++info.crashes;
    }
};

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd &&o) noexcept : m_fd(o.release()) {}
    Fd &operator=(Fd &&o) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd();
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release();

private:
    int m_fd = -1;
};

class ServiceTree {
public:
    explicit ServiceTree(QString scanDir);

    // Opens the scan directory (creating it, mode 0755, when missing).
    QString open();
    const QString &path() const { return m_path; }
    int dirFd() const { return m_dir.get(); }

    // Service names in the scan directory, sorted; dot-names and non-directories skipped.
    std::vector<QString> names() const;
    // The service directory as an fd (following a symlink in the scan directory, as
    // svscan does); NoSuchService when absent, InvalidName when the name is bad.
    Outcome<Fd> openService(const QString &name) const;

    // With times, also what the row's time-dependent fields are computed from, so
    // that a cached row can be brought up to date without reading the tree again.
    ServiceInfo info(const QString &name, int serviceFd, ServiceTimes *times = nullptr) const;
    Outcome<ServiceInfo> info(const QString &name) const;
    Outcome<ServiceDetails> details(const QString &name) const;
    static std::optional<ServiceMeta> readMeta(int serviceFd);

    // Sends svc letters to the service's supervise (or to its logger's, with log).
    Check control(const QString &name, const std::string &letters, bool log = false) const;

    Outcome<LogFileInfoList> listLogs(const QString &name) const;
    // A read-only descriptor of one file of log/main, opened with O_NOFOLLOW.
    Outcome<int> openLog(const QString &name, const QString &file) const;

private:
    QString m_path;
    Fd m_dir;
};

struct Tai64n;
struct ExitRecord;

// A TAI64N moment as Unix time in milliseconds, the unit of every time on the bus.
qint64 unixMs(const Tai64n &t);
// An exit record as the bus carries it.
ExitInfo exitInfo(const ExitRecord &r);

// Reads a whole small file under dirFd without following a final symlink.
std::optional<QByteArray> readSmallFile(int dirFd, const char *path, qsizetype limit = 65536);
// Removes name under dirFd and everything below it, never following symlinks.
bool removeTree(int dirFd, const char *name);
// A name checked for the service rules of tz::isServiceName, as an error or nullopt.
Check checkServiceName(const QString &name);
// What the helper itself creates is stricter: ASCII letters, digits and . _ - @ +,
// starting with neither '.' nor '-', so that no name in the list can pass for another
// (no look-alikes of '/', no bidirectional or zero-width characters).
Check checkNewServiceName(const QString &name);

} // namespace tz
