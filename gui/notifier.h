// SPDX-License-Identifier: MIT
// Crash notifications through org.freedesktop.Notifications, with a tray balloon as fallback.
#pragma once

#include "types.h"

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QPair>
#include <QSet>

class QSystemTrayIcon;

namespace tz {

class Notifier : public QObject {
    Q_OBJECT
public:
    // `bus` is the session bus in the app, a private one in tests.
    explicit Notifier(const QDBusConnection &bus, QObject *parent = nullptr);

    void setTray(QSystemTrayIcon *tray);
    void setSilenced(bool silenced) { m_silenced = silenced; }
    bool silenced() const { return m_silenced; }

    // One notification per service: a crash loop updates it instead of piling up.
    void crashed(const QString &name, const ExitInfo &exit, uint restartsLastMinute);
    static QString summaryText(const QString &name, uint restartsLastMinute);
    static QString bodyText(const ExitInfo &exit, uint restartsLastMinute);

signals:
    void showLogRequested(const QString &name);
    void restartRequested(const QString &name);
    void keepStoppedRequested(const QString &name);
    // Which path the last notification took: "desktop" or "tray" (for tests and the log).
    void delivered(const QString &name, const QString &how);

private slots:
    // The string-based connect of QDBusConnection needs slots for signals of foreign interfaces.
    void onActionInvokedSlot(uint id, const QString &action) { onActionInvoked(id, action); }
    void onClosedSlot(uint id, uint reason) { onClosed(id, reason); }

private:
    void onActionInvoked(uint id, const QString &action);
    void onClosed(uint id, uint reason);

    QDBusConnection m_bus;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_silenced = false;
    QHash<QString, uint> m_ids; // service → notification id still on screen
    // A crash that comes while the service's Notify call is unanswered waits for its id,
    // so a fast crash loop still updates one notification.
    QHash<QString, QPair<ExitInfo, uint>> m_waiting;
    QSet<QString> m_inFlight;
    QString m_balloonService;
};

} // namespace tz
