// SPDX-License-Identifier: MIT
// svscanboot: starts svscan on /etc/service with its errors shown by readproctitle, as Debian's daemontools does.
//
// The same steps as the shell script of daemontools 0.76, with Debian's scan
// directory (/etc/service instead of /service) and svc found through PATH:
//
//   PATH=/command:/usr/local/bin:/usr/local/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/X11R6/bin
//   exec </dev/null >/dev/null 2>/dev/null
//   svc -dx /etc/service/* /etc/service/*/log
//   env - PATH=$PATH svscan /etc/service 2>&1 | env - PATH=$PATH readproctitle service errors: ....
//
// Arguments are ignored, nothing is printed, and the exit status is readproctitle's.
#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include <fcntl.h>
#include <glob.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

constexpr const char *bootPath = "/command:/usr/local/bin:/usr/local/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/X11R6/bin";
constexpr const char *scanDir = "/etc/service";
constexpr std::size_t titleDots = 400; // the width of the error tail ps shows

// The shell's expansion of one word: sorted matches, or the word itself when none.
void expand(const std::string &pattern, std::vector<std::string> &out)
{
    glob_t g{};
    if (::glob(pattern.c_str(), GLOB_NOCHECK, nullptr, &g) == 0)
        for (std::size_t i = 0; i < g.gl_pathc; ++i)
            out.emplace_back(g.gl_pathv[i]);
    ::globfree(&g);
}

pid_t spawn(std::vector<std::string> args, char **envp, int in, int out)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (in >= 0)
        posix_spawn_file_actions_adddup2(&actions, in, 0);
    if (out >= 0) {
        posix_spawn_file_actions_adddup2(&actions, out, 1);
        posix_spawn_file_actions_adddup2(&actions, out, 2);
    }
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

int waitFor(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 127;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

} // namespace

int main()
{
    ::setenv("PATH", bootPath, 1);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
        if (null > 2)
            ::close(null);
    }

    std::vector<std::string> svc{"svc", "-dx"};
    expand(std::string(scanDir) + "/*", svc);
    expand(std::string(scanDir) + "/*/log", svc);
    if (const pid_t pid = spawn(svc, environ, -1, -1); pid > 0)
        waitFor(pid);

    std::string pathVar = std::string("PATH=") + bootPath;
    std::array<char *, 2> cleanEnv{pathVar.data(), nullptr};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0)
        return 111;
    const pid_t scanner = spawn({"svscan", scanDir}, cleanEnv.data(), -1, fds[1]);
    const pid_t title = spawn({"readproctitle", "service", "errors:", std::string(titleDots, '.')}, cleanEnv.data(),
                              fds[0], -1);
    ::close(fds[0]);
    ::close(fds[1]);
    if (scanner > 0)
        waitFor(scanner);
    return title > 0 ? waitFor(title) : 127;
}
