// SPDX-License-Identifier: MIT
// The backoff config parser, the doubling pause, and the backoff-state file.
#include "backoff.h"

#include "servicedir.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace tz {

namespace {

constexpr std::uint32_t longestSetting = 86400;
constexpr char stateMagic[4] = {'T', 'Z', 'B', 'O'};

std::optional<std::uint32_t> parseSeconds(std::string_view s)
{
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 1 || v > longestSetting)
        return std::nullopt;
    return v;
}

void putBig(unsigned char *out, std::uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[i] = static_cast<unsigned char>(v >> (8 * (bytes - 1 - i)));
}

std::uint32_t getBig(const unsigned char *in, int bytes)
{
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | in[i];
    return v;
}

} // namespace

Result<BackoffConfig> parseBackoffConfig(std::string_view text)
{
    BackoffConfig config;
    const auto invalid = [] { return failure("parse backoff", EINVAL); };
    const auto isBlank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    std::size_t i = 0;
    bool sawLineEnd = false;
    while (i < text.size()) {
        if (isBlank(text[i])) {
            if (text[i] == '\n')
                sawLineEnd = true;
            ++i;
            continue;
        }
        if (sawLineEnd)
            return invalid(); // one line only: a second line is a mistake, not ignored
        std::size_t j = i;
        while (j < text.size() && !isBlank(text[j]))
            ++j;
        const std::string_view word = text.substr(i, j - i);
        i = j;
        std::optional<std::uint32_t> value;
        if (word.starts_with("max=")) {
            value = parseSeconds(word.substr(4));
            if (value)
                config.maxSeconds = *value;
        } else if (word.starts_with("stable=")) {
            value = parseSeconds(word.substr(7));
            if (value)
                config.stableSeconds = *value;
        } else {
            value = parseSeconds(word);
            if (value)
                config.maxSeconds = *value;
        }
        if (!value)
            return invalid();
    }
    return config;
}

Result<std::optional<BackoffConfig>> readBackoffConfig(int serviceDirFd)
{
    const int fd = ::openat(serviceDirFd, paths::backoff, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return std::optional<BackoffConfig>();
        return failure(std::string("open ") + paths::backoff);
    }
    char buf[256];
    std::size_t got = 0;
    while (got < sizeof buf) {
        const ssize_t n = ::read(fd, buf + got, sizeof buf - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            return failure(std::string("read ") + paths::backoff, err);
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (got == sizeof buf)
        return failure("parse backoff", EINVAL);
    auto config = parseBackoffConfig(std::string_view(buf, got));
    if (!config)
        return config.error();
    return std::optional<BackoffConfig>(*config);
}

std::uint64_t Backoff::onDeath(std::uint64_t ranMs, const BackoffConfig &config)
{
    if (ranMs >= std::uint64_t{config.stableSeconds} * 1000) {
        reset();
        return 0;
    }
    if (m_quickDeaths < 0xffff)
        ++m_quickDeaths;
    const std::uint64_t cap = std::uint64_t{config.maxSeconds} * 1000;
    // 2^(n-1) seconds, computed without overflowing for long crash loops.
    std::uint64_t pause = 1000;
    for (std::uint32_t n = 1; n < m_quickDeaths && pause < cap; ++n)
        pause *= 2;
    m_pauseMs = std::min(pause, cap);
    return m_pauseMs;
}

std::array<unsigned char, backoffStateSize> encodeBackoffState(const BackoffState &s)
{
    std::array<unsigned char, backoffStateSize> out{};
    std::memcpy(out.data(), stateMagic, 4);
    out[4] = 1;
    out[5] = s.pending ? 1 : 0;
    putBig(&out[6], s.quickDeaths, 2);
    putBig(&out[8], s.pauseMs, 4);
    putBig(&out[12], s.maxSeconds, 4);
    if (s.pending)
        packTai64n(s.nextStart, &out[16]);
    return out;
}

std::optional<BackoffState> decodeBackoffState(std::span<const unsigned char> bytes)
{
    if (bytes.size() < backoffStateSize || std::memcmp(bytes.data(), stateMagic, 4) != 0 || bytes[4] != 1)
        return std::nullopt;
    BackoffState s;
    s.pending = bytes[5] & 1;
    s.quickDeaths = static_cast<std::uint16_t>(getBig(&bytes[6], 2));
    s.pauseMs = getBig(&bytes[8], 4);
    s.maxSeconds = getBig(&bytes[12], 4);
    if (s.pending)
        s.nextStart = unpackTai64n(&bytes[16]);
    return s;
}

Done writeBackoffState(int serviceDirFd, const BackoffState &s)
{
    const auto bytes = encodeBackoffState(s);
    const int fd = ::openat(serviceDirFd, paths::backoffStateNew, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC,
                            0644);
    if (fd < 0)
        return failure(std::string("open ") + paths::backoffStateNew);
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size()))
        return failure(std::string("write ") + paths::backoffStateNew, n < 0 ? err : ENOSPC);
    if (::renameat(serviceDirFd, paths::backoffStateNew, serviceDirFd, paths::backoffState) < 0)
        return failure(std::string("rename ") + paths::backoffStateNew + " to " + paths::backoffState);
    return Ok{};
}

Done clearBackoffState(int serviceDirFd)
{
    if (::unlinkat(serviceDirFd, paths::backoffState, 0) < 0 && errno != ENOENT)
        return failure(std::string("unlink ") + paths::backoffState);
    return Ok{};
}

std::optional<BackoffState> readBackoffState(int serviceDirFd)
{
    const int fd = ::openat(serviceDirFd, paths::backoffState, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    unsigned char buf[backoffStateSize];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ::close(fd);
    if (n != static_cast<ssize_t>(sizeof buf))
        return std::nullopt;
    return decodeBackoffState(buf);
}

} // namespace tz
