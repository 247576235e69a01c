// SPDX-License-Identifier: MIT
// multilog's command line ("the script") parsed into typed actions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tz {

// Limits of daemontools 0.76's s and n actions.
inline constexpr std::uint64_t logMinSize = 4096;
inline constexpr std::uint64_t logMaxSize = 16777215;
inline constexpr std::uint64_t logDefaultSize = 99999;
inline constexpr std::uint64_t logMinCount = 2;
inline constexpr std::uint64_t logDefaultCount = 10;

// A log directory with the s, n and ! settings in force where it appears.
struct LogDirConfig {
    std::string path;
    std::uint64_t maxSize = logDefaultSize; // bytes in current before rotation
    std::uint64_t count = logDefaultCount;  // at most count-1 archives are kept
    std::optional<std::string> processor;   // shell command run on each full current
};

enum class LogActionKind {
    Select,    // +pattern
    Deselect,  // -pattern
    Alert,     // e: the line (at most 200 bytes) to stderr
    Status,    // =file
    Directory, // ./dir or /dir
};

struct LogAction {
    LogActionKind kind;
    std::string pattern;   // Select and Deselect
    std::size_t index = 0; // Status: into statusFiles; Directory: into dirs
};

struct LogScript {
    bool timestamp = false; // 't' counts only as the first argument
    std::vector<LogAction> actions; // in command-line order
    std::vector<LogDirConfig> dirs;
    std::vector<std::string> statusFiles;

    // True when every line goes to every directory and nothing else happens per
    // line: the common "t s... n... ./main" script, worth a fast path.
    bool plain() const;
};

// 0.76 rejects nothing: unknown actions are ignored, a malformed number reads as
// its leading digits (none is 0, then clamped), and an empty script discards the
// input. We accept exactly the same scripts.
LogScript parseLogScript(std::span<const std::string_view> args);

} // namespace tz
