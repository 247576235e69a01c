// SPDX-License-Identifier: MIT
// multilog: reads a log from stdin and files it into rotated log directories, as daemontools 0.76.
#include "diag.h"
#include "logdir.h"
#include "loghost.h"
#include "logpipeline.h"
#include "logscript.h"
#include "logsource.h"
#include "tai64n.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <optional>
#include <unistd.h>
#include <vector>

namespace {

const tz::Diag diag("multilog");

// 0.76 sleeps this long before each retry.
constexpr int pauseSeconds = 5;
// One batch takes up to this much: large enough that a busy log costs few system
// calls; it is also what the journal holds (LogSource). 256 KiB rather than 64 took
// a busy log to ext4 12-25 % faster (252 vs 225, 287 vs 229 MB/s, 5 runs each; on
// tmpfs no change beyond the spread). Where a directory has a processor, a batch
// stays 64 KiB: a directory that rotates through it twice within one batch can
// get that batch twice after a kill -9 (logsource.h), and 64 KiB keeps that out
// of reach of files of the default size (99999 bytes).
constexpr std::size_t readSize = 256 * 1024;
constexpr std::size_t readSizeWithProcessor = 64 * 1024;
// A deeper pipe lets a bursty writer run ahead instead of blocking on us.
constexpr int pipeSize = 1024 * 1024;

class Host : public tz::LogHost {
public:
    void pause(const std::string &message, std::optional<int> err) override
    {
        if (err)
            diag.warn(message, ": ", tz::sys(*err));
        else
            diag.warn(message);
        timespec left{pauseSeconds, 0};
        while (::nanosleep(&left, &left) < 0 && errno == EINTR) {
        }
    }

    std::string processorFailurePrefix(std::string_view processor) const override
    {
        std::string s = "multilog: fatal: unable to run ";
        s.append(processor).append(": ");
        return s;
    }

    void alert(std::string_view lines) override
    {
        (void)tz::writeAll(2, lines); // 0.76 ignores a failing stderr too
    }

    void opened(tz::LogDir &dir) override { dirs.push_back(&dir); }

    std::vector<tz::LogDir *> dirs;
};

char input[readSize];

} // namespace

int main(int argc, char **argv)
{
    ::umask(022);
    const int startDir = ::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (startDir < 0)
        diag.die(tz::exitTemporary, "unable to switch to current directory: ", tz::sys());

    // TERM and ALRM arrive as readable bytes on a signalfd, next to stdin.
    sigset_t signals;
    ::sigemptyset(&signals);
    ::sigaddset(&signals, SIGTERM);
    ::sigaddset(&signals, SIGALRM);
    ::sigprocmask(SIG_BLOCK, &signals, nullptr);
    const int signalFd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signalFd < 0)
        diag.die(tz::exitTemporary, "unable to create signal descriptor: ", tz::sys());

    // Only grows a pipe (EBADF/ENOTSUP/EPERM elsewhere are fine to ignore).
    if (::fcntl(0, F_GETPIPE_SZ) > 0 && ::fcntl(0, F_GETPIPE_SZ) < pipeSize)
        ::fcntl(0, F_SETPIPE_SZ, pipeSize);

    std::vector<std::string_view> args(argv + 1, argv + argc);
    Host host;
    tz::LogScript script = tz::parseLogScript(args);
    const std::size_t batchLimit =
        std::any_of(script.dirs.begin(), script.dirs.end(), [](const tz::LogDirConfig &d) { return d.processor.has_value(); })
            ? readSizeWithProcessor
            : readSize;
    // What a killed logger had taken from the pipe but perhaps not written: its
    // directories are cut back to where that batch began, and it is done again.
    auto recovered = tz::recoverJournal(startDir, script.dirs);
    if (!recovered)
        diag.die(tz::exitTemporary, "unable to ", recovered.error());
    const std::optional<tz::LogReplay> replay = std::move(*recovered);
    auto pipeline = tz::LogPipeline::open(std::move(script), startDir, host);
    if (!pipeline)
        diag.die(tz::exitTemporary, "unable to ", pipeline.error());
    tz::LogPipeline &log = **pipeline;

    tz::LogSource source(0, host.dirs, host);
    if (replay) {
        source.replay(*replay);
        if (!replay->tail.empty())
            log.resume(replay->tail, replay->tailStamp, replay->longLine);
        log.consume(replay->data, replay->stamp);
    }
    bool exitRequested = false;
    for (;;) {
        log.flushOutputs();
        if (exitRequested && !log.midLine())
            break;
        // A processor runs only on a committed batch: a next logger must never
        // replay input that is in an archive already (LogDir::fullCurrent).
        if (std::any_of(host.dirs.begin(), host.dirs.end(), [](const tz::LogDir *d) { return d->processorPending(); })) {
            source.commit();
            for (tz::LogDir *d : host.dirs)
                d->finishRotation();
        }
        // A rotated file still syncing in the background is archived before we
        // wait for input that may not come soon.
        const bool pending = std::any_of(host.dirs.begin(), host.dirs.end(), [](const tz::LogDir *d) { return d->rotationPending(); });
        pollfd fds[2] = {{0, POLLIN, 0}, {signalFd, POLLIN, 0}};
        const int ready = ::poll(fds, 2, pending ? 0 : -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ready == 0) {
            for (tz::LogDir *d : host.dirs)
                d->finishRotation();
            continue;
        }
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo info{};
            while (::read(signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
                if (info.ssi_signo == SIGTERM)
                    exitRequested = true;
                else if (info.ssi_signo == SIGALRM)
                    log.rotateAll();
            }
            continue;
        }
        if (!fds[0].revents)
            continue;
        // After TERM, a line already begun is finished byte by byte so that not
        // one byte of the next line is taken from the pipe.
        const tz::Tai64n stamp = tz::Tai64n::now();
        const ssize_t n = source.fill(input, exitRequested ? 1 : batchLimit, stamp);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        log.consume(std::string_view(input, static_cast<std::size_t>(n)), stamp);
    }
    source.commit(); // before finish() may run a processor (a rotation still pending)
    log.finish();
    source.finish();
    ::_exit(0);
}
