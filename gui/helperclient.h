// SPDX-License-Identifier: MIT
// The app's only door to the system: the generated org.tazuna.Helper1 proxy, plus reconnection.
#pragma once

#include "types.h"

#include <QDBusConnection>
#include <QDBusError>
#include <QObject>

#include <functional>
#include <memory>

class HelperProxy;
class QDBusServiceWatcher;

namespace tz {

// What a call came back with: empty on success, otherwise the D-Bus error.
struct CallResult {
    QDBusError error;
    bool ok() const { return !error.isValid(); }
};

class HelperClient : public QObject {
    Q_OBJECT
public:
    // Talks to the helper on `bus` (the system bus in the app, a private one in tests).
    explicit HelperClient(const QDBusConnection &bus, QObject *parent = nullptr);
    ~HelperClient() override;

    // Why the helper cannot be reached, so the window can say what to do about it.
    enum class Presence {
        Unknown,      // not asked yet
        Connected,
        Lost,         // it answered before and went away (restarting, or stopped)
        NotInstalled, // the bus knows no such name and cannot start it
        NotRunning,   // the bus could start it, but it is not running
    };

    bool isConnected() const { return m_connected; }
    Presence presence() const { return m_presence; }
    // The helper's scan directory (its ScanDirectory property), known once connected.
    QString scanDirectory() const { return m_scanDirectory; }
    // Asks for the service list now; also happens by itself whenever the helper appears.
    void refresh();

    // What the user asks for (control, logging, remove, create, the log browser's list)
    // may bring up polkit's password dialog; what the window loads by itself (the
    // service list, details, a selected service's latest log lines) never does, and
    // gets errors::interactiveAuthorizationRequired where a password would be needed.
    using Done = std::function<void(const CallResult &)>;
    // One call per service, like svc with several directories; `done` gets the first refusal.
    void control(const QStringList &names, const QString &command, Done done);
    void setLogging(const QStringList &names, bool enabled, Done done);
    void remove(const QStringList &names, bool deleteLogs, Done done);
    void create(const QString &templateId, const QString &name, const ParameterMap &parameters, Done done);
    // The run and log/run texts Create would write ("" log/run when logging is off).
    void render(const QString &templateId, const QString &name, const ParameterMap &parameters,
                std::function<void(const CallResult &, const QString &run, const QString &logRun)> done);
    void details(const QString &name, std::function<void(const CallResult &, const ServiceDetails &)> done);
    void templates(std::function<void(const CallResult &, const TemplateInfoList &)> done);
    // Whether the user has just asked for a service's log (Ask::Yes: the log browser
    // opened, or its Reload), so that polkit may show its password dialog; Ask::No
    // for what the window loads by itself, such as following a rotation, which then
    // gets InteractiveAuthorizationRequired where a password would be needed.
    enum class Ask { No, Yes };
    void logFiles(const QString &name, Ask ask, std::function<void(const CallResult &, const LogFileInfoList &)> done);
    // The descriptor is the caller's to close (or to hand to a LogIndex).
    void openLog(const QString &name, const QString &file, std::function<void(const CallResult &, int fd)> done);
    // Lists a service's log directory and opens every file, oldest first and current last
    // in the list. The helper opens a bounded number of files a second for each caller,
    // so a long history is opened over several seconds, newest first. polkit is asked
    // once, for the list (see logFiles): the helper lets the files it listed be opened
    // on that answer.
    void openAllLogs(const QString &name, Ask ask, std::function<void(const CallResult &, QList<QPair<QString, int>>)> done);

signals:
    void connectedChanged(bool connected);
    void presenceChanged(tz::HelperClient::Presence presence);
    void scanDirectoryChanged(const QString &path);
    void servicesListed(const tz::ServiceInfoList &services);
    void serviceAdded(const tz::ServiceInfo &info);
    void serviceChanged(const tz::ServiceInfo &info);
    void serviceRemoved(const QString &name);
    void serviceCrashed(const QString &name, const tz::ExitInfo &exit, uint restartsLastMinute);

private:
    struct OpenAllJob;
    void openMoreLogs(const std::shared_ptr<OpenAllJob> &job);
    void setConnected(bool connected);
    void setPresence(Presence presence);
    // After a failed call: asks the bus whether it could start the helper at all.
    void diagnose();
    void readScanDirectory();
    void forEach(const QStringList &names, const std::function<QDBusPendingCall(const QString &)> &call, Done done);
    void watch(const QDBusPendingCall &call, std::function<void(const QDBusPendingCall &)> handler);

    QDBusConnection m_bus;
    HelperProxy *m_proxy;
    QDBusServiceWatcher *m_watcher;
    bool m_connected = false;
    bool m_everConnected = false;
    Presence m_presence = Presence::Unknown;
    QString m_scanDirectory;
};

} // namespace tz
