// SPDX-License-Identifier: MIT
// What every helper test sets up: users, the bus, polkit with test rules, a scan directory and the helper.
#pragma once

#include "askingcall.h"
#include "dbusharness.h"
#include "errors.h"
#include "helper1proxy.h"
#include "testsupport.h"
#include "types.h"

#include <QDBusConnectionInterface>
#include <QDBusPendingReply>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <optional>

#include <sys/stat.h>

namespace tz::test {

// tzalice may do anything (a rule says yes), tzbob only the "-own" actions. tzcarol
// is a desktop user in an active session under the shipped policy: the "-own"
// actions without asking, the others after an administrator's password (which
// needs a call that allows interactive authorization and an authentication agent
// of hers to ask it). tzdave is in a session where the shipped policy asks at every
// call (auth_admin: an inactive or remote one), for his own services too. Anyone
// else: no.
inline const char *testRules = R"JS(
polkit.addRule(function(action, subject) {
    if (action.id.indexOf("org.tazuna.") != 0)
        return polkit.Result.NOT_HANDLED;
    if (subject.user == "tzalice")
        return polkit.Result.YES;
    if (subject.user == "tzbob" && /-own$/.test(action.id))
        return polkit.Result.YES;
    if (subject.user == "tzcarol")
        return /-own$/.test(action.id) ? polkit.Result.YES : polkit.Result.AUTH_ADMIN_KEEP;
    if (subject.user == "tzdave")
        return polkit.Result.AUTH_ADMIN;
    return polkit.Result.NO;
});
)JS";

struct HelperFixture {
    DbusHarness harness;
    QTemporaryDir scanParent;
    QString scanDir;
    TestUser alice;
    TestUser bob;
    TestUser carol;
    TestUser dave;
    std::unique_ptr<HelperProxy> root;
    std::unique_ptr<HelperProxy> asAlice;
    std::unique_ptr<HelperProxy> asBob;
    std::unique_ptr<HelperProxy> asCarol;

    // With fakePolkit the bus lets root own polkit's name and no polkitd starts:
    // the test provides the authority.
    bool start(bool fakePolkit = false, const QStringList &helperArgs = {})
    {
        tz::registerIpcTypes();
        alice = ensureUser(QStringLiteral("tzalice"));
        bob = ensureUser(QStringLiteral("tzbob"));
        carol = ensureUser(QStringLiteral("tzcarol"));
        dave = ensureUser(QStringLiteral("tzdave"));
        ::chmod(QFile::encodeName(scanParent.path()).constData(), 0755);
        scanDir = scanParent.filePath(QStringLiteral("service"));
        if (!harness.startBus(fakePolkit) || (!fakePolkit && !harness.startPolkit(QLatin1String(testRules)))
            || !harness.startHelper(scanDir, helperArgs))
            return false;
        root = proxyFor(0, 0, QStringLiteral("root"));
        asAlice = proxyFor(alice.uid, alice.gid, QStringLiteral("alice"));
        asBob = proxyFor(bob.uid, bob.gid, QStringLiteral("bob"));
        asCarol = proxyFor(carol.uid, carol.gid, QStringLiteral("carol"));
        return root->isValid() && asAlice->isValid() && asBob->isValid() && asCarol->isValid();
    }

    std::unique_ptr<HelperProxy> proxyFor(uid_t uid, gid_t gid, const QString &name)
    {
        QDBusConnection c = harness.connectAs(uid, gid, QStringLiteral("test-") + name);
        auto p = std::make_unique<HelperProxy>(QStringLiteral("org.tazuna.Helper1"), QStringLiteral("/org/tazuna/Helper1"), c);
        p->setTimeout(60000);
        return p;
    }

    ~HelperFixture()
    {
        // The helper first, or it would start svscan again once stopTree kills it.
        harness.killHelper(SIGTERM);
        DbusHarness::stopTree(scanDir);
    }

    QString path(const QString &relative) const { return scanDir + QLatin1Char('/') + relative; }

    std::optional<ServiceInfo> find(const QString &name)
    {
        QDBusPendingReply<ServiceInfoList> r = root->ListServices();
        r.waitForFinished();
        for (const ServiceInfo &s : r.value())
            if (s.name == name)
                return s;
        return std::nullopt;
    }

    bool waitState(const QString &name, const QString &state, int timeoutMs = 15000)
    {
        const bool reached = waitFor([&] {
            const auto s = find(name);
            return s && s->state == state && (state != QLatin1String("up") || s->pid != 0);
        }, timeoutMs);
        if (!reached)
            qWarning().noquote() << "not" << state << "in time:" << describe(name);
        return reached;
    }

    // What a failed wait needs to be understood: the helper's row, what svstat reads
    // in the directory itself, whether a down file is there, and the end of the
    // helper's output.
    QString describe(const QString &name)
    {
        QString out;
        if (const auto s = find(name))
            out = QStringLiteral("the helper says state=\"%1\" pid=%2 want=%3;").arg(s->state).arg(s->pid).arg(s->want);
        else
            out = QStringLiteral("the helper lists no %1;").arg(name);
        QProcess svstat;
        svstat.start(toolPath(QStringLiteral("svstat")), {path(name)});
        svstat.waitForFinished(5000);
        const QFileInfo down(path(name + QStringLiteral("/down")));
        out += QStringLiteral(" svstat says %1; %2; the helper wrote: %3")
                   .arg(QString::fromLocal8Bit(svstat.readAllStandardOutput()).trimmed(),
                        down.exists() ? QStringLiteral("down holds %1 bytes").arg(down.size()) : QStringLiteral("no down file"),
                        QString::fromLocal8Bit(harness.helperOutput().right(2000)));
        return out;
    }
};

// A spy on one of a proxy's D-Bus signals that hears every signal sent after it is
// made. Qt asks the bus for the signal (AddMatch) without waiting for an answer: a
// change made at once through a fifo or another connection could be signalled
// before the bus has the rule, and the spy would miss it. A call on the same
// connection is answered only after the bus has handled the rule.
class BusSpy : public QSignalSpy {
public:
    template <class Signal>
    BusSpy(const HelperProxy *proxy, Signal which) : QSignalSpy(proxy, which)
    {
        proxy->connection().interface()->isServiceRegistered(proxy->service());
    }
};

// Waits for a pending call and returns its error name ("" on success).
template <class... T>
QString errorOf(QDBusPendingReply<T...> reply)
{
    reply.waitForFinished();
    return reply.isError() ? reply.error().name() : QString();
}

// A string as a JSON string literal, quotes included.
inline QString jsonString(const QString &s)
{
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}

inline ParameterMap foreground(const QString &shellCode, const QString &user, bool log = true)
{
    return ParameterMap{{QStringLiteral("command"), QStringLiteral("/bin/sh")},
                        {QStringLiteral("arguments"), QStringLiteral("[\"-c\", %1]").arg(jsonString(shellCode))},
                        {QStringLiteral("user"), user},
                        {QStringLiteral("log"), log ? QStringLiteral("true") : QStringLiteral("false")}};
}

} // namespace tz::test
