// SPDX-License-Identifier: MIT
// Service templates: data files with typed parameters, rendered into run and log/run with safe shell quoting.
#pragma once

#include "refusal.h"
#include "servicetree.h"
#include "types.h"

#include <QList>
#include <QMap>
#include <QString>

#include <sys/types.h>

namespace tz {

// One parameter as a template declares it (see helper/templates/README.md for the
// file format), with the bounds its type allows.
struct ParameterSpec {
    TemplateParameter info;
    quint64 min = 0;
    quint64 max = 0xffffffffu;
};

struct Template {
    QString id;
    QString title;
    QString description;
    QString exec; // the command line, with {key} placeholders, see the README
    QList<ParameterSpec> parameters; // its own, then the common ones
};

// Loads every *.template of dir. Returns the problems found (a bad file is skipped).
QStringList loadTemplates(const QString &dir, QList<Template> &out);

// Bounds on what a caller may send, checked before anything else.
inline constexpr int maxParameters = 64;
inline constexpr int maxParameterKey = 64;
inline constexpr int maxParameterValue = 16384;
inline constexpr int maxListItems = 256;

// What a create request renders to, ready to be written.
struct Rendered {
    QByteArray run;
    QByteArray logRun;  // empty when logging is off
    bool logging = false;
    bool startNow = true;
    QByteArray backoff; // content of the backoff file; empty = no backoff
    ServiceMeta meta;
    uid_t uid = 0;      // the run-as user, owner of log/main
    gid_t gid = 0;
};

// Checks every parameter against its type and the system (the user exists, the
// command is executable for that user, folders exist) and renders the scripts.
// callerUid becomes the owner; an empty user defaults to the caller's.
Outcome<Rendered> render(const Template &t, const ParameterMap &parameters, uid_t callerUid);

// Single-quotes text for /bin/sh so that it is one word with exactly this content.
QByteArray shellQuote(const QByteArray &text);
// The log/run script for the given settings (user "root" or empty: no setuidgid).
QByteArray renderLogRun(const ServiceMeta &meta);

} // namespace tz
