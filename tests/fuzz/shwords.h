// SPDX-License-Identifier: MIT
// A strict reader of the shell words the helper renders: bare safe bytes, '…' and \' only, so any unquoted metacharacter is caught.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tz::fuzz {

inline bool safeBare(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || std::string_view("_./=:@%+,-").find(c) != std::string_view::npos;
}

// Reads words from pos up to an unquoted newline (consumed) or the end. nullopt when
// anything but safe bare bytes, single-quoted text and \' appears outside quotes:
// such a byte would be shell syntax, not data. An unquoted stopAt byte ends the words
// there (pos left on it), for lines that go on with fixed syntax such as "|| exit".
inline std::optional<std::vector<std::string>> shellWords(std::string_view text, std::size_t &pos, char stopAt = '\n')
{
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == '\n') {
            ++pos;
            break;
        }
        if (c == ' ') {
            if (inWord)
                words.push_back(word);
            word.clear();
            inWord = false;
            ++pos;
        } else if (c == '\'') {
            const std::size_t end = text.find('\'', pos + 1);
            if (end == std::string_view::npos)
                return std::nullopt;
            word.append(text.substr(pos + 1, end - pos - 1));
            inWord = true;
            pos = end + 1;
        } else if (c == '\\' && pos + 1 < text.size() && text[pos + 1] == '\'') {
            word += '\'';
            inWord = true;
            pos += 2;
        } else if (safeBare(c)) {
            word += c;
            inWord = true;
            ++pos;
        } else if (c == stopAt) {
            break;
        } else {
            return std::nullopt;
        }
    }
    if (inWord)
        words.push_back(word);
    return words;
}

} // namespace tz::fuzz
