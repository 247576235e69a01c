// SPDX-License-Identifier: MIT
// Helpers shared by the tests: where the programs are, running them, waiting with a deadline.
// The engine before Qt, whose emit macro would rewrite the engine's Diag::emit.
#include "status.h"

#include "testsupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>

#include <csignal>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz::test {

QString toolDir()
{
    const QString dir = qEnvironmentVariable("TAZUNA_BIN");
    if (dir.isEmpty())
        qFatal("TAZUNA_BIN is not set: run the tests through ctest");
    return dir;
}

QString toolPath(const QString &name) { return toolDir() + QLatin1Char('/') + name; }

QString referencePath(const QString &name) { return QStringLiteral("/usr/bin/") + name; }

ProcessResult run(const QString &program, const QStringList &args, const RunOptions &options)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.setProcessEnvironment(options.environment);
    if (!options.workingDirectory.isEmpty())
        p.setWorkingDirectory(options.workingDirectory);
    if (options.newSession)
        p.setChildProcessModifier([] { ::setsid(); });
    p.start();
    ProcessResult r;
    if (!p.waitForStarted(5000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    // QProcess forgets the pid once the process has finished, and kill(-0) would hit
    // our own process group: remember it now.
    const auto group = static_cast<pid_t>(p.processId());
    if (!options.input.isEmpty())
        p.write(options.input);
    p.closeWriteChannel();
    if (!p.waitForFinished(options.timeoutMs)) {
        r.timedOut = true;
        if (options.newSession && group > 0)
            ::kill(-group, SIGKILL);
        else
            p.kill();
        p.waitForFinished(2000);
    } else if (options.newSession && group > 0) {
        // Anything the command started in the background dies with it.
        ::kill(-group, SIGKILL);
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.exitCode = r.crashed ? -1 : p.exitCode();
    return r;
}

ProcessResult runShell(const QString &script, const RunOptions &options)
{
    return run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script}, options);
}

bool waitFor(const std::function<bool()> &cond, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!cond()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QTest::qWait(5);
    }
    return true;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

ino_t inodeOf(const QString &path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

QString fdTarget(qint64 pid, int fd)
{
    char target[256];
    const QByteArray link = QStringLiteral("/proc/%1/fd/%2").arg(pid).arg(fd).toLocal8Bit();
    const ssize_t n = ::readlink(link.constData(), target, sizeof target);
    return n > 0 ? QString::fromLocal8Bit(target, n) : QString();
}

quint32 superviseStatusPid(const QString &serviceDir)
{
    const QByteArray bytes = readFile(serviceDir + QStringLiteral("/supervise/status"));
    const auto status = tz::decodeStatus(
        std::span(reinterpret_cast<const unsigned char *>(bytes.constData()), static_cast<std::size_t>(bytes.size())));
    return status ? status->pid : 0;
}

void writeFile(const QString &path, const QByteArray &content, int mode)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode));
}

TestUser ensureUser(const QString &name)
{
    const QByteArray n = name.toUtf8();
    if (!::getpwnam(n.constData())) {
        QProcess::execute(QStringLiteral("useradd"),
                          {QStringLiteral("--no-create-home"), QStringLiteral("--shell"), QStringLiteral("/usr/sbin/nologin"), name});
    }
    const passwd *pw = ::getpwnam(n.constData());
    if (!pw)
        qFatal("cannot create the test user %s", n.constData());
    return TestUser{name, pw->pw_uid, pw->pw_gid};
}

} // namespace tz::test
