// SPDX-License-Identifier: MIT
// pathexec's environment edits and PATH search: the order `env` shows and the errno a failed search reports.
#include "chainload.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

using namespace tz;

namespace {

std::vector<std::string> compose(std::vector<std::string> base, const std::vector<EnvChange> &changes)
{
    auto ptrs = cArray(base);
    return composeEnvironment(ptrs.data(), changes);
}

// Runs search.exec in a child and returns the errno it reported (exec never
// returns on success, so the child's exit status carries it).
int execErrno(const ProgramSearch &search)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        char name[] = "tz-test";
        char *argv[] = {name, nullptr};
        char *envp[] = {nullptr};
        ::_exit(search.exec(argv, envp));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

class TestChainload : public QObject {
    Q_OBJECT

private slots:
    void setAppends()
    {
        QCOMPARE(compose({"A=1", "B=2"}, {{"C", "3"}}), (std::vector<std::string>{"A=1", "B=2", "C=3"}));
    }

    void replaceMovesLastEntryIntoTheHole()
    {
        QCOMPARE(compose({"A=1", "UID=5", "B=2", "GID=9", "C=3"}, {{"GID", "0"}, {"UID", "0"}}),
                 (std::vector<std::string>{"A=1", "GID=0", "B=2", "C=3", "UID=0"}));
    }

    void unsetRemovesOnlyTheFirstMatch()
    {
        QCOMPARE(compose({"X=1", "A=2", "X=3", "B=4"}, {{"X", std::nullopt}}),
                 (std::vector<std::string>{"B=4", "A=2", "X=3"}));
    }

    void unsetOfAbsentNameChangesNothing()
    {
        QCOMPARE(compose({"A=1"}, {{"B", std::nullopt}}), (std::vector<std::string>{"A=1"}));
    }

    void nameMatchesWholeKeyOnly()
    {
        QCOMPARE(compose({"AB=1", "A"}, {{"A", "2"}}), (std::vector<std::string>{"AB=1", "A", "A=2"}));
    }

    void equalsInNameSplitsAtFirst()
    {
        QCOMPARE(compose({"X=old"}, {{"X=Y", "v"}}), (std::vector<std::string>{"X=Y=v"}));
        // Even a removal of such a name leaves an entry behind, as in 0.76.
        QCOMPARE(compose({"X=old"}, {{"X=Y", std::nullopt}}), (std::vector<std::string>{"X=Y"}));
    }

    void cArrayIsNullTerminated()
    {
        std::vector<std::string> s{"A=1"};
        const auto a = cArray(s);
        QCOMPARE(a.size(), size_t(2));
        QCOMPARE(a[1], nullptr);
        QCOMPARE(QByteArray(a[0]), QByteArray("A=1"));
    }

    void slashMeansNoSearch()
    {
        QCOMPARE(ProgramSearch("./x", "/bin").candidates(), (std::vector<std::string>{"./x"}));
    }

    void defaultPath()
    {
        QCOMPARE(ProgramSearch("ls", nullptr).candidates(), (std::vector<std::string>{"/bin/ls", "/usr/bin/ls"}));
    }

    void emptyElementsMeanCurrentDirectory()
    {
        QCOMPARE(ProgramSearch("p", ":/a::/b:").candidates(),
                 (std::vector<std::string>{"./p", "/a/p", "./p", "/b/p", "./p"}));
    }

    void missingEverywhereIsNoEnt()
    {
        QCOMPARE(execErrno(ProgramSearch("tz-none", "/tz-nonexistent:/tz-nonexistent2")), ENOENT);
    }

    void accessDeniedIsRememberedAndSearchGoesOn()
    {
        QTemporaryDir dir;
        tz::test::writeFile(dir.filePath(QStringLiteral("tz-prog")), "#!/bin/sh\nexit 0\n", 0644);
        const std::string path = QFile::encodeName(dir.path()).toStdString() + ":/tz-nonexistent";
        QCOMPARE(execErrno(ProgramSearch("tz-prog", path.c_str())), EACCES);
    }

    void runnableAfterDeniedRuns()
    {
        QTemporaryDir denied;
        QTemporaryDir good;
        tz::test::writeFile(denied.filePath(QStringLiteral("tz-prog")), "#!/bin/sh\nexit 3\n", 0644);
        tz::test::writeFile(good.filePath(QStringLiteral("tz-prog")), "#!/bin/sh\nexit 42\n", 0755);
        const std::string path =
            QFile::encodeName(denied.path()).toStdString() + ":" + QFile::encodeName(good.path()).toStdString();
        QCOMPARE(execErrno(ProgramSearch("tz-prog", path.c_str())), 42);
    }

    void formatErrorStopsTheSearch()
    {
        QTemporaryDir bad;
        QTemporaryDir good;
        tz::test::writeFile(bad.filePath(QStringLiteral("tz-prog")), "not a program\n", 0755);
        tz::test::writeFile(good.filePath(QStringLiteral("tz-prog")), "#!/bin/sh\nexit 42\n", 0755);
        const std::string path =
            QFile::encodeName(bad.path()).toStdString() + ":" + QFile::encodeName(good.path()).toStdString();
        QCOMPARE(execErrno(ProgramSearch("tz-prog", path.c_str())), ENOEXEC);
    }
};

QTEST_GUILESS_MAIN(TestChainload)
#include "test_chainload.moc"
