// SPDX-License-Identifier: MIT
// Packing, unpacking and crash-safe rewriting of the exit records.
#include "exitrecord.h"

#include "servicedir.h"
#include "smallfile.h"

#include <cstring>
#include <limits>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tz {

namespace {

void putBig(unsigned char *out, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[i] = static_cast<unsigned char>(v >> (8 * (bytes - 1 - i)));
}

std::uint64_t getBig(const unsigned char *in, int bytes)
{
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | in[i];
    return v;
}

constexpr std::uint8_t flagStop = 1, flagCore = 2, flagAdopted = 4, flagOnce = 8;

bool validStamp(const Tai64n &t) { return t.nanoseconds < 1000000000u; }

} // namespace

std::uint64_t ExitRecord::ranMs() const
{
    if (ended < started)
        return 0;
    // The stamps come from a file: a damaged one can put them 2^63 seconds apart, so
    // the sum saturates instead of overflowing.
    const std::uint64_t secs = ended.seconds - started.seconds;
    constexpr std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
    if (secs > most / 1000 - 5)
        return most;
    const std::uint64_t ms = secs * 1000;
    const std::int64_t nanos = std::int64_t(ended.nanoseconds) - std::int64_t(started.nanoseconds);
    const auto delta = static_cast<std::uint64_t>((nanos < 0 ? -nanos : nanos) / 1000000);
    if (nanos >= 0)
        return ms + delta;
    return ms > delta ? ms - delta : 0;
}

void ExitLog::add(const ExitRecord &r)
{
    records.push_back(r);
    if (records.size() > exitsKept)
        records.erase(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(records.size() - exitsKept));
    ++total;
}

std::vector<unsigned char> encodeExitLog(const ExitLog &log)
{
    std::vector<unsigned char> out(exitsHeaderSize + log.records.size() * exitRecordSize, 0);
    std::memcpy(out.data(), exitsMagic, 4);
    out[4] = exitsVersion;
    out[5] = static_cast<unsigned char>(exitRecordSize);
    putBig(&out[6], log.records.size(), 2);
    putBig(&out[8], log.total, 8);
    unsigned char *p = out.data() + exitsHeaderSize;
    for (const ExitRecord &r : log.records) {
        packTai64n(r.started, p);
        packTai64n(r.ended, p + 12);
        putBig(p + 24, r.pid, 4);
        p[28] = static_cast<unsigned char>(r.kind);
        p[29] = r.code;
        p[30] = static_cast<unsigned char>((r.stopRequested ? flagStop : 0) | (r.coreDumped ? flagCore : 0)
                                           | (r.adopted ? flagAdopted : 0) | (r.once ? flagOnce : 0));
        p[31] = r.lastSignal;
        p += exitRecordSize;
    }
    return out;
}

ExitLog decodeExitLog(std::span<const unsigned char> bytes)
{
    ExitLog log;
    if (bytes.empty())
        return log;
    if (bytes.size() < exitsHeaderSize || std::memcmp(bytes.data(), exitsMagic, 4) != 0
        || bytes[4] != exitsVersion || bytes[5] < 32) {
        log.damaged = true;
        return log;
    }
    // A later version may grow the record: the size byte lets us step over what we
    // do not know.
    const std::size_t size = bytes[5];
    const std::size_t count = getBig(&bytes[6], 2);
    log.total = getBig(&bytes[8], 8);
    const std::size_t present = (bytes.size() - exitsHeaderSize) / size;
    if (present < count || (bytes.size() - exitsHeaderSize) % size != 0)
        log.damaged = true;
    for (std::size_t i = 0; i < count && i < present; ++i) {
        const unsigned char *p = bytes.data() + exitsHeaderSize + i * size;
        ExitRecord r;
        r.started = unpackTai64n(p);
        r.ended = unpackTai64n(p + 12);
        r.pid = static_cast<std::uint32_t>(getBig(p + 24, 4));
        r.code = p[29];
        r.stopRequested = p[30] & flagStop;
        r.coreDumped = p[30] & flagCore;
        r.adopted = p[30] & flagAdopted;
        r.once = p[30] & flagOnce;
        r.lastSignal = p[31];
        if (p[28] > static_cast<unsigned char>(ExitKind::Unknown) || !validStamp(r.started) || !validStamp(r.ended)) {
            log.damaged = true;
            continue;
        }
        r.kind = static_cast<ExitKind>(p[28]);
        log.records.push_back(r);
    }
    if (log.records.size() > exitsKept) {
        log.records.erase(log.records.begin(),
                          log.records.begin() + static_cast<std::ptrdiff_t>(log.records.size() - exitsKept));
    }
    if (log.total < log.records.size())
        log.total = log.records.size();
    return log;
}

Result<ExitLog> readExitLog(int serviceDirFd)
{
    // Bounded: a file larger than the biggest valid one is damaged anyway.
    auto bytes = readSmallFile(serviceDirFd, paths::exits, exitsHeaderSize + (exitsKept + 1) * 255);
    if (!bytes) {
        if (bytes.error().err == ENOENT)
            return ExitLog{};
        return bytes.error();
    }
    return decodeExitLog(*bytes);
}

Done writeExitLog(int serviceDirFd, const ExitLog &log)
{
    return replaceFile(serviceDirFd, paths::exitsNew, paths::exits, encodeExitLog(log));
}

void setWaitStatus(ExitRecord &r, int waitStatus)
{
    if (WIFSIGNALED(waitStatus)) {
        r.kind = ExitKind::Signalled;
        r.code = static_cast<std::uint8_t>(WTERMSIG(waitStatus));
        r.coreDumped = WCOREDUMP(waitStatus);
    } else {
        r.kind = ExitKind::Exited;
        r.code = static_cast<std::uint8_t>(WEXITSTATUS(waitStatus));
        r.coreDumped = false;
    }
}

} // namespace tz
