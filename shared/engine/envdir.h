// SPDX-License-Identifier: MIT
// Reading an envdir: one environment change per file, with daemontools 0.76's exact rules.
#pragma once

#include "chainload.h"
#include "diag.h"

#include <string>
#include <vector>

namespace tz {

// What one directory entry asks for, in the directory's read order.
struct EnvDirEntry {
    EnvChange change;
    // The name was listed but could not be opened because it does not exist (a
    // dangling symlink, or a file removed meanwhile). 0.76 then reuses the previous
    // entry's value, reprocessed; we do the same and say so, so that a template
    // check can warn about it.
    bool vanished = false;
};

// Reads every entry of dir whose name does not start with '.':
// - the first line of the file (up to the first newline) with trailing spaces and
//   tabs removed, each NUL turned into a newline, sets the variable;
// - an empty file removes the variable.
// Failures carry the action 0.76 prints: "switch to directory DIR",
// "read directory DIR" or "read DIR/NAME". Nothing changes the process's working
// directory, so the helper can call this too.
Result<std::vector<EnvDirEntry>> readEnvDir(const std::string &dir);

// The changes alone, in order, ready for composeEnvironment.
std::vector<EnvChange> envChanges(const std::vector<EnvDirEntry> &entries);

} // namespace tz
