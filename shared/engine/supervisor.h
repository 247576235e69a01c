// SPDX-License-Identifier: MIT
// The supervise state machine: runs ./run, obeys the control fifo, keeps supervise/status.
#pragma once

#include "backoff.h"
#include "diag.h"
#include "servicedir.h"
#include "exitrecord.h"
#include "status.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <sys/types.h>

namespace tz {

// supervise/child names the process supervise started, so that a supervise started
// after the previous one was killed can recognise it and adopt it instead of
// starting a duplicate. Written to supervise/child.new and renamed after each start,
// removed when the process is gone. A pid alone could have been reused: the start
// time and the boot id make the match exact.
//
//   bytes  0..3   "TZCH"
//   byte   4      format version, 1
//   bytes  5..7   reserved, 0
//   bytes  8..11  pid, big-endian
//   bytes 12..19  start time in clock ticks after boot (/proc/PID/stat field 22), big-endian
//   bytes 20..35  the kernel's boot id (/proc/sys/kernel/random/boot_id) as 16 bytes
//   bytes 36..47  TAI64N of the start, the stamp supervise/status carried
inline constexpr std::size_t childRecordSize = 48;

struct ChildRecord {
    std::uint32_t pid = 0;
    std::uint64_t startTicks = 0;
    std::array<unsigned char, 16> bootId{};
    Tai64n started;

    friend bool operator==(const ChildRecord &, const ChildRecord &) = default;
};

std::array<unsigned char, childRecordSize> encodeChildRecord(const ChildRecord &r);
std::optional<ChildRecord> decodeChildRecord(std::span<const unsigned char> bytes);

// Facts about a live process from /proc; nullopt when it is gone or a zombie.
struct ProcessFacts {
    std::uint64_t startTicks = 0;
    bool stopped = false; // state T: SIGSTOPped, what svc -p leaves behind
};
std::optional<ProcessFacts> processFacts(pid_t pid);
std::optional<std::array<unsigned char, 16>> bootId();

// One supervise. The caller creates it for a service directory, calls open() (the
// start-up steps whose failure is fatal in 0.76), then run() until it returns.
//
// States and events, s6-supervise style: every event is handled by the entry of
// the table for the current state (see supervisor.cpp).
//
//   Down      nothing runs and nothing is due to start
//   Waiting   a start is due at m_notBefore (the 1-second pause, a backoff pause,
//             or 60 s after a failed fork)
//   Up        our child ./run runs
//   Adopted   a ./run left by a killed supervise runs; watched through a pidfd
class Supervisor {
public:
    enum class State { Down, Waiting, Up, Adopted };

    struct Options {
        int dirFd = -1;          // the service directory (AT_FDCWD after a chdir)
        std::string name;        // the directory as the user named it, for messages
        // Written to fd 2 by the child, followed by the reason, when ./run cannot be
        // executed: the child cannot report it any other way.
        std::string execFailurePrefix;
        // Non-fatal trouble, phrased as "<verb> <object>: <reason>" via Failure.
        std::function<void(const Failure &)> warn;
    };

    explicit Supervisor(Options options);
    ~Supervisor();
    Supervisor(const Supervisor &) = delete;
    Supervisor &operator=(const Supervisor &) = delete;

    // Reads down, creates supervise/, takes the lock, makes the fifos, adopts a
    // surviving ./run, writes the first status. Failure::action names the step as
    // 0.76 words it ("acquire DIR/supervise/lock", ...).
    Done open();
    // Starts ./run if wanted and serves events until svc -x has been obeyed.
    Done run();

    State state() const { return m_state; }
    ServiceStatus status() const;

private:
    enum class EventKind { Up, Down, Once, Exit, Pause, Continue, Signal, ChildDied, AdoptedGone, Timer, Count };
    struct Event {
        EventKind kind;
        int value = 0; // the signal for Signal, the wait status for ChildDied
    };
    using Handler = void (*)(Supervisor &, const Event &);
    static const Handler s_table[4][static_cast<int>(EventKind::Count)];
    // A table entry for member H; the member is a template argument, so every call
    // is direct.
    template <void (Supervisor::*H)(const Event &)>
    static void call(Supervisor &s, const Event &e)
    {
        (s.*H)(e);
    }

    void dispatch(const Event &e);
    bool finished() const { return m_exitRequested && m_state == State::Down; }

    // Table entries.
    void ignore(const Event &) {}
    void wantUp(const Event &e);
    void wantDown(const Event &e);
    void wantOnce(const Event &e);
    void requestExit(const Event &e);
    void pause(const Event &e);
    void resume(const Event &e);
    void passSignal(const Event &e);
    void childDied(const Event &e);
    void adoptedGone(const Event &e);
    void timerFired(const Event &e);

    // Effects.
    void announce();
    void spawn();
    void sendSignal(int sig);
    void ended(ExitRecord record);
    void scheduleStart(std::int64_t at);
    void writeBackoff();
    bool tryAdopt();
    void reap();
    void readControl();
    void report(Failure f) const;
    Failure located(std::string verb, const char *path, int err) const;

    Options m_o;
    State m_state = State::Down;
    Want m_want = Want::Up;
    bool m_paused = false;
    bool m_exitRequested = false;
    std::uint32_t m_pid = 0;
    Tai64n m_since;              // status stamp: changes only with the pid
    std::int64_t m_startedMs = 0; // monotonic time of the last start
    std::int64_t m_notBefore = 0; // monotonic time a pending start is due
    bool m_stopRequested = false;
    std::uint8_t m_lastSignal = 0;

    int m_lockFd = -1;
    int m_controlRead = -1;
    int m_controlWrite = -1;
    int m_okRead = -1;
    int m_signalFd = -1;
    int m_pidFd = -1;

    ExitLog m_exits;
    Backoff m_backoff;
    std::optional<BackoffConfig> m_backoffConfig;
    bool m_backoffFileShown = false;
    bool m_backoffWarned = false;
};

} // namespace tz
