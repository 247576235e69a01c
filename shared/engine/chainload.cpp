// SPDX-License-Identifier: MIT
// Environment edits and the PATH search shared by the chain-loading tools.
#include "chainload.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace tz {

std::vector<std::string> composeEnvironment(char *const *base, std::span<const EnvChange> changes)
{
    std::vector<std::string> env;
    for (char *const *e = base; e && *e; ++e)
        env.emplace_back(*e);
    for (const EnvChange &c : changes) {
        std::string entry = c.name;
        if (c.value)
            entry.append("=").append(*c.value);
        const std::string_view key = std::string_view(entry).substr(0, entry.find('='));
        for (size_t i = 0; i < env.size(); ++i) {
            const std::string &have = env[i];
            if (have.size() > key.size() && have.compare(0, key.size(), key) == 0 && have[key.size()] == '=') {
                env[i] = std::move(env.back());
                env.pop_back();
                break;
            }
        }
        if (key.size() < entry.size())
            env.push_back(std::move(entry));
    }
    return env;
}

std::vector<char *> cArray(std::vector<std::string> &strings)
{
    std::vector<char *> out;
    out.reserve(strings.size() + 1);
    for (std::string &s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

ProgramSearch::ProgramSearch(std::string_view program, const char *pathVariable)
{
    if (program.find('/') != std::string_view::npos) {
        m_candidates.emplace_back(program);
        return;
    }
    std::string_view path = pathVariable ? pathVariable : "/bin:/usr/bin";
    for (;;) {
        const size_t split = path.find(':');
        const std::string_view dir = path.substr(0, split);
        std::string candidate(dir.empty() ? std::string_view(".") : dir);
        candidate.append("/").append(program);
        m_candidates.push_back(std::move(candidate));
        if (split == std::string_view::npos)
            break;
        path.remove_prefix(split + 1);
    }
}

int ProgramSearch::exec(char *const argv[], char *const envp[]) const
{
    int saved = 0;
    for (const std::string &candidate : m_candidates) {
        ::execve(candidate.c_str(), argv, envp);
        const int err = errno;
        if (err != ENOENT) {
            saved = err;
            if (err != EACCES && err != EPERM && err != EISDIR)
                return err;
        }
    }
    return saved ? saved : ENOENT;
}

int execProgram(char *const argv[], char *const envp[])
{
    return ProgramSearch(argv[0], std::getenv("PATH")).exec(argv, envp);
}

} // namespace tz
