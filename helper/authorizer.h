// SPDX-License-Identifier: MIT
// Asks polkit, over its D-Bus API and without blocking, whether the caller of a method may go on.
#pragma once

#include <QDBusConnection>
#include <QDBusMessage>
#include <QHash>
#include <QObject>

#include <functional>

namespace tz {

class Authorizer : public QObject {
    Q_OBJECT
public:
    // At most maxPending checks under way for one caller (bus name) and 4 times as
    // many for one non-root user; 0 = no bound. A call beyond gets LimitExceeded at
    // once, so that one flooding client never delays the others' checks.
    explicit Authorizer(QDBusConnection bus, uint maxPending = 0, QObject *parent = nullptr);

    // Chooses the action from the caller's uid (so that "own service" can be told
    // from "someone else's"), then checks it with polkit for the caller's unique bus
    // name. Calls granted() only when polkit says yes; otherwise replies to message
    // with NotAuthorized itself. The caller must have called setDelayedReply(true).
    using ActionChooser = std::function<QString(uint callerUid)>;
    void authorize(const QDBusMessage &message, ActionChooser chooseAction,
                   std::function<void(uint callerUid)> granted);

private:
    void check(const QDBusMessage &message, const QString &action, uint uid,
               std::function<void(uint callerUid)> granted);
    // Answers message with the named error (errors::) and why, in English.
    void refuse(const QDBusMessage &message, const char *error, const QString &why);
    void settle(const QString &caller, uint uid);

    QDBusConnection m_bus;
    uint m_maxPending = 0;
    QHash<QString, uint> m_pendingByCaller;
    QHash<uint, uint> m_pendingByUser;
};

} // namespace tz
