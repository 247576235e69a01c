// SPDX-License-Identifier: MIT
// Loading template files, validating typed parameters and rendering run scripts that quote every value.
#include "templates.h"

#include "errors.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tz {

namespace {

ParameterSpec spec(const char *key, const char *type, const char *label, const char *def, const char *description,
                   quint64 min = 0, quint64 max = 0xffffffffu)
{
    ParameterSpec s;
    s.info.key = QLatin1String(key);
    s.info.type = QLatin1String(type);
    s.info.label = QLatin1String(label);
    s.info.defaultValue = QLatin1String(def);
    s.info.required = false;
    s.info.description = QLatin1String(description);
    s.min = min;
    s.max = max;
    return s;
}

// Every template has these; they shape the script around the template's command.
QList<ParameterSpec> commonParameters()
{
    return {
        spec("user", "user", "Run as user", "", "The user the service runs as (setuidgid); empty: you"),
        spec("directory", "directory", "Working directory", "", "Absolute path of an existing folder; empty: the service directory"),
        spec("environment", "env", "Environment variables", "", "A JSON object of NAME: value strings"),
        spec("limit-memory", "uint", "Memory limit (bytes)", "0", "softlimit -m; 0: no limit", 0, 0xffffffffffffull),
        spec("limit-files", "uint", "Open files limit", "0", "softlimit -o; 0: no limit", 0, 1048576),
        spec("limit-processes", "uint", "Process limit", "0", "softlimit -p; 0: no limit", 0, 1048576),
        spec("log", "bool", "Keep a log", "true", "multilog into log/main"),
        spec("log-size", "uint", "Log file size (bytes)", "99999", "multilog sSIZE", 4096, 16777215),
        spec("log-count", "uint", "Log files kept", "10", "multilog nNUM", 2, 1000),
        spec("log-timestamps", "bool", "Timestamp log lines", "true", "multilog t"),
        spec("start", "bool", "Start now", "true", "false: created with a down file, start it later"),
        spec("backoff", "uint", "Crash backoff limit (seconds)", "0", "Longest pause between restarts of a crashing service; 0: off", 0, 86400),
    };
}

bool parseBool(const QString &v, bool *out)
{
    if (v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("1"))
        *out = true;
    else if (v == QLatin1String("false") || v == QLatin1String("no") || v == QLatin1String("0"))
        *out = false;
    else
        return false;
    return true;
}

Refusal invalid(const QString &key, const QString &why)
{
    return Refusal{errors::invalidParameter, QStringLiteral("%1: %2").arg(key, why)};
}

// Whether uid/gid (with the user's supplementary groups) may execute st's file.
// Whether a user with uid and groups has the permission bits (S_IXUSR, S_IXGRP,
// S_IXOTH style, chosen as the kernel does: owner, else group, else others) of st.
bool permitted(const struct stat &st, uid_t uid, const std::vector<gid_t> &groups, mode_t usr, mode_t grp, mode_t oth)
{
    if (st.st_uid == uid)
        return st.st_mode & usr;
    for (const gid_t g : groups)
        if (g == st.st_gid)
            return st.st_mode & grp;
    return st.st_mode & oth;
}

// Whether the user may run path: the file's x bit for that user and the search bit
// of every folder on the way, along the path as given and as resolved.
bool executableFor(const QByteArray &path, const struct stat &st, uid_t uid, gid_t gid, const QByteArray &userName)
{
    if (uid == 0)
        return st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH);
    int count = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    if (::getgrouplist(userName.constData(), gid, groups.data(), &count) < 0) {
        groups.resize(static_cast<std::size_t>(count));
        ::getgrouplist(userName.constData(), gid, groups.data(), &count);
    }
    groups.resize(static_cast<std::size_t>(std::max(count, 0)));
    if (!permitted(st, uid, groups, S_IXUSR, S_IXGRP, S_IXOTH))
        return false;
    const QByteArray resolved = QFile::encodeName(QFileInfo(QFile::decodeName(path)).canonicalFilePath());
    for (const QByteArray &p : {path, resolved}) {
        for (qsizetype slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
            struct stat dir {};
            if (::stat(p.left(slash).constData(), &dir) != 0 || !permitted(dir, uid, groups, S_IXUSR, S_IXGRP, S_IXOTH))
                return false;
        }
    }
    return true;
}

