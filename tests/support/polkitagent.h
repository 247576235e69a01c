// SPDX-License-Identifier: MIT
// A polkit authentication agent for this test process: it dismisses every dialog, as a user who presses Cancel, or authenticates as an administrator.
#pragma once

#include <QDBusConnection>
#include <QDBusVirtualObject>
#include <QStringList>

namespace tz::test {

// polkitd asks the agent registered for a caller's process whenever that caller must
// authenticate (BeginAuthentication). Answer::Dismiss answers each request with
// polkit's Cancelled error, which polkitd reports to the mechanism as
// "polkit.dismissed". Answer::Authenticate does what polkit's setuid helper does
// once PAM has accepted an administrator's password: as root, it tells polkitd
// (AuthenticationAgentResponse2) that the first identity offered has authenticated.
// Calls to it arrive through the event loop: a test waits for the call that needs
// it with the loop running (QTRY_*), not with a blocking waitForFinished().
class TestAgent : public QDBusVirtualObject {
public:
    enum class Answer { Dismiss, Authenticate };
    explicit TestAgent(Answer answer = Answer::Dismiss) : m_answer(answer) {}
    ~TestAgent() override; // unregisters: a failed test must not leave it exported
    TestAgent(const TestAgent &) = delete;
    TestAgent &operator=(const TestAgent &) = delete;

    // Registers, on bus (a connection as root), for every connection this process
    // makes: polkit finds an agent for a bus name through the name's process.
    bool registerFor(QDBusConnection bus, QString *error);
    void unregister();
    // The actions of the dialogs shown so far, in order.
    QStringList askedActions() const { return m_asked; }
    // What went wrong in answering a dialog as an administrator, if anything.
    QString failure() const { return m_failure; }

    bool handleMessage(const QDBusMessage &message, const QDBusConnection &connection) override;
    QString introspect(const QString &path) const override;

private:
    QDBusConnection m_bus{QString()};
    Answer m_answer;
    bool m_registered = false;
    QStringList m_asked;
    QString m_failure;
};

} // namespace tz::test
