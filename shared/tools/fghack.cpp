// SPDX-License-Identifier: MIT
// fghack: keeps a self-backgrounding daemon in the foreground by waiting for every holder of a pipe.
#include "chainload.h"
#include "diag.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char **argv)
{
    const tz::Diag diag("fghack");
    if (argc < 2)
        diag.usage("fghack child");

    // The child and everything it forks inherit the write end of this pipe; reading
    // it reaches end of file only when the last of them has exited or closed it,
    // however far the daemon has wandered from its parent.
    int pipeFds[2];
    if (::pipe(pipeFds) == -1)
        diag.die(tz::exitTemporary, "unable to create pipe: ", tz::sys());

    // Everything the child needs after fork is prepared here: from fork to exec it
    // may only call async-signal-safe functions, so no allocation.
    const tz::ProgramSearch search(argv[1], std::getenv("PATH"));
    std::string failure = "fghack: fatal: unable to run ";
    failure.append(argv[1]).append(": ");
    const size_t prefixLength = failure.size();
    failure.resize(prefixLength + 64);

    const pid_t pid = ::fork();
    if (pid == -1)
        diag.die(tz::exitTemporary, "unable to fork: ", tz::sys());
    if (pid == 0) {
        ::close(pipeFds[0]);
        // Extra copies, as 0.76 makes: a daemon that closes a few descriptors on
        // its way into the background still keeps one.
        for (int i = 0; i < 30; ++i)
            (void)::dup(pipeFds[1]);
        const int err = search.exec(argv + 1, environ);
        const char *reason = tz::reasonText(err);
        const size_t reasonLength = std::min(std::strlen(reason), failure.size() - prefixLength - 1);
        std::memcpy(failure.data() + prefixLength, reason, reasonLength);
        failure[prefixLength + reasonLength] = '\n';
        (void)!::write(2, failure.data(), prefixLength + reasonLength + 1);
        ::_exit(tz::exitTemporary);
    }

    ::close(pipeFds[1]);
    for (;;) {
        char byte;
        const ssize_t n = ::read(pipeFds[0], &byte, 1);
        if (n == 1 || (n == -1 && errno == EINTR))
            continue;
        break;
    }
    int status = 0;
    pid_t waited;
    do
        waited = ::waitpid(pid, &status, 0);
    while (waited == -1 && errno == EINTR);
    if (waited == -1)
        diag.die(tz::exitTemporary, "wait failed: ", tz::sys());
    if (!WIFEXITED(status))
        diag.die(tz::exitTemporary, "child crashed");
    return WEXITSTATUS(status);
}
