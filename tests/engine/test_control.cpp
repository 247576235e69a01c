// SPDX-License-Identifier: MIT
// The control-fifo protocol: running, not running and broken directories told apart.
#include "control.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz;

namespace {

int openDir(const QString &path) { return ::open(QFile::encodeName(path).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC); }

QByteArray drain(int fd)
{
    char buf[64];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    return n > 0 ? QByteArray(buf, static_cast<int>(n)) : QByteArray();
}

} // namespace

class TestControl : public QObject {
    Q_OBJECT

private slots:
    void brokenWithoutSuperviseDir()
    {
        QTemporaryDir tmp;
        const int dir = openDir(tmp.path());
        auto probe = probeSupervise(dir);
        QVERIFY(probe.ok());
        QCOMPARE(probe->state, SuperviseState::Broken);
        QCOMPARE(probe->err, ENOENT);
        auto sent = sendCommands(dir, "u");
        QVERIFY(sent.ok());
        QCOMPARE(sent->state, SuperviseState::Broken);
        ::close(dir);
    }

    void brokenWhenSuperviseIsAFile()
    {
        QTemporaryDir tmp;
        QFile f(tmp.filePath(QStringLiteral("supervise")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const int dir = openDir(tmp.path());
        auto probe = probeSupervise(dir);
        QVERIFY(probe.ok());
        QCOMPARE(probe->state, SuperviseState::Broken);
        QCOMPARE(probe->err, ENOTDIR);
        ::close(dir);
    }

    void notRunningWhenNobodyReads()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("supervise")));
        const QByteArray base = QFile::encodeName(tmp.path());
        QCOMPARE(::mkfifo((base + "/supervise/ok").constData(), 0600), 0);
        QCOMPARE(::mkfifo((base + "/supervise/control").constData(), 0600), 0);
        const int dir = openDir(tmp.path());
        auto probe = probeSupervise(dir);
        QVERIFY(probe.ok());
        QCOMPARE(probe->state, SuperviseState::NotRunning);
        QCOMPARE(probe->err, ENXIO);
        auto sent = sendCommands(dir, "d");
        QVERIFY(sent.ok());
        QCOMPARE(sent->state, SuperviseState::NotRunning);
        ::close(dir);
    }

    void runningDeliversInOneWrite()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("supervise")));
        const QByteArray base = QFile::encodeName(tmp.path());
        QCOMPARE(::mkfifo((base + "/supervise/ok").constData(), 0600), 0);
        QCOMPARE(::mkfifo((base + "/supervise/control").constData(), 0600), 0);
        const int ok = ::open((base + "/supervise/ok").constData(), O_RDONLY | O_NONBLOCK);
        const int control = ::open((base + "/supervise/control").constData(), O_RDONLY | O_NONBLOCK);
        QVERIFY(ok >= 0 && control >= 0);
        const int dir = openDir(tmp.path());
        auto probe = probeSupervise(dir);
        QVERIFY(probe.ok());
        QCOMPARE(probe->state, SuperviseState::Running);
        auto sent = sendCommands(dir, dropRepeats("tdtkuu"));
        QVERIFY(sent.ok());
        QCOMPARE(sent->state, SuperviseState::Running);
        QCOMPARE(drain(control), QByteArray("tdku"));
        ::close(ok);
        ::close(control);
        ::close(dir);
    }

    void otherErrorsAreFailures()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("supervise/control")));
        const int dir = openDir(tmp.path());
        auto sent = sendCommands(dir, "u");
        QVERIFY(!sent.ok());
        QCOMPARE(sent.error().err, EISDIR);
        QCOMPARE(QString::fromStdString(sent.error().describe()),
                 QStringLiteral("open supervise/control: is a directory"));
        ::close(dir);
    }

    void letters()
    {
        for (const char c : std::string_view("udopchaitkx"))
            QVERIFY(isControlLetter(c));
        QVERIFY(!isControlLetter('z'));
        QVERIFY(!isControlLetter('U'));
        QVERIFY(!isControlLetter('\0'));
        QCOMPARE(dropRepeats("xxuxd"), std::string("xud"));
        QCOMPARE(dropRepeats(""), std::string());
    }
};

QTEST_GUILESS_MAIN(TestControl)
#include "test_control.moc"
