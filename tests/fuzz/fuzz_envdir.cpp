// SPDX-License-Identifier: MIT
// Fuzzes envdir's reader on real files: each value is the first line, trailing blanks cut, NULs as newlines.
#include "envdir.h"
#include "fuzzcheck.h"

#include <algorithm>
#include <map>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tz;

namespace {

std::string g_dir;

void clearDir()
{
    DIR *d = ::opendir(g_dir.c_str());
    FUZZ_CHECK(d);
    while (const dirent *e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..")
            ::unlinkat(::dirfd(d), n.c_str(), 0);
    }
    ::closedir(d);
}

// What 0.76 sets for a file's content; nullopt removes the variable.
std::optional<std::string> expected(std::string content)
{
    if (content.empty())
        return std::nullopt;
    content.resize(std::min(content.size(), content.find('\n')));
    while (!content.empty() && (content.back() == ' ' || content.back() == '\t'))
        content.pop_back();
    std::replace(content.begin(), content.end(), '\0', '\n');
    return content;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    char tmpl[] = "/dev/shm/tazuna-fuzz-envdir.XXXXXX";
    char tmpl2[] = "/tmp/tazuna-fuzz-envdir.XXXXXX";
    const char *d = ::mkdtemp(tmpl);
    if (!d)
        d = ::mkdtemp(tmpl2);
    FUZZ_CHECK(d);
    g_dir = d;
    std::atexit([] {
        clearDir();
        ::rmdir(g_dir.c_str());
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // name 0xff content 0xff name 0xff content ...; a name ending in '@' becomes a
    // dangling symlink (a vanished entry).
    const auto parts = fuzz::split(fuzz::asText(data, size), '\xff');
    if (parts.size() > 64)
        return 0;
    clearDir();
    std::map<std::string, std::optional<std::string>> files; // nullopt: dangling symlink
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
        std::string name(parts[i].substr(0, 64));
        std::replace(name.begin(), name.end(), '/', '_');
        std::replace(name.begin(), name.end(), '\0', '_');
        if (name.empty() || name == "." || name == "..")
            continue;
        const std::string path = g_dir + "/" + name;
        ::unlink(path.c_str());
        if (name.back() == '@') {
            FUZZ_CHECK(::symlink("/nonexistent/tazuna-fuzz", path.c_str()) == 0);
            files[name] = std::nullopt;
        } else {
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            FUZZ_CHECK(fd >= 0);
            FUZZ_CHECK(writeAll(fd, parts[i + 1]));
            ::close(fd);
            files[name] = std::string(parts[i + 1]);
        }
    }

    const auto entries = readEnvDir(g_dir);
    FUZZ_CHECK(entries.ok());
    std::size_t visible = 0;
    for (const auto &[name, content] : files)
        visible += name[0] != '.';
    FUZZ_CHECK(entries->size() == visible);
    for (const EnvDirEntry &e : *entries) {
        const auto it = files.find(e.change.name);
        FUZZ_CHECK(it != files.end() && e.change.name[0] != '.');
        FUZZ_CHECK(e.vanished == !it->second.has_value());
        if (!e.vanished)
            FUZZ_CHECK(e.change.value == expected(*it->second));
        if (e.change.value)
            FUZZ_CHECK(e.change.value->find('\0') == std::string::npos);
    }
    FUZZ_CHECK(envChanges(*entries).size() == entries->size());

    // Reading changed nothing on disk.
    std::size_t onDisk = 0;
    DIR *d = ::opendir(g_dir.c_str());
    while (const dirent *e = ::readdir(d))
        onDisk += e->d_name[0] != '.' || (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..");
    ::closedir(d);
    FUZZ_CHECK(onDisk == files.size());
    return 0;
}
