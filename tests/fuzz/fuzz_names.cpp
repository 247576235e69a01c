// SPDX-License-Identifier: MIT
// Fuzzes the helper's name checks and OpenLog on a real tree with planted symlinks, hard links and a secret outside it.
#include "fuzzcheck.h"
#include "servicetree.h"

#include <QFile>

#include <cstring>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz;

namespace {

std::string g_root;
ServiceTree *g_tree = nullptr;
std::set<ino_t> g_serviceInodes; // what openService may open
std::set<ino_t> g_logInodes;     // what openLog may open
ino_t g_secret = 0;

void put(const std::string &path, const char *text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FUZZ_CHECK(fd >= 0 && ::write(fd, text, std::strlen(text)) >= 0);
    ::close(fd);
}

ino_t inode(const std::string &path)
{
    struct stat st {};
    FUZZ_CHECK(::lstat(path.c_str(), &st) == 0);
    return st.st_ino;
}

void removeAll()
{
    const std::string cmd = "rm -rf -- '" + g_root + "'";
    if (std::system(cmd.c_str()) != 0)
        std::fprintf(stderr, "could not remove %s\n", g_root.c_str());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    char tmpl[] = "/tmp/tazuna-fuzz-names.XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl));
    g_root = tmpl;
    const std::string scan = g_root + "/service";
    // The secret, outside the scan directory, and every way a log name could reach it.
    put(g_root + "/secret", "SECRET\n");
    g_secret = inode(g_root + "/secret");
    for (const char *d : {"/service", "/service/svc", "/service/svc/log", "/service/svc/log/main", "/service/other",
                          "/service/other/log", "/service/other/log/main", "/outside", "/outside/main"})
        FUZZ_CHECK(::mkdir((g_root + d).c_str(), 0755) == 0);
    put(scan + "/svc/log/main/current", "@400000006000000000000000 line\n");
    put(scan + "/svc/log/main/@400000006000000000000001.s", "@400000006000000000000000 old\n");
    put(scan + "/other/log/main/current", "other\n");
    FUZZ_CHECK(::symlink((g_root + "/secret").c_str(), (scan + "/svc/log/main/@4000000060000000000000aa.s").c_str()) == 0);
    FUZZ_CHECK(::link((g_root + "/secret").c_str(), (scan + "/svc/log/main/@4000000060000000000000bb.u").c_str()) == 0);
    FUZZ_CHECK(::symlink("../../../secret", (scan + "/other/log/main/@4000000060000000000000cc.s").c_str()) == 0);
    // A service whose log/ is a symlink out of the tree, onto a folder with a "current".
    FUZZ_CHECK(::mkdir((scan + "/linked").c_str(), 0755) == 0);
    FUZZ_CHECK(::symlink((g_root + "/outside").c_str(), (scan + "/linked/log").c_str()) == 0);
    FUZZ_CHECK(::link((g_root + "/secret").c_str(), (g_root + "/outside/main/current").c_str()) == 0);
    // A service whose log/main is a symlink.
    FUZZ_CHECK(::mkdir((scan + "/mainlink").c_str(), 0755) == 0);
    FUZZ_CHECK(::mkdir((scan + "/mainlink/log").c_str(), 0755) == 0);
    FUZZ_CHECK(::symlink((g_root + "/outside/main").c_str(), (scan + "/mainlink/log/main").c_str()) == 0);

    for (const char *s : {"svc", "other", "linked", "mainlink"})
        g_serviceInodes.insert(inode(scan + "/" + s));
    g_logInodes = {inode(scan + "/svc/log/main/current"), inode(scan + "/svc/log/main/@400000006000000000000001.s"),
                   inode(scan + "/other/log/main/current")};
    g_tree = new ServiceTree(QString::fromStdString(scan));
    FUZZ_CHECK(g_tree->open().isEmpty());
    std::atexit(removeAll);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // service name NUL log file name, each as UTF-8 (invalid sequences become U+FFFD,
    // as the bus would refuse them anyway).
    const std::string_view in = fuzz::asText(data, size);
    const std::size_t cut = in.find('\0');
    const std::string_view nameBytes = in.substr(0, cut);
    const std::string_view fileBytes = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
    const QString name = QString::fromUtf8(nameBytes.data(), static_cast<qsizetype>(nameBytes.size()));
    const QString file = QString::fromUtf8(fileBytes.data(), static_cast<qsizetype>(fileBytes.size()));

    const bool accepted = !checkServiceName(name).has_value();
    const QByteArray encoded = name.toUtf8();
    if (accepted) {
        FUZZ_CHECK(!encoded.isEmpty() && encoded.size() <= 255 && encoded.front() != '.');
        for (const char c : encoded) {
            const auto u = static_cast<unsigned char>(c);
            FUZZ_CHECK(c != '/' && u >= 0x20 && u != 0x7f);
        }
    }

    auto service = g_tree->openService(name);
    if (service.ok()) {
        FUZZ_CHECK(accepted);
        struct stat st {};
        FUZZ_CHECK(::fstat(service.value().get(), &st) == 0);
        FUZZ_CHECK(g_serviceInodes.count(st.st_ino) == 1);
    } else {
        FUZZ_CHECK(service.refusal().name != nullptr);
    }

    auto log = g_tree->openLog(name, file);
    if (log.ok()) {
        const int fd = log.value();
        struct stat st {};
        FUZZ_CHECK(::fstat(fd, &st) == 0);
        FUZZ_CHECK(st.st_ino != g_secret);
        FUZZ_CHECK(g_logInodes.count(st.st_ino) == 1);
        FUZZ_CHECK(S_ISREG(st.st_mode) && st.st_nlink == 1);
        // Read-only: the caller gets no way to change the log.
        FUZZ_CHECK((::fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
        ::close(fd);
    } else {
        FUZZ_CHECK(log.refusal().name != nullptr && !log.refusal().message.isEmpty());
    }
    return 0;
}
