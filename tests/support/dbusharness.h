// SPDX-License-Identifier: MIT
// A private system bus with the project's policy, a real polkitd with test rules, and tazuna-helper on them.
#pragma once

#include "testsupport.h" // TestUser, ensureUser

#include <QByteArray>
#include <QDBusConnection>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

#include <sys/types.h>

namespace tz::test {

// Everything runs as children of the test and is stopped by the destructor. polkitd
// runs in a mount namespace of its own in which /usr/share/polkit-1/actions and
// /etc/polkit-1/rules.d are folders of this run, so that nothing system-wide is
// changed and concurrent tests on the same machine cannot disturb each other.
class DbusHarness {
public:
    DbusHarness();
    ~DbusHarness();
    DbusHarness(const DbusHarness &) = delete;
    DbusHarness &operator=(const DbusHarness &) = delete;

    // A dbus-daemon on RUNDIR/system_bus_socket with the stock system policy, the
    // stock polkit policy and the project's dbus/*.conf. With allowRootPolkitName,
    // root may own org.freedesktop.PolicyKit1 too, for a fake authority.
    bool startBus(bool allowRootPolkitName = false);
    // polkitd on that bus with the stock actions, the project's .policy and only
    // rulesJs as rules; returns once polkitd has loaded them.
    bool startPolkit(const QString &rulesJs);
    void stopPolkit();
    // tazuna-helper from TAZUNA_BIN over scanDir, with the tools and templates of
    // the build tree; returns once it owns org.tazuna.Helper1.
    bool startHelper(const QString &scanDir, const QStringList &extraArgs = {});
    // Sends sig to the helper and waits until it has gone.
    void killHelper(int sig);
    qint64 helperPid() const;
    QByteArray helperOutput();

    // Stops svscan, every supervise and what they run under scanDir: what a test
    // leaves behind after the helper, which on purpose leaves them running.
    static void stopTree(const QString &scanDir);

    QString address() const { return m_address; }
    QString runDir() const { return m_dir.path(); }
    // A connection to the private bus authenticated as uid/gid (0/0 for root): the
    // process switches its effective ids just while connecting, so the bus and
    // polkit see that user exactly as they would see a separate client.
    QDBusConnection connectAs(uid_t uid, gid_t gid, const QString &connectionName);
    bool waitForName(const QString &name, int timeoutMs = 10000);
    // Runs a command line as user with DBUS_SYSTEM_BUS_ADDRESS set (runuser).
    QByteArray runAs(const QString &user, const QStringList &command, int *exitCode = nullptr);

private:
    bool launchPolkit(const QString &rules, const QString &actions);
    QByteArray polkitWaitChannels() const;

    QTemporaryDir m_dir;
    QString m_address;
    std::unique_ptr<QProcess> m_bus;
    std::unique_ptr<QProcess> m_polkit;
    std::unique_ptr<QProcess> m_helper;
    QByteArray m_polkitLog;
    QStringList m_connections;
};

} // namespace tz::test
