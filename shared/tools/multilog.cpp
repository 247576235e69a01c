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
#include <condition_variable>
#include <cstdint>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

const tz::Diag diag("multilog");

// 0.76 sleeps this long before each retry.
constexpr int pauseSeconds = 5;
// One batch takes up to this much: large enough that a busy log costs few system
// calls; it is also what the journal holds (LogSource). 256 KiB rather than 64 took
// a busy log to ext4 12-25 % faster (252 vs 225, 287 vs 229 MB/s, 5 runs each; on
// tmpfs no change beyond the spread); 512 KiB rather than 256, with LogDir's buffer
// grown to hold a batch's output, 1034 against 953 MB/s (medians of 8 runs taking
// turns; 1 MiB: 1029). Where a directory has a processor, a batch
// stays 64 KiB: a directory that rotates through it twice within one batch can
// get that batch twice after a kill -9 (logsource.h), and 64 KiB keeps that out
// of reach of files of the default size (99999 bytes).
constexpr std::size_t readSize = 512 * 1024;
constexpr std::size_t readSizeWithProcessor = 64 * 1024;
// A deeper pipe lets a bursty writer run ahead instead of blocking on us.
constexpr int pipeSize = 1024 * 1024;

// What the taking thread hands the writing thread, in order: a batch of input, a
// rotation (ALRM) or the end.
struct Work {
    enum Kind { Input, Rotate, End } kind = End;
    const char *data = nullptr;
    std::size_t size = 0;
    tz::Tai64n stamp;
};

// A bounded queue between the two threads. Its depth is how far taking may run
// ahead of writing, and every batch in it is one more pending in the journal (at
// most tz::journalStamps). One batch taken while one is written keeps both cores
// busy: 2, 4 and 8 took the same 200 MB to tmpfs at 595, 601 and 568 MB/s
// (medians of 7), and each more costs a buffer.
class Handoff {
public:
    static constexpr std::size_t depth = 2;
    static_assert(depth < tz::journalStamps);

    // Taker: a buffer for the next batch, once fewer than depth are unwritten.
    char *freeBuffer()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_pushed - m_done < depth; });
        return m_buffers[m_pushed % depth];
    }
    void push(Work::Kind kind, std::size_t size = 0, const tz::Tai64n &stamp = {})
    {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_pushed - m_done < depth; });
            m_work[m_pushed % depth] = Work{kind, m_buffers[m_pushed % depth], size, stamp};
            ++m_pushed;
        }
        m_changed.notify_all();
    }
    // Taker: everything pushed is written.
    void waitDone()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_done == m_pushed; });
    }

    // Writer.
    bool empty()
    {
        const std::lock_guard lock(m_mutex);
        return m_taken == m_pushed;
    }
    // The next work; nullopt when wake() came first.
    std::optional<Work> next()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_taken < m_pushed || m_woken; });
        m_woken = false;
        if (m_taken == m_pushed)
            return std::nullopt;
        return m_work[m_taken++ % depth];
    }
    // Any thread: a writer waiting in next() returns from it (a rotation's file
    // has synced, Host::rotationSettled); one not waiting returns at once next time.
    void wake()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_woken = true;
        }
        m_changed.notify_all();
    }
    void done()
    {
        {
            const std::lock_guard lock(m_mutex);
            ++m_done;
        }
        m_changed.notify_all();
    }

private:
    alignas(4096) char m_buffers[depth][readSize];
    Work m_work[depth];
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_pushed = 0;
    std::size_t m_taken = 0;
    std::size_t m_done = 0;
    bool m_woken = false;
};

Handoff handoff;

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

    // A rotation's file has synced: whichever thread writes is woken to finish
    // it, the writer thread through the handoff, the taking thread (writing
    // inline) through settledFd in its poll(2).
    void rotationSettled() override
    {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t ignored = ::write(settledFd, &one, sizeof one);
        handoff.wake();
    }

    std::vector<tz::LogDir *> dirs;
    int settledFd = -1; // an eventfd
};

bool anyDir(const std::vector<tz::LogDir *> &dirs, bool (tz::LogDir::*test)() const)
{
    return std::any_of(dirs.begin(), dirs.end(), [&](const tz::LogDir *d) { return (d->*test)(); });
}

// The rotations whose background part is over are finished; one still waiting
// for the disk is left to Host::rotationSettled to announce.
void finishReadyRotations(const std::vector<tz::LogDir *> &dirs)
{
    for (tz::LogDir *d : dirs)
        if (d->rotationReady())
            d->finishSettled();
}

// One batch through the script, out to the directories and committed in the
// journal; then a processor that a rotation in it left waiting may run.
void writeBatch(tz::LogPipeline &log, tz::LogSource &source, const std::vector<tz::LogDir *> &dirs,
                std::string_view batch, const tz::Tai64n &stamp)
{
    log.consume(batch, stamp);
    log.flushOutputs();
    source.written(batch, stamp);
    // A processor runs only on a committed batch: a next logger must never
    // replay input that is in an archive already (LogDir::fullCurrent).
    for (tz::LogDir *d : dirs)
        if (d->processorPending())
            d->finishRotation();
}

