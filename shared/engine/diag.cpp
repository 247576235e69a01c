// SPDX-License-Identifier: MIT
// daemontools' reason texts and the single-write message output of the tools.
#include "diag.h"

#include <unistd.h>

namespace tz {

const char *reasonText(int err)
{
    // The order matters where Linux aliases two names (EAGAIN == EWOULDBLOCK):
    // the first entry wins, as in daemontools.
    switch (err) {
    case 0: return "no error";
    case EINTR: return "interrupted system call";
    case ENOMEM: return "out of memory";
    case ENOENT: return "file does not exist";
    case ETXTBSY: return "text busy";
    case EIO: return "input/output error";
    case EEXIST: return "file already exists";
    case ETIMEDOUT: return "timed out";
    case EINPROGRESS: return "operation in progress";
    case EAGAIN: return "temporary failure";
    case EPIPE: return "broken pipe";
    case EPERM: return "permission denied";
    case EACCES: return "access denied";
    case ENXIO: return "device not configured";
    case EPROTO: return "protocol error";
    case EISDIR: return "is a directory";
    case ESRCH: return "no such process";
    case E2BIG: return "argument list too long";
    case ENOEXEC: return "exec format error";
    case EBADF: return "file descriptor not open";
    case ECHILD: return "no child processes";
    case EDEADLK: return "operation would cause deadlock";
    case EFAULT: return "bad address";
    case ENOTBLK: return "not a block device";
    case EBUSY: return "device busy";
    case EXDEV: return "cross-device link";
    case ENODEV: return "device does not support operation";
    case ENOTDIR: return "not a directory";
    case EINVAL: return "invalid argument";
    case ENFILE: return "system cannot open more files";
    case EMFILE: return "process cannot open more files";
    case ENOTTY: return "not a tty";
    case EFBIG: return "file too big";
    case ENOSPC: return "out of disk space";
    case ESPIPE: return "unseekable descriptor";
    case EROFS: return "read-only file system";
    case EMLINK: return "too many links";
    case EDOM: return "input out of range";
    case ERANGE: return "output out of range";
    case EALREADY: return "operation already in progress";
    case ENOTSOCK: return "not a socket";
    case EDESTADDRREQ: return "destination address required";
    case EMSGSIZE: return "message too long";
    case EPROTOTYPE: return "incorrect protocol type";
    case ENOPROTOOPT: return "protocol not available";
    case EPROTONOSUPPORT: return "protocol not supported";
    case ESOCKTNOSUPPORT: return "socket type not supported";
    case EOPNOTSUPP: return "operation not supported";
    case EPFNOSUPPORT: return "protocol family not supported";
    case EAFNOSUPPORT: return "address family not supported";
    case EADDRINUSE: return "address already used";
    case EADDRNOTAVAIL: return "address not available";
    case ENETDOWN: return "network down";
    case ENETUNREACH: return "network unreachable";
    case ENETRESET: return "network reset";
    case ECONNABORTED: return "connection aborted";
    case ECONNRESET: return "connection reset";
    case ENOBUFS: return "out of buffer space";
    case EISCONN: return "already connected";
    case ENOTCONN: return "not connected";
    case ESHUTDOWN: return "socket shut down";
    case ETOOMANYREFS: return "too many references";
    case ECONNREFUSED: return "connection refused";
    case ELOOP: return "symbolic link loop";
    case ENAMETOOLONG: return "file name too long";
    case EHOSTDOWN: return "host down";
    case EHOSTUNREACH: return "host unreachable";
    case ENOTEMPTY: return "directory not empty";
    case EUSERS: return "too many users";
    case EDQUOT: return "disk quota exceeded";
    case ESTALE: return "stale NFS file handle";
    case EREMOTE: return "too many levels of remote in path";
    case ENOLCK: return "no locks available";
    case ENOSYS: return "system call not available";
    case ENOSTR: return "not a stream device";
    case ETIME: return "timer expired";
    case ENOSR: return "out of stream resources";
    case ENOMSG: return "no message of desired type";
    case EBADMSG: return "bad message type";
    case EIDRM: return "identifier removed";
    case ENONET: return "machine not on network";
    case ENOLINK: return "link severed";
    case EADV: return "advertise error";
    case ESRMNT: return "srmount error";
    case ECOMM: return "communication error";
    case EMULTIHOP: return "multihop attempted";
    case EREMCHG: return "remote address changed";
    default: return "unknown error";
    }
}

std::string Failure::describe() const
{
    std::string s = action;
    s.append(": ").append(reasonText(err));
    return s;
}

void Diag::usage(std::string_view text) const
{
    std::string line;
    line.append(m_prog).append(": usage: ").append(text).push_back('\n');
    writeAll(line);
    exitNow(exitUsage);
}

bool writeAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

long readSome(int fd, char *buf, std::size_t size)
{
    for (;;) {
        const ssize_t n = ::read(fd, buf, size);
        if (n >= 0 || errno != EINTR)
            return static_cast<long>(n);
    }
}

void Diag::exitNow(int code) { ::_exit(code); }

} // namespace tz
