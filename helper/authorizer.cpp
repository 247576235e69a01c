// SPDX-License-Identifier: MIT
// polkit CheckAuthorization through QtDBus: PolicyKit-qt has no Qt 6 build on Debian 12.
#include "authorizer.h"

#include "errors.h"

#include <QDBusArgument>
#include <QDBusMetaType>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>

namespace tz {

namespace {

// polkit's subject, (sa{sv}): the kind and its details.
struct PolkitSubject {
    QString kind;
    QVariantMap details;
};

QDBusArgument &operator<<(QDBusArgument &a, const PolkitSubject &s)
{
    a.beginStructure();
    a << s.kind << s.details;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, PolkitSubject &s)
{
    a.beginStructure();
    a >> s.kind >> s.details;
    a.endStructure();
    return a;
}

// CheckAuthorization's answer, (bba{ss}): authorized, challenge, details.
struct PolkitResult {
    bool authorized = false;
    bool challenge = false;
    QMap<QString, QString> details;
};

QDBusArgument &operator<<(QDBusArgument &a, const PolkitResult &r)
{
    a.beginStructure();
    a << r.authorized << r.challenge << r.details;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, PolkitResult &r)
{
    a.beginStructure();
    a >> r.authorized >> r.challenge >> r.details;
    a.endStructure();
    return a;
}

constexpr uint allowUserInteraction = 0x1;

} // namespace

} // namespace tz

Q_DECLARE_METATYPE(tz::PolkitSubject)
Q_DECLARE_METATYPE(tz::PolkitResult)

namespace tz {

Authorizer::Authorizer(QDBusConnection bus, uint maxPending, QObject *parent)
    : QObject(parent), m_bus(std::move(bus)), m_maxPending(maxPending)
{
    qDBusRegisterMetaType<PolkitSubject>();
    qDBusRegisterMetaType<PolkitResult>();
    qDBusRegisterMetaType<QMap<QString, QString>>();
}

void Authorizer::authorize(const QDBusMessage &message, ActionChooser chooseAction,
                           std::function<void(uint)> granted)
{
    const QString caller = message.service();
    if (m_maxPending && m_pendingByCaller.value(caller) >= m_maxPending) {
        refuse(message, errors::limitExceeded, QStringLiteral("too many calls waiting for authorization; try again later"));
        return;
    }
    ++m_pendingByCaller[caller];
    // The uid comes from the bus daemon, never from anything the caller sends.
    QDBusMessage ask = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
        QStringLiteral("org.freedesktop.DBus"), QStringLiteral("GetConnectionUnixUser"));
    ask << message.service();
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(ask), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, message, chooseAction = std::move(chooseAction), granted = std::move(granted)](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                QDBusPendingReply<uint> reply = *w;
                if (reply.isError()) {
                    settle(message.service(), 0);
                    refuse(message, errors::notAuthorized, QStringLiteral("the caller's user could not be determined"));
                    return;
                }
                const uint uid = reply.value();
                if (uid != 0 && m_maxPending && m_pendingByUser.value(uid) >= 4 * m_maxPending) {
                    settle(message.service(), 0);
                    refuse(message, errors::limitExceeded,
                           QStringLiteral("too many calls of this user waiting for authorization; try again later"));
                    return;
                }
                const QString action = chooseAction(uid);
                if (action.isEmpty()) {
                    settle(message.service(), 0);
                    return; // the chooser has replied with an error already
                }
                if (uid != 0)
                    ++m_pendingByUser[uid];
                check(message, action, uid, granted);
            });
}

void Authorizer::check(const QDBusMessage &message, const QString &action, uint uid,
                       std::function<void(uint)> granted)
{
    PolkitSubject subject{QStringLiteral("system-bus-name"),
                          {{QStringLiteral("name"), message.service()}}};
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.PolicyKit1"), QStringLiteral("/org/freedesktop/PolicyKit1/Authority"),
        QStringLiteral("org.freedesktop.PolicyKit1.Authority"), QStringLiteral("CheckAuthorization"));
    // A password dialog only where the caller allows one (the D-Bus header flag
    // ALLOW_INTERACTIVE_AUTHORIZATION): an app sets it for what its user has just
    // asked for, not for what it loads by itself, such as a selected row's log.
    const bool interactive = message.isInteractiveAuthorizationAllowed();
    call << QVariant::fromValue(subject) << action << QVariant::fromValue(QMap<QString, QString>{})
         << (interactive ? allowUserInteraction : 0u) << QString();
    // An authentication dialog may be open for a while: wait as long as polkit does.
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, 5 * 60 * 1000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, message, action, uid, interactive, granted = std::move(granted)](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                settle(message.service(), uid);
                QDBusPendingReply<PolkitResult> reply = *w;
                if (reply.isError()) {
                    refuse(message, errors::notAuthorized, QStringLiteral("polkit could not be asked (%1)").arg(reply.error().message()));
                    return;
                }
                const PolkitResult result = reply.value();
                if (!result.authorized) {
                    // polkit's detail for a user who closed the password dialog.
                    if (result.details.value(QStringLiteral("polkit.dismissed")) == QLatin1String("true"))
                        refuse(message, errors::cancelled, QStringLiteral("authentication for %1 was cancelled").arg(action));
                    else if (result.challenge && !interactive)
                        refuse(message, errors::interactiveAuthorizationRequired,
                               QStringLiteral("%1 needs authentication: call again with interactive authorization allowed").arg(action));
                    else
                        refuse(message, errors::notAuthorized, QStringLiteral("not authorized for %1").arg(action));
                    return;
                }
                granted(uid);
            });
}

void Authorizer::settle(const QString &caller, uint uid)
{
    if (auto it = m_pendingByCaller.find(caller); it != m_pendingByCaller.end() && --*it == 0)
        m_pendingByCaller.erase(it);
    if (uid == 0)
        return;
    if (auto it = m_pendingByUser.find(uid); it != m_pendingByUser.end() && --*it == 0)
        m_pendingByUser.erase(it);
}

void Authorizer::refuse(const QDBusMessage &message, const char *error, const QString &why)
{
    m_bus.send(message.createErrorReply(QLatin1String(error), why));
}

} // namespace tz
