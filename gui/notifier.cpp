// SPDX-License-Identifier: MIT
// Notifier: Notify with actions and replaces_id; ActionInvoked mapped back to the service.
#include "notifier.h"

#include "detailspane.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QSystemTrayIcon>

namespace tz {

namespace {
const QString notifyService = QStringLiteral("org.freedesktop.Notifications");
const QString notifyPath = QStringLiteral("/org/freedesktop/Notifications");
const QString showLogKey = QStringLiteral("show-log");
const QString restartKey = QStringLiteral("restart");
const QString keepStoppedKey = QStringLiteral("keep-stopped");
} // namespace

Notifier::Notifier(const QDBusConnection &bus, QObject *parent) : QObject(parent), m_bus(bus)
{
    m_bus.connect(notifyService, notifyPath, notifyService, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvokedSlot(uint, QString)));
    m_bus.connect(notifyService, notifyPath, notifyService, QStringLiteral("NotificationClosed"), this,
                  SLOT(onClosedSlot(uint, uint)));
}

QString Notifier::summaryText(const QString &name, uint restarts)
{
    if (restarts >= 3)
        return tr("%1 keeps crashing").arg(name);
    return tr("%1 crashed").arg(name);
}

QString Notifier::bodyText(const ExitInfo &exit, uint restarts)
{
    // Whole sentences, so that each language puts its own stops and spaces.
    if (restarts < 2)
        //: %1 is how the service ended, such as "exited 3 after 2 s".
        return tr("%1.").arg(DetailsPane::exitText(exit));
    //: %1 is how the service ended, such as "exited 3 after 2 s".
    return tr("%1. It was restarted %n time(s) in the last minute.", nullptr, static_cast<int>(restarts))
        .arg(DetailsPane::exitText(exit));
}

void Notifier::crashed(const QString &name, const ExitInfo &exit, uint restarts)
{
    if (m_silenced)
        return;
    if (m_inFlight.contains(name)) {
        m_waiting.insert(name, {exit, restarts});
        return;
    }
    m_inFlight.insert(name);
    const QString summary = summaryText(name, restarts);
    const QString body = bodyText(exit, restarts);
    QDBusMessage call = QDBusMessage::createMethodCall(notifyService, notifyPath, notifyService, QStringLiteral("Notify"));
    const QStringList actions{showLogKey, tr("Show log"), restartKey, tr("Restart"), keepStoppedKey, tr("Keep stopped")};
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(restarts >= 3 ? 2 : 1)));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("tazuna"));
    hints.insert(QStringLiteral("category"), QStringLiteral("device.error"));
    call << QStringLiteral("Tazuna") << m_ids.value(name, 0u) << QStringLiteral("tazuna") << summary << body
         << actions << hints << qint32(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, name, summary, body] {
        watcher->deleteLater();
        m_inFlight.remove(name);
        QDBusPendingReply<uint> reply = *watcher;
        if (!reply.isError()) {
            m_ids.insert(name, reply.value());
            emit delivered(name, QStringLiteral("desktop"));
        } else if (m_tray && m_tray->isVisible()) {
            // No notification service on this desktop: the tray's own balloon still tells.
            m_balloonService = name;
            m_tray->showMessage(summary, body + QLatin1Char('\n') + tr("Click to show its log."), QSystemTrayIcon::Warning, 15000);
            emit delivered(name, QStringLiteral("tray"));
        }
        if (m_waiting.contains(name)) {
            const auto next = m_waiting.take(name);
            crashed(name, next.first, next.second);
        }
    });
}

void Notifier::setTray(QSystemTrayIcon *tray)
{
    m_tray = tray;
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (!m_balloonService.isEmpty())
            emit showLogRequested(m_balloonService);
    });
}

void Notifier::onActionInvoked(uint id, const QString &action)
{
    const QString name = m_ids.key(id);
    if (name.isEmpty())
        return;
    if (action == showLogKey)
        emit showLogRequested(name);
    else if (action == restartKey)
        emit restartRequested(name);
    else if (action == keepStoppedKey)
        emit keepStoppedRequested(name);
}

void Notifier::onClosed(uint id, uint)
{
    const QString name = m_ids.key(id);
    if (!name.isEmpty())
        m_ids.remove(name);
}

} // namespace tz
