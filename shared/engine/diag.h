// SPDX-License-Identifier: MIT
// Error values of the engine and the daemontools-style messages the tools print.
#pragma once

#include <cerrno>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tz {

// daemontools prints its own reason texts (error_str.c), not strerror(): users and
// scripts match on them, so we reproduce them exactly.
const char *reasonText(int err);

// What the engine reports instead of printing: the errno and what it was doing,
// phrased so that a tool can print "unable to <action>: <reason>".
struct Failure {
    int err = 0;
    std::string action; // e.g. "open supervise/ok"

    std::string describe() const; // "<action>: <reason>"
};

inline Failure failure(std::string action, int err = errno) { return Failure{err, std::move(action)}; }

// A value or the Failure that prevented it. The engine never throws across its
// boundary; this is what it returns instead.
template <class T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Failure f) : m_v(std::move(f)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_v); }
    const T &value() const { return std::get<0>(m_v); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Failure &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Failure> m_v;
};

struct Ok {};
using Done = Result<Ok>; // success with no value, or the Failure

// Writes all of data to fd, retrying short writes and EINTR. false with errno set
// when a write fails (0 bytes written counts as failure with errno EIO).
bool writeAll(int fd, std::string_view data);

// One read(2) into buf, retried on EINTR: the byte count, 0 at end of input,
// -1 with errno set on failure.
long readSome(int fd, char *buf, std::size_t size);

// Marks the place in a message where the reason text for an errno goes.
struct Sys {
    int err;
};
inline Sys sys(int err = errno) { return Sys{err}; }

// The one way tools print. Each message is built whole and written with a single
// write(2), so concurrent writers never interleave inside a line.
class Diag {
public:
    explicit Diag(std::string_view prog) : m_prog(prog) {}

    template <class... Parts>
    void warn(const Parts &...parts) const { emit("warning: ", parts...); }

    template <class... Parts>
    [[noreturn]] void die(int code, const Parts &...parts) const
    {
        emit("fatal: ", parts...);
        exitNow(code);
    }

    // "prog: usage: <text>" and exit 100, as daemontools does.
    [[noreturn]] void usage(std::string_view text) const;

    // A message with no "fatal:"/"warning:" tag ("prog: <text>").
    template <class... Parts>
    void say(const Parts &...parts) const { emit("", parts...); }

    std::string_view prog() const { return m_prog; }

private:
    static void append(std::string &out, std::string_view s) { out.append(s); }
    static void append(std::string &out, const char *s) { out.append(s ? s : ""); }
    static void append(std::string &out, const std::string &s) { out.append(s); }
    static void append(std::string &out, const Sys &s) { out.append(reasonText(s.err)); }
    static void append(std::string &out, const Failure &f) { out.append(f.describe()); }

    template <class... Parts>
    void emit(std::string_view tag, const Parts &...parts) const
    {
        std::string line;
        line.append(m_prog).append(": ").append(tag);
        (append(line, parts), ...);
        line.push_back('\n');
        writeAll(line);
    }

    static void writeAll(std::string_view s) { (void)tz::writeAll(2, s); } // nowhere to report a failing stderr
    [[noreturn]] static void exitNow(int code);

    std::string_view m_prog;
};

// Exit codes daemontools uses everywhere.
inline constexpr int exitUsage = 100;     // usage error or permanent failure
inline constexpr int exitTemporary = 111; // temporary failure

} // namespace tz
