// SPDX-License-Identifier: MIT
// A named D-Bus error with its English message: what every helper operation may answer instead.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace tz {

struct Refusal {
    const char *name; // one of tz::errors
    QString message;
};

// A value or the Refusal that prevented it.
template <class T>
class Outcome {
public:
    Outcome(T value) : m_v(std::move(value)) {}
    Outcome(Refusal r) : m_v(std::move(r)) {}
    bool ok() const { return m_v.index() == 0; }
    T &value() { return std::get<0>(m_v); }
    const T &value() const { return std::get<0>(m_v); }
    const Refusal &refusal() const { return std::get<1>(m_v); }

private:
    std::variant<T, Refusal> m_v;
};

using Check = std::optional<Refusal>; // nullopt: fine

} // namespace tz
