// SPDX-License-Identifier: MIT
// The test polkit agent: RegisterAuthenticationAgent for this process; each BeginAuthentication cancelled or authenticated.
// The engine's header before any Qt one: its diagnostics' emit() would meet Qt's emit macro.
#include "supervisor.h"

#include "polkitagent.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusReply>

#include <utility>

#include <unistd.h>

namespace tz::test {

namespace {

const QString agentPath = QStringLiteral("/org/tazuna/test/Agent");
const QString agentInterface = QStringLiteral("org.freedesktop.PolicyKit1.AuthenticationAgent");

QDBusMessage authorityCall(const QString &method)
{
    return QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.PolicyKit1"), QStringLiteral("/org/freedesktop/PolicyKit1/Authority"),
                                          QStringLiteral("org.freedesktop.PolicyKit1.Authority"), method);
}

// polkit's unix-process subject for this process, (sa{sv}): polkit tells processes
// apart by pid and start time, in clock ticks since boot as supervise records it.
QVariant thisProcess()
{
    const auto facts = tz::processFacts(::getpid());
    QDBusArgument subject;
    subject.beginStructure();
    subject << QStringLiteral("unix-process")
            << QVariantMap{{QStringLiteral("pid"), QVariant::fromValue(quint32(::getpid()))},
                           {QStringLiteral("start-time"), QVariant::fromValue(quint64(facts ? facts->startTicks : 0))}};
    subject.endStructure();
    return QVariant::fromValue(subject);
}

} // namespace

TestAgent::~TestAgent()
{
    unregister();
}

bool TestAgent::registerFor(QDBusConnection bus, QString *error)
{
    m_bus = bus;
    if (!m_bus.registerVirtualObject(agentPath, this)) {
        *error = QStringLiteral("cannot export the agent: ") + m_bus.lastError().message();
        return false;
    }
    QDBusMessage call = authorityCall(QStringLiteral("RegisterAuthenticationAgent"));
    call << thisProcess() << QStringLiteral("en_US.UTF-8") << agentPath;
    const QDBusMessage reply = m_bus.call(call);
    if (reply.type() == QDBusMessage::ErrorMessage) {
        *error = reply.errorName() + QStringLiteral(": ") + reply.errorMessage();
        m_bus.unregisterObject(agentPath);
        return false;
    }
    m_registered = true;
    return true;
}

void TestAgent::unregister()
{
    if (!std::exchange(m_registered, false))
        return;
    QDBusMessage call = authorityCall(QStringLiteral("UnregisterAuthenticationAgent"));
    call << thisProcess() << agentPath;
    m_bus.call(call);
    m_bus.unregisterObject(agentPath);
}

bool TestAgent::handleMessage(const QDBusMessage &message, const QDBusConnection &connection)
{
    if (message.interface() != agentInterface)
        return false;
    if (message.member() == QLatin1String("BeginAuthentication")) {
        m_asked << message.arguments().value(0).toString();
        if (m_answer == Answer::Dismiss) {
            connection.send(message.createErrorReply(QStringLiteral("org.freedesktop.PolicyKit1.Error.Cancelled"),
                                                     QStringLiteral("the user dismissed the dialog")));
            return true;
        }
        // BeginAuthentication(action_id, message, icon_name, details, cookie, identities).
        const QString cookie = message.arguments().value(4).toString();
        const auto identities = message.arguments().value(5).value<QDBusArgument>();
        QString kind;
        QVariantMap details;
        identities.beginArray();
        if (!identities.atEnd()) {
            identities.beginStructure();
            identities >> kind >> details;
            identities.endStructure();
        }
        QDBusArgument identity;
        identity.beginStructure();
        identity << kind << details;
        identity.endStructure();
        // uid: the agent's own (root), which polkitd matches to the agent that
        // holds the cookie. Answered before BeginAuthentication returns, as polkit's
        // own agents do.
        QDBusMessage response = authorityCall(QStringLiteral("AuthenticationAgentResponse2"));
        response << QVariant::fromValue(quint32(::getuid())) << cookie << QVariant::fromValue(identity);
        const QDBusMessage answered = m_bus.call(response);
        if (answered.type() == QDBusMessage::ErrorMessage)
            m_failure = QStringLiteral("%1 as %2: %3").arg(answered.errorName(), kind, answered.errorMessage());
        connection.send(message.createReply());
        return true;
    }
    if (message.member() == QLatin1String("CancelAuthentication")) {
        connection.send(message.createReply());
        return true;
    }
    return false;
}

QString TestAgent::introspect(const QString &) const
{
    return QStringLiteral("<interface name=\"%1\">"
                          "<method name=\"BeginAuthentication\"><arg type=\"s\" direction=\"in\"/><arg type=\"s\" direction=\"in\"/>"
                          "<arg type=\"s\" direction=\"in\"/><arg type=\"a{ss}\" direction=\"in\"/><arg type=\"s\" direction=\"in\"/>"
                          "<arg type=\"a(sa{sv})\" direction=\"in\"/></method>"
                          "<method name=\"CancelAuthentication\"><arg type=\"s\" direction=\"in\"/></method>"
                          "</interface>")
        .arg(agentInterface);
}

} // namespace tz::test
