// SPDX-License-Identifier: MIT
// Turning inotify events under the scan directory into per-service change notices.
#include "treewatcher.h"

#include <QFile>
#include <QSocketNotifier>
#include <QTimer>

#include <sys/inotify.h>
#include <unistd.h>

namespace tz {

TreeWatcher::TreeWatcher(QString scanDir, QObject *parent) : QObject(parent), m_scanDir(std::move(scanDir)) {}

TreeWatcher::~TreeWatcher()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool TreeWatcher::open()
{
    m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_fd < 0)
        return false;
    m_scanWd = ::inotify_add_watch(m_fd, QFile::encodeName(m_scanDir).constData(),
                                   IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR);
    if (m_scanWd < 0)
        return false;
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TreeWatcher::readEvents);
    return true;
}

void TreeWatcher::addWatch(const QString &name, Kind kind)
{
    QString path = m_scanDir + QLatin1Char('/') + name;
    uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR;
    if (kind == Kind::Supervise) {
        path += QStringLiteral("/supervise");
        // Closing supervise/lock is supervise exiting: no file changes then. Other
        // closes are ignored below, or the helper's own reads would wake it up.
        mask = IN_MOVED_TO | IN_CREATE | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_ONLYDIR;
    }
    const int wd = ::inotify_add_watch(m_fd, QFile::encodeName(path).constData(), mask);
    if (wd >= 0)
        m_watches.insert(wd, Watch{name, kind});
}

void TreeWatcher::watchService(const QString &name)
{
    addWatch(name, Kind::Service);
    addWatch(name, Kind::Supervise);
}

void TreeWatcher::forgetService(const QString &name)
{
    for (auto it = m_watches.begin(); it != m_watches.end();) {
        if (it->name == name) {
            ::inotify_rm_watch(m_fd, it.key());
            it = m_watches.erase(it);
        } else {
            ++it;
        }
    }
}

void TreeWatcher::readEvents()
{
    alignas(inotify_event) char buf[8192];
    bool scanChanged = false;
    QSet<QString> touched;
    QSet<QString> exits;
    for (;;) {
        const ssize_t n = ::read(m_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            const auto *e = reinterpret_cast<const inotify_event *>(buf + off);
            off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
            const QString child = e->len ? QFile::decodeName(e->name) : QString();
            if (e->mask & IN_Q_OVERFLOW) {
                // Events were lost: look at everything again.
                scanChanged = true;
                for (const Watch &w : std::as_const(m_watches)) {
                    touched.insert(w.name);
                    exits.insert(w.name);
                }
                continue;
            }
            if (e->wd == m_scanWd) {
                if (!child.startsWith(QLatin1Char('.')))
                    scanChanged = true;
                continue;
            }
            const auto it = m_watches.constFind(e->wd);
            if (it == m_watches.cend())
                continue;
            if (e->mask & IN_IGNORED) {
                m_watches.remove(e->wd);
                continue;
            }
            if (it->kind == Kind::Service) {
                // A copy: addWatch may grow m_watches, which leaves it dangling.
                const QString name = it->name;
                // A new supervise/ (first start) needs its own watch.
                if (child == QLatin1String("supervise") && (e->mask & (IN_CREATE | IN_MOVED_TO)))
                    addWatch(name, Kind::Supervise);
                touched.insert(name);
            } else if (e->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) {
                if (child == QLatin1String("lock")) {
                    touched.insert(it->name);
                    // An exiting process closes its descriptors one by one: the ok
                    // fifo may still be open now, so that supervise still answers.
                    QTimer::singleShot(50, this, [this, name = it->name] { Q_EMIT serviceTouched(name); });
                }
            } else if (child == QLatin1String("exits")) {
                exits.insert(it->name);
                touched.insert(it->name);
            } else if (child == QLatin1String("status") || child == QLatin1String("backoff-state")) {
                touched.insert(it->name);
            }
        }
    }
    if (scanChanged)
        Q_EMIT scanDirChanged();
    for (const QString &name : exits)
        Q_EMIT exitsChanged(name);
    for (const QString &name : touched)
        Q_EMIT serviceTouched(name);
}

} // namespace tz