// Splits a template's exec line into words: blanks separate, '…' is literal, and
// {key} anywhere outside quotes is a placeholder. A word that is exactly {key} of an
// args parameter expands to several words.
struct Piece {
    bool placeholder = false;
    QString text;
};
using Word = QList<Piece>;

bool splitExec(const QString &exec, QList<Word> &words)
{
    Word current;
    bool inWord = false;
    for (qsizetype i = 0; i < exec.size(); ++i) {
        const QChar c = exec.at(i);
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t')) {
            if (inWord)
                words.push_back(current);
            current.clear();
            inWord = false;
        } else if (c == QLatin1Char('\'')) {
            const qsizetype end = exec.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0)
                return false;
            current.push_back({false, exec.mid(i + 1, end - i - 1)});
            inWord = true;
            i = end;
        } else if (c == QLatin1Char('{')) {
            const qsizetype end = exec.indexOf(QLatin1Char('}'), i + 1);
            if (end < 0)
                return false;
            current.push_back({true, exec.mid(i + 1, end - i - 1)});
            inWord = true;
            i = end;
        } else {
            current.push_back({false, QString(c)});
            inWord = true;
        }
    }
    if (inWord)
        words.push_back(current);
    return true;
}

} // namespace

QByteArray shellQuote(const QByteArray &text)
{
    // Inside single quotes sh takes every byte literally, newlines included; a quote
    // itself is closed, escaped and reopened.
    QByteArray out = "'";
    for (const char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

QByteArray renderLogRun(const ServiceMeta &meta)
{
    QByteArray out = "#!/bin/sh\n# Rendered by tazuna-helper.\nexec ";
    if (!meta.user.isEmpty() && meta.user != QLatin1String("root"))
        out += "setuidgid " + shellQuote(meta.user.toUtf8()) + ' ';
    out += "multilog ";
    if (meta.logTimestamps)
        out += "t ";
    out += 's' + QByteArray::number(meta.logSize) + " n" + QByteArray::number(meta.logCount) + " ./main\n";
    return out;
}

QStringList loadTemplates(const QString &dir, QList<Template> &out)
{
    QStringList problems;
    const QDir d(dir);
    const QStringList files = d.entryList({QStringLiteral("*.template")}, QDir::Files, QDir::Name);
    static const QRegularExpression keyPattern(QStringLiteral("^[a-z][a-z0-9-]{0,63}$"));
    static const QStringList types = {QStringLiteral("string"), QStringLiteral("command"), QStringLiteral("file"),
                                      QStringLiteral("directory"), QStringLiteral("args"), QStringLiteral("env"),
                                      QStringLiteral("uint"), QStringLiteral("bool"), QStringLiteral("user"),
                                      QStringLiteral("host")};
    for (const QString &file : files) {
        QFile f(d.filePath(file));
        if (!f.open(QIODevice::ReadOnly)) {
            problems << QStringLiteral("%1: %2").arg(file, f.errorString());
            continue;
        }
        Template t;
        QString section;
        ParameterSpec *param = nullptr;
        QString problem;
        int lineNo = 0;
        while (!f.atEnd() && problem.isEmpty()) {
            ++lineNo;
            const QString line = QString::fromUtf8(f.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
                section = line.mid(1, line.size() - 2).trimmed();
                param = nullptr;
                if (section.startsWith(QLatin1String("parameter "))) {
                    const QString key = section.mid(10).trimmed();
                    if (!keyPattern.match(key).hasMatch()) {
                        problem = QStringLiteral("line %1: bad parameter key").arg(lineNo);
                        break;
                    }
                    t.parameters.push_back(ParameterSpec{});
                    param = &t.parameters.back();
                    param->info.key = key;
                    param->info.type = QStringLiteral("string");
                } else if (section != QLatin1String("template")) {
                    problem = QStringLiteral("line %1: unknown section").arg(lineNo);
                }
                continue;
            }
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                problem = QStringLiteral("line %1: expected key = value").arg(lineNo);
                break;
            }
            const QString key = line.left(eq).trimmed();
            const QString value = line.mid(eq + 1).trimmed();
            if (section == QLatin1String("template")) {
                if (key == QLatin1String("id"))
                    t.id = value;
                else if (key == QLatin1String("title"))
                    t.title = value;
                else if (key == QLatin1String("description"))
                    t.description = value;
                else if (key == QLatin1String("exec"))
                    t.exec = value;
                else
                    problem = QStringLiteral("line %1: unknown key %2").arg(lineNo).arg(key);
            } else if (param) {
                if (key == QLatin1String("type")) {
                    if (!types.contains(value))
                        problem = QStringLiteral("line %1: unknown type %2").arg(lineNo).arg(value);
                    param->info.type = value;
                } else if (key == QLatin1String("label")) {
                    param->info.label = value;
                } else if (key == QLatin1String("default")) {
                    param->info.defaultValue = value;
                } else if (key == QLatin1String("required")) {
                    parseBool(value, &param->info.required);
                } else if (key == QLatin1String("description")) {
                    param->info.description = value;
                } else if (key == QLatin1String("min")) {
                    param->min = value.toULongLong();
                } else if (key == QLatin1String("max")) {
                    param->max = value.toULongLong();
                } else {
                    problem = QStringLiteral("line %1: unknown key %2").arg(lineNo).arg(key);
                }
            } else {
                problem = QStringLiteral("line %1: outside a section").arg(lineNo);
            }
        }
        QList<Word> words;
        if (problem.isEmpty() && (t.id.isEmpty() || t.exec.isEmpty()))
            problem = QStringLiteral("needs id and exec");
        if (problem.isEmpty() && !splitExec(t.exec, words))
            problem = QStringLiteral("unbalanced quote or brace in exec");
        if (!problem.isEmpty()) {
            problems << QStringLiteral("%1: %2").arg(file, problem);
            continue;
        }
        t.parameters += commonParameters();
        out.push_back(t);
    }
    return problems;
}

Outcome<Rendered> render(const Template &t, const ParameterMap &parameters, uid_t callerUid)
{
    if (parameters.size() > maxParameters)
        return Refusal{errors::invalidParameter, QStringLiteral("parameters: at most %1 parameters").arg(maxParameters)};
    QMap<QString, const ParameterSpec *> specs;
    for (const ParameterSpec &s : t.parameters)
        specs.insert(s.info.key, &s);
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it) {
        if (it.key().size() > maxParameterKey || !specs.contains(it.key()))
            return invalid(it.key().left(maxParameterKey), QStringLiteral("the template %1 has no such parameter").arg(t.id));
        if (it.value().size() > maxParameterValue)
            return invalid(it.key(), QStringLiteral("longer than %1 characters").arg(maxParameterValue));
    }
    auto value = [&](const QString &key) {
        return parameters.contains(key) ? parameters.value(key) : specs.value(key)->info.defaultValue;
    };

    // The user comes first: commands are checked for it.
    Rendered r;
    QString userName = value(QStringLiteral("user"));
    if (userName.isEmpty()) {
        const passwd *pw = ::getpwuid(callerUid);
        if (!pw)
            return invalid(QStringLiteral("user"), QStringLiteral("the caller has no user name"));
        userName = QString::fromUtf8(pw->pw_name);
    }
    static const QRegularExpression userPattern(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$"));
    if (!userPattern.match(userName).hasMatch())
        return invalid(QStringLiteral("user"), QStringLiteral("not a user name"));
    const QByteArray userBytes = userName.toUtf8();
    const passwd *pw = ::getpwnam(userBytes.constData());
    if (!pw)
        return Refusal{errors::noSuchUser, QStringLiteral("user: there is no user %1").arg(userName)};
    r.uid = pw->pw_uid;
    r.gid = pw->pw_gid;

    QMap<QString, QList<QByteArray>> words; // each parameter as the shell words it becomes
    for (const ParameterSpec &s : t.parameters) {
        const QString &key = s.info.key;
        const QString v = value(key);
        if (v.isEmpty()) {
            if (s.info.required)
                return invalid(key, QStringLiteral("is required"));
            words.insert(key, {});
            continue;
        }
        const QString &type = s.info.type;
        if (type == QLatin1String("string")) {
            words.insert(key, {v.toUtf8()});
        } else if (type == QLatin1String("bool")) {
            bool b = false;
            if (!parseBool(v, &b))
                return invalid(key, QStringLiteral("expects true or false"));
            words.insert(key, {b ? "true" : "false"});
        } else if (type == QLatin1String("uint")) {
            static const QRegularExpression digits(QStringLiteral("^[0-9]{1,20}$"));
            bool ok = false;
            const quint64 n = v.toULongLong(&ok);
            if (!digits.match(v).hasMatch() || !ok || n < s.min || n > s.max)
                return invalid(key, QStringLiteral("expects a whole number from %1 to %2").arg(s.min).arg(s.max));
            words.insert(key, {QByteArray::number(n)});
        } else if (type == QLatin1String("user")) {
            words.insert(key, {userBytes});
        } else if (type == QLatin1String("host")) {
            static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9_.:@\\[\\]-]{1,253}$"));
            if (!host.match(v).hasMatch() || v.startsWith(QLatin1Char('-')))
                return invalid(key, QStringLiteral("expects a host name or address"));
            words.insert(key, {v.toUtf8()});
        } else if (type == QLatin1String("command") || type == QLatin1String("file") || type == QLatin1String("directory")) {
            QString path = v;
            if (type == QLatin1String("command") && !path.contains(QLatin1Char('/'))) {
                for (const char *dir : {"/usr/local/bin/", "/usr/bin/", "/bin/"}) {
                    if (QFile::exists(QLatin1String(dir) + v)) {
                        path = QLatin1String(dir) + v;
                        break;
                    }
                }
            }
            if (!path.startsWith(QLatin1Char('/')) || path.size() > 4096)
                return invalid(key, QStringLiteral("expects an absolute path"));
            const QByteArray p = QFile::encodeName(path);
            struct stat st {};
            if (p.contains('\0') || ::stat(p.constData(), &st) != 0)
                return invalid(key, QStringLiteral("%1 does not exist").arg(path));
            if (type == QLatin1String("directory") && !S_ISDIR(st.st_mode))
                return invalid(key, QStringLiteral("%1 is not a folder").arg(path));
            if (type != QLatin1String("directory") && !S_ISREG(st.st_mode))
                return invalid(key, QStringLiteral("%1 is not a file").arg(path));
            // env(1) takes a first word with '=' for one more variable.
            if (type == QLatin1String("command") && path.contains(QLatin1Char('=')))
                return invalid(key, QStringLiteral("a program path may not contain '='"));
            if (type == QLatin1String("command") && !executableFor(p, st, r.uid, r.gid, userBytes))
                return Refusal{errors::notExecutable, QStringLiteral("%1: %2 is not executable for %3").arg(key, path, userName)};
            words.insert(key, {p});
        } else if (type == QLatin1String("args")) {
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(v.toUtf8(), &err);
            if (err.error != QJsonParseError::NoError || !doc.isArray())
                return invalid(key, QStringLiteral("expects a JSON array of strings"));
            const QJsonArray a = doc.array();
            if (a.size() > maxListItems)
                return invalid(key, QStringLiteral("at most %1 items").arg(maxListItems));
            QList<QByteArray> list;
            for (const QJsonValue &item : a) {
                if (!item.isString())
                    return invalid(key, QStringLiteral("expects a JSON array of strings"));
                list.push_back(item.toString().toUtf8());
            }
            words.insert(key, list);
        } else if (type == QLatin1String("env")) {
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(v.toUtf8(), &err);
            if (err.error != QJsonParseError::NoError || !doc.isObject())
                return invalid(key, QStringLiteral("expects a JSON object of strings"));
            const QJsonObject o = doc.object();
            if (o.size() > maxListItems)
                return invalid(key, QStringLiteral("at most %1 variables").arg(maxListItems));
            static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,127}$"));
            QList<QByteArray> list;
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (!name.match(it.key()).hasMatch() || !it.value().isString())
                    return invalid(key, QStringLiteral("%1 is not a variable name with a string value").arg(it.key().left(128)));
                list.push_back(shellQuote(it.key().toUtf8() + '=' + it.value().toString().toUtf8()));
            }
            words.insert(key, list);
        }
    }

    auto flag = [&](const char *key) { return words.value(QLatin1String(key)).value(0) == "true"; };
    auto number = [&](const char *key) { return words.value(QLatin1String(key)).value(0, "0").toULongLong(); };

    QList<Word> execWords;
    splitExec(t.exec, execWords);
    QByteArray command;
    for (const Word &w : execWords) {
        if (w.size() == 1 && w.front().placeholder) {
            const ParameterSpec *s = specs.value(w.front().text);
            if (s && s->info.type == QLatin1String("args")) {
                for (const QByteArray &arg : words.value(w.front().text))
                    command += ' ' + shellQuote(arg);
                continue;
            }
            if (s && words.value(w.front().text).isEmpty())
                continue; // an empty optional parameter is no word at all
        }
        QByteArray word;
        for (const Piece &p : w)
            word += p.placeholder ? words.value(p.text).value(0) : p.text.toUtf8();
        command += ' ' + shellQuote(word);
    }

    QByteArray run = "#!/bin/sh\n# Rendered by tazuna-helper from the template " + t.id.toUtf8() + ".\nexec 2>&1\n";
    const QList<QByteArray> dir = words.value(QStringLiteral("directory"));
    if (!dir.isEmpty())
        run += "cd " + shellQuote(dir.front()) + " || exit 111\n";
    run += "exec";
    if (r.uid != 0)
        run += " setuidgid " + shellQuote(userBytes);
    QByteArray limits;
    if (const quint64 m = number("limit-memory"))
        limits += " -m " + QByteArray::number(m);
    if (const quint64 o = number("limit-files"))
        limits += " -o " + QByteArray::number(o);
    if (const quint64 p = number("limit-processes"))
        limits += " -p " + QByteArray::number(p);
    if (!limits.isEmpty())
        run += " softlimit" + limits;
    // Variables are set by env after setuidgid has dropped to the user: exported
    // by the script, they would reach setuidgid itself, which runs as root (think
    // LD_PRELOAD).
    const QList<QByteArray> variables = words.value(QStringLiteral("environment"));
    if (!variables.isEmpty()) {
        run += " /usr/bin/env";
        for (const QByteArray &assignment : variables)
            run += ' ' + assignment;
    }
    run += command + '\n';
    r.run = run;

    r.meta.owner = callerUid;
    r.meta.user = userName;
    r.meta.templateId = t.id;
    r.meta.logSize = static_cast<quint32>(number("log-size"));
    r.meta.logCount = static_cast<quint32>(number("log-count"));
    r.meta.logTimestamps = flag("log-timestamps");
    r.logging = flag("log");
    if (r.logging)
        r.logRun = renderLogRun(r.meta);
    r.startNow = flag("start");
    if (const quint64 b = number("backoff"))
        r.backoff = "max=" + QByteArray::number(b) + '\n';
    return r;
}

} // namespace tz
