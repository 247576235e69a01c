// SPDX-License-Identifier: MIT
// Account lookup and the switch to an account, checked in a child process.
#include "account.h"

#include <QTest>

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tz;

class TestAccount : public QObject {
    Q_OBJECT

private slots:
    void findsNobody()
    {
        const auto a = findAccount("nobody");
        QVERIFY(a.has_value());
        QCOMPARE(a->uid, uid_t(65534));
    }

    void unknownAccount() { QVERIFY(!findAccount("tz-no-such-account").has_value()); }

    void becomesTheAccountWithOnlyItsPrimaryGroup()
    {
        QVERIFY2(::geteuid() == 0, "switching accounts needs root");
        const auto a = findAccount("nobody");
        QVERIFY(a.has_value());
        const pid_t pid = ::fork();
        if (pid == 0) {
            // Report: 0 = all as expected, otherwise which check failed.
            int code = 0;
            if (!becomeAccount(*a).ok())
                code = 1;
            else if (::getuid() != a->uid || ::geteuid() != a->uid)
                code = 2;
            else if (::getgid() != a->gid || ::getegid() != a->gid)
                code = 3;
            else {
                gid_t groups[8];
                const int n = ::getgroups(8, groups);
                if (n != 1 || groups[0] != a->gid)
                    code = 4;
                // A second switch, to root, must now be refused at the group step.
                else if (auto again = becomeAccount(Account{0, 0}); again.ok() || again.error().action != "setgid")
                    code = 5;
            }
            ::_exit(code);
        }
        int status = 0;
        QCOMPARE(::waitpid(pid, &status, 0), pid);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
    }
};

QTEST_GUILESS_MAIN(TestAccount)
#include "test_account.moc"
