// SPDX-License-Identifier: MIT
// inotify on the scan directory and on each service's directory and supervise/: change notices without polling.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

class QSocketNotifier;

namespace tz {

// Reports which services may have changed; the helper re-reads them from the tree.
// supervise renames status and exits into place, so IN_MOVED_TO on supervise/ is
// the signal for a state change or a new exit record.
class TreeWatcher : public QObject {
    Q_OBJECT
public:
    explicit TreeWatcher(QString scanDir, QObject *parent = nullptr);
    ~TreeWatcher() override;

    bool open();
    // Starts (or refreshes) the watches of one service; harmless to repeat.
    void watchService(const QString &name);
    void forgetService(const QString &name);
    // Handles what inotify has queued now, at once: a call answered from what the
    // watcher keeps then sees every change made before it.
    void readPending() { readEvents(); }

Q_SIGNALS:
    void scanDirChanged();
    void serviceTouched(const QString &name);
    void exitsChanged(const QString &name);

private:
    enum class Kind { Service, Supervise };
    struct Watch {
        QString name;
        Kind kind;
    };
    void readEvents();
    void addWatch(const QString &name, Kind kind);

    QString m_scanDir;
    int m_fd = -1;
    int m_scanWd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<int, Watch> m_watches;
};

} // namespace tz
