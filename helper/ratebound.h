// SPDX-License-Identifier: MIT
// A per-key bound on how many calls may come within one second, so that one client cannot crowd out the rest.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QString>

namespace tz {

// Fixed one-second windows per key: simple, and a flood is cut off within a second
// while a client that stays under the bound never notices it.
class RateBound {
public:
    explicit RateBound(uint perSecond) : m_max(perSecond) { m_clock.start(); }

    // Whether one more call of key fits; counts it when it does. 0 = no bound.
    bool take(const QString &key)
    {
        if (m_max == 0)
            return true;
        const qint64 now = m_clock.elapsed();
        if (m_windows.size() > 4096) {
            // Callers come and go: drop the windows that are over.
            for (auto it = m_windows.begin(); it != m_windows.end();)
                it = now - it->start >= 1000 ? m_windows.erase(it) : std::next(it);
        }
        Window &w = m_windows[key];
        if (now - w.start >= 1000) {
            w.start = now;
            w.count = 0;
        }
        if (w.count >= m_max)
            return false;
        ++w.count;
        return true;
    }

private:
    struct Window {
        qint64 start = -1000;
        uint count = 0;
    };
    uint m_max;
    QElapsedTimer m_clock;
    QHash<QString, Window> m_windows;
};

} // namespace tz