// The writing: each batch through the script, out to the directories and
// committed in the journal; rotations in their place between batches. On a
// thread of its own it runs until the end; inline (no thread to be had) it does
// what is queued and returns.
void writeBatches(tz::LogPipeline &log, tz::LogSource &source, const std::vector<tz::LogDir *> &dirs, bool ownThread)
{
    for (;;) {
        if (handoff.empty()) {
            source.giveBack();
            if (!ownThread)
                return;
            // A rotated file that has synced is archived before we wait for
            // input that may not come soon. One still syncing wakes us when it
            // is done (Host::rotationSettled): waiting for it here instead
            // held a busy log to ext4 at 973 MB/s against 1123 (medians of 8
            // runs taking turns), as every batch that came meanwhile waited too.
            finishReadyRotations(dirs);
        }
        const std::optional<Work> next = handoff.next();
        if (!next)
            continue;
        const Work &work = *next;
        switch (work.kind) {
        case Work::Input:
            writeBatch(log, source, dirs, std::string_view(work.data, work.size), work.stamp);
            break;
        case Work::Rotate:
            log.rotateAll();
            source.commit();
            break;
        case Work::End:
            handoff.done();
            return;
        }
        handoff.done();
    }
}

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
    host.settledFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (host.settledFd < 0)
        diag.die(tz::exitTemporary, "unable to create event descriptor: ", tz::sys());
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
        std::size_t at = 0;
        for (const tz::LogReplayPart &part : replay->parts) {
            writeBatch(log, source, host.dirs, std::string_view(replay->data.data() + at, part.size), part.stamp);
            at += part.size;
        }
    } else {
        source.begin();
    }
    // Taking runs here, and writing on a thread of its own, so that both cores
    // work on a busy log. On tmpfs that took 200 MB at 567-601 MB/s instead of
    // 400-418 (medians of 7, the two binaries taking turns); on ext4, once
    // neither waited for a rotation's sync while input came
    // (finishReadyRotations), at 1106 instead of 1086 (medians of 12), and never
    // below 1075 where in line it fell to 1023. Where a process limit leaves no
    // room for a thread (softlimit -p counts threads too), or with no directory
    // to write to, it is done here after each take.
    std::thread writer;
    if (!host.dirs.empty()) {
        try {
            writer = std::thread(writeBatches, std::ref(log), std::ref(source), std::cref(host.dirs), true);
        } catch (const std::system_error &) {
        }
    }
    const bool writeInline = !writer.joinable();
    const auto handOver = [&](Work::Kind kind, std::size_t size = 0, const tz::Tai64n &stamp = {}) {
        handoff.push(kind, size, stamp);
        if (writeInline)
            writeBatches(log, source, host.dirs, false);
    };
    bool exitRequested = false;
    for (;;) {
        if (exitRequested) {
            handoff.waitDone();
            if (!log.midLine())
                break;
        }
        // Inline, a rotation whose file has synced is finished when no input is
        // ready; settledFd wakes the poll when a sync is over.
        const bool settle = writeInline && anyDir(host.dirs, &tz::LogDir::rotationReady);
        pollfd fds[3] = {{0, POLLIN, 0}, {signalFd, POLLIN, 0}, {writeInline ? host.settledFd : -1, POLLIN, 0}};
        const int ready = ::poll(fds, 3, settle ? 0 : -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ready == 0) {
            finishReadyRotations(host.dirs);
            continue;
        }
        if (fds[2].revents & POLLIN) {
            std::uint64_t count;
            [[maybe_unused]] const ssize_t drained = ::read(host.settledFd, &count, sizeof count);
            continue;
        }
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo info{};
            while (::read(signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
                if (info.ssi_signo == SIGTERM)
                    exitRequested = true;
                else if (info.ssi_signo == SIGALRM)
                    handOver(Work::Rotate);
            }
            continue;
        }
        if (!fds[0].revents)
            continue;
        // After TERM, a line already begun is finished byte by byte so that not
        // one byte of the next line is taken from the pipe.
        char *buffer = handoff.freeBuffer();
        const tz::Tai64n stamp = tz::Tai64n::now();
        const ssize_t n = source.take(buffer, exitRequested ? 1 : batchLimit, stamp);
        // Someone cut the lock short under us: the batch is gone from the
        // journal, and retrying cannot bring it back.
        if (n < 0 && source.cutShort())
            diag.die(tz::exitTemporary, "unable to read the input journal ", host.dirs.front()->path(),
                     "/lock: another process cut it short");
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        handOver(Work::Input, static_cast<std::size_t>(n), stamp);
    }
    handOver(Work::End);
    if (writer.joinable())
        writer.join();
    source.commit(); // before finish() may run a processor (a rotation still pending)
    log.finish();
    source.finish();
    ::_exit(0);
}
