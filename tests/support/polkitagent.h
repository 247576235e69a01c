// SPDX-License-Identifier: MIT
// A polkit authentication agent for this test process that dismisses every dialog, as a user who presses Cancel.
#pragma once

#include <QDBusConnection>
#include <QDBusVirtualObject>
#include <QStringList>

namespace tz::test {

// polkitd asks the agent registered for a caller's process whenever that caller must
// authenticate (BeginAuthentication); this one answers each request with polkit's
// Cancelled error, which polkitd reports to the mechanism as "polkit.dismissed".
// Calls to it arrive through the event loop: a test waits for the call that needs
// it with the loop running (QTRY_*), not with a blocking waitForFinished().
class DismissingAgent : public QDBusVirtualObject {
public:
    DismissingAgent() = default;
    ~DismissingAgent() override; // unregisters: a failed test must not leave it exported
    DismissingAgent(const DismissingAgent &) = delete;
    DismissingAgent &operator=(const DismissingAgent &) = delete;

    // Registers, on bus (a connection as root), for every connection this process
    // makes: polkit finds an agent for a bus name through the name's process.
    bool registerFor(QDBusConnection bus, QString *error);
    void unregister();
    // The actions of the dialogs dismissed so far, in order.
    QStringList dismissedActions() const { return m_dismissed; }

    bool handleMessage(const QDBusMessage &message, const QDBusConnection &connection) override;
    QString introspect(const QString &path) const override;

private:
    QDBusConnection m_bus{QString()};
    bool m_registered = false;
    QStringList m_dismissed;
};

} // namespace tz::test
