// SPDX-License-Identifier: MIT
// The backoff config parser, the doubling pause, and the backoff-state file.
#include "backoff.h"

#include "servicedir.h"
#include "smallfile.h"

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
    // One byte more than any valid file: a longer one is refused, not cut.
    constexpr std::size_t limit = 256;
    auto bytes = readSmallFile(serviceDirFd, paths::backoff, limit);
    if (!bytes) {
        if (bytes.error().err == ENOENT)
            return std::optional<BackoffConfig>();
        return bytes.error();
    }
    if (bytes->size() == limit)
        return failure("parse backoff", EINVAL);
    auto config = parseBackoffConfig(std::string_view(reinterpret_cast<const char *>(bytes->data()), bytes->size()));
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
    return replaceFile(serviceDirFd, paths::backoffStateNew, paths::backoffState, encodeBackoffState(s));
}

Done clearBackoffState(int serviceDirFd)
{
    if (::unlinkat(serviceDirFd, paths::backoffState, 0) < 0 && errno != ENOENT)
        return failure(std::string("unlink ") + paths::backoffState);
    return Ok{};
}

std::optional<BackoffState> readBackoffState(int serviceDirFd)
{
    const auto bytes = readSmallFile(serviceDirFd, paths::backoffState, backoffStateSize);
    if (!bytes)
        return std::nullopt;
    return decodeBackoffState(*bytes);
}

} // namespace tz
