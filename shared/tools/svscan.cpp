// SPDX-License-Identifier: MIT
// svscan [dir]: starts and restarts one supervise per service directory, as daemontools 0.76 does.
//
// Which directories also get a logger (`supervise NAME/log` reading the service's
// stdout through a pipe svscan keeps open across restarts) is chosen by the
// environment, because svscan's argv must stay that of 0.76:
//
//   SVSCAN_LOGRULE unset or "sticky"  the sticky bit is set on NAME and NAME/log is
//                                     a directory (the rule of the daemontools FAQ)
//   SVSCAN_LOGRULE=0.76               NAME/log is a directory (0.76's rule, for trees
//                                     migrated from it)
//
// A directory that leaves the scan directory is no longer restarted; its supervise
// keeps running until it exits on its own (svc -dx), as in 0.76. Beyond 0.76: no
// limit on the number of services, and new directories start at once (inotify),
// with the 5-second rescan kept as the fallback.
//
// svscan holds an exclusive flock on its scan directory while it runs (it writes
// nothing in the tree, and the lock ends with the process), so that whoever starts
// one can tell that another already scans the tree. A svscan that cannot have the
// lock goes on as 0.76 would, unless SVSCAN_LOCK=exclusive: then it exits 111 before
// its first scan, and two of them never run over the same tree.
#include "diag.h"
#include "scanner.h"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const tz::Diag diag("svscan");

    if (argc > 1 && argv[1] && ::chdir(argv[1]) < 0)
        diag.die(tz::exitTemporary, "unable to chdir to ", argv[1], ": ", tz::sys());

    // Close-on-exec: the lock is svscan's alone, never a supervise's that outlives it.
    const int lock = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock < 0 || ::flock(lock, LOCK_EX | LOCK_NB) != 0) {
        const char *mode = std::getenv("SVSCAN_LOCK");
        if (mode && std::strcmp(mode, "exclusive") == 0)
            diag.die(tz::exitTemporary, "unable to lock ", argc > 1 && argv[1] ? argv[1] : ".", ": ", tz::sys());
    }

    tz::ScannerOptions options;
    options.reapAll = true;
    const char *rule = std::getenv(tz::logRuleVariable);
    if (const auto parsed = tz::parseLogRule(rule ? rule : "")) {
        options.logRule = *parsed;
    } else {
        diag.warn("unknown ", tz::logRuleVariable, " value ", rule, ", using sticky");
    }

    // Each logged service holds two pipe ends for as long as svscan runs: thousands
    // of services need more than the usual soft limit of 1024 descriptors.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    // An ignored SIGCHLD (inherited from whoever started us) would reap our children
    // behind our back, and we would never learn that a supervise needs restarting.
    std::signal(SIGCHLD, SIG_DFL);

    tz::ScannerCallbacks callbacks;
    callbacks.warning = [&diag](const tz::Failure &f) { diag.warn("unable to ", f); };
    tz::Scanner scanner(options, callbacks);
    if (const tz::Done opened = scanner.open("."); !opened)
        diag.die(tz::exitTemporary, "unable to ", opened.error());
    const tz::Done ran = scanner.run();
    diag.die(tz::exitTemporary, "unable to ", ran.error());
}
