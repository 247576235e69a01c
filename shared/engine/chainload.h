// SPDX-License-Identifier: MIT
// The last step of every chain-loading tool: an edited environment and a PATH search, as 0.76's pathexec.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tz {

// One edit of the environment handed to the next program: set name to value, or
// remove name when there is no value.
struct EnvChange {
    std::string name;
    std::optional<std::string> value;

    bool operator==(const EnvChange &) const = default;
};

// Applies changes to base (a NULL-terminated environ) exactly as daemontools does,
// because scripts can observe the order of `env`: each change removes the first
// entry with its name by moving the last entry into the hole, then a set appends.
// The name is the change's text up to its first '=', so a file named "A=B" in an
// envdir yields the entry "A=B=value" and replaces A.
std::vector<std::string> composeEnvironment(char *const *base, std::span<const EnvChange> changes);

// The NULL-terminated pointer array execve wants, pointing into strings.
std::vector<char *> cArray(std::vector<std::string> &strings);

// Where a program name leads: the name itself when it contains '/', otherwise
// each element of PATH (default "/bin:/usr/bin"; an empty element means ".").
// Computed before fork so that the child only calls execve.
class ProgramSearch {
public:
    ProgramSearch(std::string_view program, const char *pathVariable);

    // Tries each candidate in order and returns only on failure, with the errno
    // to report: the last error other than "does not exist", and the search stops
    // early at any error other than access denied, permission denied or is a
    // directory. Only execve is called, so it is safe between fork and exec.
    int exec(char *const argv[], char *const envp[]) const;

    const std::vector<std::string> &candidates() const { return m_candidates; }

private:
    std::vector<std::string> m_candidates;
};

// ProgramSearch with the current PATH and environment: returns the errno on failure.
int execProgram(char *const argv[], char *const envp[]);

} // namespace tz
