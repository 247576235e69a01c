// SPDX-License-Identifier: MIT
// The names inside a service directory, defined once for every program.
#pragma once

#include <string_view>

namespace tz {

// Paths relative to a service directory. daemontools fixes these names; the
// extensions (exits, backoff, backoff-state, child) are ours; 0.76's tools ignore them.
namespace paths {
inline constexpr const char *run = "run";
inline constexpr const char *down = "down";
inline constexpr const char *log = "log";
inline constexpr const char *superviseDir = "supervise";
inline constexpr const char *lock = "supervise/lock";
inline constexpr const char *control = "supervise/control";
inline constexpr const char *ok = "supervise/ok";
inline constexpr const char *status = "supervise/status";
inline constexpr const char *statusNew = "supervise/status.new";
// Extensions beyond 0.76.
inline constexpr const char *exits = "supervise/exits"; // exit records (exitrecord.h)
inline constexpr const char *exitsNew = "supervise/exits.new";
inline constexpr const char *backoff = "backoff"; // opt-in crash-loop backoff config (backoff.h)
inline constexpr const char *backoffState = "supervise/backoff-state"; // the pause readers see (backoff.h)
inline constexpr const char *backoffStateNew = "supervise/backoff-state.new";
inline constexpr const char *child = "supervise/child"; // the ./run to adopt after a restart (supervisor.h)
inline constexpr const char *childNew = "supervise/child.new";
} // namespace paths

// A service name is one entry of the scan directory: non-empty, at most 255 bytes,
// no '/', no leading '.', no control characters. svscan skips dot-names; the helper
// refuses anything else.
bool isServiceName(std::string_view name);

} // namespace tz
