// SPDX-License-Identifier: MIT
// Tests for multilog's input: bytes stay in the pipe until released.
#include "logsource.h"

#include <QTemporaryFile>
#include <QTest>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace {

int unread(int fd)
{
    int n = -1;
    ::ioctl(fd, FIONREAD, &n);
    return n;
}

} // namespace

class TestLogSource : public QObject {
    Q_OBJECT

private slots:
    void pipeBytesStayUntilReleased()
    {
        int fds[2];
        QVERIFY(::pipe(fds) == 0);
        QCOMPARE(::write(fds[1], "hello\nworld\n", 12), ssize_t{12});
        {
            tz::LogSource source(fds[0]);
            char buf[64];
            QCOMPARE(source.fill(buf, 8), ssize_t{8});
            QCOMPARE(QByteArray(buf, 8), QByteArray("hello\nwo"));
            QCOMPARE(unread(fds[0]), 12); // still in the pipe: a crash here loses nothing
            source.release();
            QCOMPARE(unread(fds[0]), 4);
            // The next fill releases the previous one first.
            QCOMPARE(source.fill(buf, sizeof buf), ssize_t{4});
            QCOMPARE(QByteArray(buf, 4), QByteArray("rld\n"));
            ::close(fds[1]);
            QCOMPARE(source.fill(buf, sizeof buf), ssize_t{0});
            QCOMPARE(unread(fds[0]), 0);
        }
        ::close(fds[0]);
    }

    void regularFileIsRead()
    {
        QTemporaryFile f;
        QVERIFY(f.open());
        f.write("abc\n");
        f.flush();
        const int fd = ::open(QFile::encodeName(f.fileName()).constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        tz::LogSource source(fd);
        char buf[16];
        QCOMPARE(source.fill(buf, sizeof buf), ssize_t{4});
        QCOMPARE(QByteArray(buf, 4), QByteArray("abc\n"));
        QCOMPARE(source.fill(buf, sizeof buf), ssize_t{0});
        ::close(fd);
    }

    void closedDescriptorFails()
    {
        tz::LogSource source(987);
        char buf[4];
        QCOMPARE(source.fill(buf, sizeof buf), ssize_t{-1});
        QCOMPARE(errno, EBADF);
    }
};

QTEST_GUILESS_MAIN(TestLogSource)
#include "test_logsource.moc"
