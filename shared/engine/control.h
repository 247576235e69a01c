// SPDX-License-Identifier: MIT
// The supervise/ fifo protocol: asking whether supervise runs and sending it commands.
#pragma once

#include "diag.h"

#include <string>
#include <string_view>

namespace tz {

// What a caller learns about a service directory's supervise, kept apart from
// system errors (which come back as a Failure), as s6's s6_svc_writectl does:
//
//   Running     a supervise holds supervise/ok (or supervise/control) open
//   NotRunning  the fifo exists but nobody reads it (ENXIO)
//   Broken      the directory lacks the protocol files: no supervise/, or no fifo
//               in it (ENOENT, ENOTDIR); supervise never ran here or the tree is damaged
enum class SuperviseState { Running, NotRunning, Broken };

struct Reach {
    SuperviseState state = SuperviseState::Running;
    int err = 0; // the errno behind NotRunning or Broken, for messages that quote it
};

// Every path below is relative to dirFd: a directory fd (O_PATH is enough) or
// AT_FDCWD after a chdir, which is what the daemontools tools do.

// Probes by opening supervise/ok for writing without blocking, daemontools' test.
Result<Reach> probeSupervise(int dirFd);

// The command letters supervise understands, in the order svc documents them.
inline constexpr std::string_view controlLetters = "udopchaitkx";
bool isControlLetter(char c);

// Drops every letter already seen, keeping the first occurrence, as svc does
// ("-tdt" sends "td"). Letters outside controlLetters are kept as they are: checking
// them is the caller's business.
std::string dropRepeats(std::string_view letters);

// Failure::action of a write that failed after the fifo was opened, so that a caller
// can tell "could not reach supervise" from "reached it, but the write failed".
inline constexpr const char *controlWriteAction = "write supervise/control";

// Writes commands to supervise/control in a single blocking write. Running means
// delivered; NotRunning and Broken mean nothing was written. An empty command string
// only checks that supervise is reachable.
Result<Reach> sendCommands(int dirFd, std::string_view commands);

} // namespace tz
