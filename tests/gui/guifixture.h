// SPDX-License-Identifier: MIT
// The app against the real helper: the helper tests' fixture plus a private session bus with a
// notification service that records what the app asks it to show.
#pragma once

#include "app.h"
#include "helpertestbase.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QProcess>
#include <QVariantMap>

namespace tz::test {

// Stands in for the desktop's org.freedesktop.Notifications; the app uses it exactly as it
// would use the real one.
class FakeNotifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Request {
        uint replaces;
        uint id;
        QString summary;
        QString body;
        QStringList actions;
    };
    QList<Request> requests;
    QDBusConnection bus{QString()};

public slots:
    uint Notify(const QString &, uint replacesId, const QString &, const QString &summary, const QString &body,
                const QStringList &actions, const QVariantMap &, int)
    {
        const uint id = replacesId ? replacesId : ++m_next;
        requests.append({replacesId, id, summary, body, actions});
        return id;
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
    void CloseNotification(uint) {}

public:
    void invoke(uint id, const QString &action)
    {
        QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                                                         QStringLiteral("org.freedesktop.Notifications"),
                                                         QStringLiteral("ActionInvoked"));
        signal << id << action;
        bus.send(signal);
    }

private:
    uint m_next = 0;
};

struct SessionBus {
    QProcess daemon;
    QString address;
    bool start()
    {
        daemon.setProgram(QStringLiteral("dbus-daemon"));
        daemon.setArguments({QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        daemon.start();
        if (!daemon.waitForStarted(5000))
            return false;
        if (!waitFor([&] { return daemon.canReadLine(); }, 5000))
            return false;
        address = QString::fromUtf8(daemon.readLine()).trimmed();
        return !address.isEmpty();
    }
    ~SessionBus()
    {
        daemon.terminate();
        daemon.waitForFinished(3000);
    }
};

} // namespace tz::test
