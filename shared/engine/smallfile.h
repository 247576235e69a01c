// SPDX-License-Identifier: MIT
// Reading a small file whole and replacing one atomically, relative to a directory fd.
#pragma once

#include "diag.h"

#include <cstddef>
#include <span>
#include <vector>

namespace tz {

// Reads at most limit bytes of path under dirFd (a longer file is cut at limit, so a
// damaged or hostile file cannot make a reader allocate without bound). Failures
// name the step: "open PATH" (ENOENT when missing) or "read PATH".
Result<std::vector<unsigned char>> readSmallFile(int dirFd, const char *path, std::size_t limit);

// Writes bytes to tmpPath under dirFd, then renames it over path, so a reader sees
// the old content or the new, never a mix. Failures name the step: "open TMP",
// "write TMP" or "rename TMP to PATH".
Done replaceFile(int dirFd, const char *tmpPath, const char *path, std::span<const unsigned char> bytes);

} // namespace tz
