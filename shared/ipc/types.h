// SPDX-License-Identifier: MIT
// The value types the helper and its clients exchange over D-Bus, with their marshalling.
#pragma once

#include <QDBusArgument>
#include <QList>
#include <QMetaType>
#include <QString>

namespace tz {

// One exit of ./run as supervise recorded it in supervise/exits.
// D-Bus signature (xuiixb).
struct ExitInfo {
    qint64 when = 0;       // Unix time of the exit, in milliseconds
    quint32 pid = 0;
    qint32 exitCode = -1;  // -1 when killed by a signal
    qint32 signal = 0;     // 0 when it exited normally
    qint64 ranMs = 0;      // how long it ran
    bool asked = false;    // true when its end was asked for: svc -d, a signal from
                           // svc, or a run under svc -o that exited 0

    // exitCode -1 with signal 0: a process that supervise adopted when it restarted
    // ended, and only its parent, long gone, could have seen how.
    bool statusKnown() const { return exitCode >= 0 || signal != 0; }
    // As the helper counts crashes (tz::ExitRecord::crashed).
    bool crashed() const { return !asked && statusKnown(); }
};

// One row of the service list. D-Bus signature (ssuxsbbsuuss).
struct ServiceInfo {
    QString name;
    QString state;          // "up", "down", "paused", or "" when supervise is not running
    quint32 pid = 0;
    qint64 seconds = 0;     // seconds in the current state
    QString want;           // "up", "down", "once"
    bool normallyUp = true; // no ./down file
    bool logging = false;   // sticky bit set and log/ present
    QString runAs;          // user ./run drops to, "" when unknown
    quint32 ownerUid = 0;   // who created it through the helper (0 = root or unknown)
    quint32 crashes = 0;    // unasked exits in the last minute
    QString backoff;        // "" (off), "armed", or "waiting"
    QString templateId;     // the template it was made from, "" when made by hand
};

// Everything about one service. D-Bus signature ((ssuxsbbsuuss)ssa(xuiixb)).
struct ServiceDetails {
    ServiceInfo info;
    QString runScript;
    QString logRunScript; // "" when there is no log/run
    QList<ExitInfo> exits; // oldest first
};

// One typed parameter of a template. D-Bus signature (ssssbstt).
struct TemplateParameter {
    QString key;
    QString type;         // string, command, file, directory, args, env, uint, bool, user, host
    QString label;
    QString defaultValue;
    bool required = false;
    QString description;
    quint64 minimum = 0;  // inclusive bounds of a uint; 0 and 0 for other types
    quint64 maximum = 0;
};

// A template the helper can create services from. D-Bus signature (sssa(ssssbstt)).
struct TemplateInfo {
    QString id;
    QString title;
    QString description;
    QList<TemplateParameter> parameters;
};

// One file of a service's log directory. D-Bus signature (stxx).
struct LogFileInfo {
    QString name;      // "current" or "@….s" / "@….u"
    quint64 size = 0;
    qint64 firstMs = 0; // Unix ms of the first timestamped line, 0 when unknown
    qint64 lastMs = 0;  // Unix ms of the last timestamped line, 0 when unknown
};

using ServiceInfoList = QList<ServiceInfo>;
using ExitInfoList = QList<ExitInfo>;
using TemplateInfoList = QList<TemplateInfo>;
using TemplateParameterList = QList<TemplateParameter>;
using LogFileInfoList = QList<LogFileInfo>;
using ParameterMap = QMap<QString, QString>;

// Registers every type above with the Qt meta-type system and QtDBus; call once
// before the first connection is used.
void registerIpcTypes();

QDBusArgument &operator<<(QDBusArgument &a, const ExitInfo &v);
const QDBusArgument &operator>>(const QDBusArgument &a, ExitInfo &v);
QDBusArgument &operator<<(QDBusArgument &a, const ServiceInfo &v);
const QDBusArgument &operator>>(const QDBusArgument &a, ServiceInfo &v);
QDBusArgument &operator<<(QDBusArgument &a, const ServiceDetails &v);
const QDBusArgument &operator>>(const QDBusArgument &a, ServiceDetails &v);
QDBusArgument &operator<<(QDBusArgument &a, const TemplateParameter &v);
const QDBusArgument &operator>>(const QDBusArgument &a, TemplateParameter &v);
QDBusArgument &operator<<(QDBusArgument &a, const TemplateInfo &v);
const QDBusArgument &operator>>(const QDBusArgument &a, TemplateInfo &v);
QDBusArgument &operator<<(QDBusArgument &a, const LogFileInfo &v);
const QDBusArgument &operator>>(const QDBusArgument &a, LogFileInfo &v);

} // namespace tz

Q_DECLARE_METATYPE(tz::ExitInfo)
Q_DECLARE_METATYPE(tz::ServiceInfo)
Q_DECLARE_METATYPE(tz::ServiceDetails)
Q_DECLARE_METATYPE(tz::TemplateParameter)
Q_DECLARE_METATYPE(tz::TemplateInfo)
Q_DECLARE_METATYPE(tz::LogFileInfo)
