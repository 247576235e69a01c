// SPDX-License-Identifier: MIT
// svscan's scan loop: one supervise per service directory, and a logger pipe that outlives restarts.
#pragma once

#include "diag.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace tz {

// When a service directory also gets a logger (`supervise NAME/log`, its stdin fed
// from the service's stdout):
//
//   Sticky  the seed's rule (the default): the directory has the sticky bit set
//           (chmod +t) AND contains a directory `log`.
//   Always  daemontools 0.76's rule: `log` is a directory, whatever the mode bits.
//           For trees migrated from 0.76, whose service directories were never
//           made sticky.
//
// svscan's argv stays that of 0.76, so the rule is chosen with the environment
// variable SVSCAN_LOGRULE: unset or "sticky" for Sticky, "0.76" for Always.
enum class LogRule { Sticky, Always };
inline constexpr const char *logRuleVariable = "SVSCAN_LOGRULE";
// nullopt for a value that names no rule.
std::optional<LogRule> parseLogRule(std::string_view value);

struct ScannerOptions {
    LogRule logRule = LogRule::Sticky;
    // Looked up through PATH at every start, as 0.76 does with execvp.
    std::string supervise = "supervise";
    // The periodic rescan: the only trigger in 0.76, a fallback here.
    std::chrono::milliseconds rescanInterval{5000};
    // Watch the scan directory with inotify so that a new service starts at once.
    bool watch = true;
    // How long a scan waits after a name is created in the scan directory, so that a
    // script running `mkdir x; mkdir x/log; chmod +t x` is seen whole. A rename into
    // the directory (the atomic way to add a service) is picked up without delay.
    std::chrono::milliseconds settle{40};
    // Reap every child of the process (waitpid(-1)), as the svscan program must so
    // that no zombie accumulates; a host with children of its own leaves this off and
    // only the scanner's own children are waited for.
    bool reapAll = false;
};

// One service directory as the scanner knows it.
struct ServiceView {
    std::string name;      // its latest name in the scan directory
    dev_t dev = 0;         // identity: device and inode, never the name
    ino_t ino = 0;
    bool hasLog = false;   // a logger runs for it, fed through the scanner's pipe
    bool present = false;  // seen in the latest scan
    pid_t supervisePid = 0; // 0 when not running
    pid_t loggerPid = 0;
};

// What the scanner reports as it goes. Every member may be left empty.
struct ScannerCallbacks {
    std::function<void(const ServiceView &)> appeared;
    // The directory left the scan directory. Its supervise keeps running until it
    // exits on its own (svc -dx), exactly as in 0.76; svscan never kills it.
    std::function<void(const ServiceView &)> disappeared;
    // Same inode under a new name: nothing is restarted.
    std::function<void(const ServiceView &, const std::string &oldName)> renamed;
    std::function<void(const ServiceView &, bool logger, pid_t pid)> started;
    std::function<void(const ServiceView &, bool logger, pid_t pid, int waitStatus)> exited;
    // A per-directory problem; the action reads "start supervise NAME", "stat NAME",
    // "create pipe for NAME", …, so a tool prints "unable to " + describe().
    std::function<void(const Failure &)> warning;
};

// The scan loop of svscan as an object: no global state, so that a host process can
// own one next to its own event loop. It blocks SIGCHLD in the calling thread and
// reads it from a signalfd; a host must keep SIGCHLD blocked in all its threads.
//
// Children are started with posix_spawn from the scan directory (as fd, so the
// process's working directory does not matter), with a clean signal mask and
// default dispositions. Every descriptor the scanner opens is close-on-exec; only a
// logger pipe's ends are passed on, as stdout of the service's supervise and stdin
// of the logger's.
//
// Beyond 0.76: no limit on the number of services; inotify starts a new service at
// once; a directory that becomes eligible for a logger after it was first seen (the
// sticky bit or log/ added later) gets its logger and pipe then, and the service's
// supervise is connected to the pipe at its next start.
class Scanner {
public:
    explicit Scanner(ScannerOptions options = {}, ScannerCallbacks callbacks = {});
    ~Scanner(); // closes descriptors; running supervise processes are left running
    Scanner(const Scanner &) = delete;
    Scanner &operator=(const Scanner &) = delete;

    // Opens the scan directory, the inotify watch (when asked for and available) and
    // the SIGCHLD signalfd. The first scan happens at the first processEvents().
    Done open(const std::string &directory);

    // One pass over the directory: reaps, starts what is not running, forgets what is
    // gone and has exited. Per-directory problems go to callbacks.warning.
    void scan();
    // Waits for exited children without blocking.
    void reap();

    // For a host's event loop: descriptors to wait on for reading, and how long until
    // the scanner needs to run again even if none becomes readable (-1: never).
    std::vector<int> pollFds() const;
    int timeoutMs() const;
    // Consumes what is ready on pollFds() and scans when one is due. Never blocks.
    void processEvents();
    // Waits for events and processes them until keepGoing() is false (checked after
    // every wake-up); with no predicate it runs forever.
    Done run(const std::function<bool()> &keepGoing = {});

    std::vector<ServiceView> services() const; // the ones present, sorted by name
    bool watching() const { return m_inotify >= 0; }

private:
    using Clock = std::chrono::steady_clock;
    using Key = std::pair<dev_t, ino_t>;

    struct Entry {
        ServiceView view;
        int pipeRead = -1; // the logger's stdin
        int pipeWrite = -1; // the service's stdout
        bool seen = false;  // found in the pass under way
    };

    bool wantsLog(int dirFd, const std::string &name, mode_t mode, bool *failed);
    bool makePipe(Entry &e);
    bool startService(Entry &e); // false when fork failed
    void startLogger(Entry &e);
    void childExited(pid_t pid, int status);
    void forget(std::map<Key, Entry>::iterator it);
    void readInotify();
    void readSignals();
    void warn(std::string action, int err);

    ScannerOptions m_opt;
    ScannerCallbacks m_cb;
    int m_dir = -1;
    int m_inotify = -1;
    int m_signals = -1;
    std::map<Key, Entry> m_entries;
    std::unordered_map<pid_t, Key> m_byPid;
    Clock::time_point m_nextScan;
    bool m_settling = false; // a scan is already set for after a creation settles
};

} // namespace tz
