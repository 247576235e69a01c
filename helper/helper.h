// SPDX-License-Identifier: MIT
// The object behind /org/tazuna/Helper1: validates, asks polkit, and acts on the service tree.
#pragma once

#include "config.h"
#include "loggrants.h"
#include "ratebound.h"
#include "servicetree.h"
#include "templates.h"
#include "types.h"

#include <QDBusContext>
#include <QDBusUnixFileDescriptor>
#include <QHash>
#include <QSet>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace tz {

class Authorizer;
class ScanLauncher;
class TreeWatcher;

class Helper : public QObject, protected QDBusContext {
    Q_OBJECT
    Q_PROPERTY(QString ScanDirectory READ scanDirectory)
    Q_PROPERTY(QString Version READ version)
public:
    explicit Helper(HelperConfig config, QObject *parent = nullptr);

    // Opens the tree, loads templates, adopts or starts svscan and starts watching.
    // Returns an empty string or the problem.
    QString start();
    QString scanDirectory() const { return m_tree.path(); }
    QString version() const;

public Q_SLOTS:
    ServiceInfoList ListServices();
    ServiceDetails GetService(const QString &name);
    TemplateInfoList ListTemplates();
    void Control(const QString &name, const QString &command);
    void Create(const QString &templateId, const QString &name, const tz::ParameterMap &parameters);
    QString Render(const QString &templateId, const QString &name, const tz::ParameterMap &parameters, QString &logRun);
    void Remove(const QString &name, bool deleteLogs);
    void SetLogging(const QString &name, bool enabled);
    LogFileInfoList ListLogs(const QString &name);
    QDBusUnixFileDescriptor OpenLog(const QString &name, const QString &file);

Q_SIGNALS:
    void ServiceAdded(const tz::ServiceInfo &info);
    void ServiceChanged(const tz::ServiceInfo &info);
    void ServiceRemoved(const QString &name);
    void ServiceCrashed(const QString &name, const tz::ExitInfo &exit, uint restartsLastMinute);

private:
    void refuse(const Refusal &r);
    // The checks every call about one existing service starts with (a well-formed
    // name, a directory in the tree) and, for a call that changes it, that no other
    // change is under way. Refuses the call and returns false when one fails.
    bool checkService(const QString &name, bool changes);
    // Create's checks before polkit (name, template, map size, name free); refuses the
    // call and returns nullptr when one fails.
    const Template *checkCreate(const QString &templateId, const QString &name, const ParameterMap &parameters);
    // LimitExceeded when uid (not root) owns the most services a user may.
    Check checkOwnerBound(uint uid) const;
    // Renders for the caller and checks what depends on who it is (the per-user bound).
    Outcome<Rendered> renderFor(const Template &t, const ParameterMap &parameters, uint uid) const;
    // What Render and Create share: Create's checks, a delayed reply, the scripts
    // rendered for the caller, polkit asked for action(rendered, uid), then allowed.
    void authorizeRendered(const QString &templateId, const QString &name, const ParameterMap &parameters,
                           std::function<const char *(const Rendered &, uint)> action,
                           std::function<void(const QDBusMessage &, const Rendered &, uint)> allowed);
    void replyError(const QDBusMessage &m, const Refusal &r);
    void replyOk(const QDBusMessage &m);
    // Whether the service belongs to uid (see ServiceMeta): created by it and run as it.
    bool ownedBy(const QString &name, uint uid) const;
    // Authorizes the current call for action (or ownAction when the caller owns the
    // service name) and then runs work with the delayed message and the caller's uid.
    void authorizeFor(const QString &name, const char *action, const char *ownAction,
                      std::function<void(const QDBusMessage &, uint callerUid)> work);
    // The identity of name's directory now; nullopt when it cannot be opened.
    std::optional<DirectoryId> serviceDirectory(const QString &name) const;
    // OpenLog's answer once the caller is allowed (by polkit, or by a grant for uid).
    void sendLog(const QDBusMessage &message, const QString &name, const QString &file, uint uid);

    void resync();
    void refreshService(const QString &name);
    // Keeps times as the service's, and refreshes it when its oldest crash of the
    // last minute leaves that minute, so that the count announced goes down again.
    void rememberTimes(const QString &name, const ServiceTimes &times);
    void checkExits(const QString &name);

    // Long operations that wait for supervise processes: they answer message at the end.
    void removeService(const QDBusMessage &message, const QString &name, bool deleteLogs);
    void stopForGood(std::shared_ptr<Fd> service, std::function<void(bool)> done);
    // after: the change that takeUpChange has just finished, whose want this one keeps.
    void loggingOn(const QDBusMessage &message, const QString &name, const std::optional<LoggingChange> &after = {});
    void loggingOff(const QDBusMessage &message, const QString &name, const std::optional<LoggingChange> &after = {});

    // How a logging change ends: nullopt when done.
    using Finished = std::function<void(Check)>;
    // Answers message, once name is no longer busy.
    Finished answer(const QDBusMessage &message, const QString &name);
    // Carry a logging change whose record is in the service directory to its end from
    // wherever it stands: the one path for a call and for a helper started after a
    // kill -9 (each step is done only when the tree says it is still to do).
    void finishLoggingOn(const QString &name, std::shared_ptr<Fd> service, const LoggingChange &change, Finished done);
    void finishLoggingOff(std::shared_ptr<Fd> fresh, const LoggingChange &change, Finished done);
    // SetLogging on a service with the record of an earlier change: that change is
    // carried to its end first (one that failed here, the old ./run outliving KILL,
    // or one of a helper that is gone), then the call is made anew; Busy while a
    // helper is still at it. False when there is no record.
    bool takeUpChange(const QDBusMessage &message, const QString &name, bool enabled);
    // At start-up, before the bus name is taken: finishes every logging change that a
    // killed helper left and removes its stages (see README.md).
    void recover();

    HelperConfig m_config;
    ServiceTree m_tree;
    QList<Template> m_templates;
    Authorizer *m_auth = nullptr;
    ScanLauncher *m_launcher = nullptr;
    TreeWatcher *m_watcher = nullptr;
    // What was last announced, to emit ServiceChanged only for real changes. A cache
    // of the tree, rebuilt from it at start-up: never a source of truth.
    QHash<QString, ServiceInfo> m_known;
    QHash<QString, ServiceTimes> m_times; // what brings a cached row's times up to date
    QHash<QString, qint64> m_crashAgingAt; // when a refresh for an ageing crash is due (Unix ms)
    QHash<QString, quint64> m_exitTotals;
    QSet<QString> m_busy; // services in the middle of a remove or logging change
    RateBound m_openLogBound; // per caller (bus name) and per user ("uid N")
    LogGrants m_logGrants;    // what allowed ListLogs calls let their callers open
};

} // namespace tz
