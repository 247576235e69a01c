// SPDX-License-Identifier: MIT
// Marshalling of the D-Bus value types; the field order here is the wire order.
#include "types.h"

#include <QDBusMetaType>

namespace tz {

void registerIpcTypes()
{
    qDBusRegisterMetaType<ExitInfo>();
    qDBusRegisterMetaType<ExitInfoList>();
    qDBusRegisterMetaType<ServiceInfo>();
    qDBusRegisterMetaType<ServiceInfoList>();
    qDBusRegisterMetaType<ServiceDetails>();
    qDBusRegisterMetaType<TemplateParameter>();
    qDBusRegisterMetaType<TemplateParameterList>();
    qDBusRegisterMetaType<TemplateInfo>();
    qDBusRegisterMetaType<TemplateInfoList>();
    qDBusRegisterMetaType<LogFileInfo>();
    qDBusRegisterMetaType<LogFileInfoList>();
    qDBusRegisterMetaType<ParameterMap>();
    // Generated adaptors name the typedefs in their slot signatures; QtDBus looks
    // the argument types up by those names.
    qRegisterMetaType<ParameterMap>("tz::ParameterMap");
    qRegisterMetaType<ServiceInfoList>("tz::ServiceInfoList");
    qRegisterMetaType<ExitInfoList>("tz::ExitInfoList");
    qRegisterMetaType<TemplateInfoList>("tz::TemplateInfoList");
    qRegisterMetaType<TemplateParameterList>("tz::TemplateParameterList");
    qRegisterMetaType<LogFileInfoList>("tz::LogFileInfoList");
}

QDBusArgument &operator<<(QDBusArgument &a, const ExitInfo &v)
{
    a.beginStructure();
    a << v.when << v.pid << v.exitCode << v.signal << v.ranMs << v.asked;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, ExitInfo &v)
{
    a.beginStructure();
    a >> v.when >> v.pid >> v.exitCode >> v.signal >> v.ranMs >> v.asked;
    a.endStructure();
    return a;
}

QDBusArgument &operator<<(QDBusArgument &a, const ServiceInfo &v)
{
    a.beginStructure();
    a << v.name << v.state << v.pid << v.seconds << v.want << v.normallyUp << v.logging << v.runAs
      << v.ownerUid << v.crashes << v.backoff << v.templateId;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, ServiceInfo &v)
{
    a.beginStructure();
    a >> v.name >> v.state >> v.pid >> v.seconds >> v.want >> v.normallyUp >> v.logging >> v.runAs
        >> v.ownerUid >> v.crashes >> v.backoff >> v.templateId;
    a.endStructure();
    return a;
}

QDBusArgument &operator<<(QDBusArgument &a, const ServiceDetails &v)
{
    a.beginStructure();
    a << v.info << v.runScript << v.logRunScript << v.exits;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, ServiceDetails &v)
{
    a.beginStructure();
    a >> v.info >> v.runScript >> v.logRunScript >> v.exits;
    a.endStructure();
    return a;
}

QDBusArgument &operator<<(QDBusArgument &a, const TemplateParameter &v)
{
    a.beginStructure();
    a << v.key << v.type << v.label << v.defaultValue << v.required << v.description << v.minimum << v.maximum;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, TemplateParameter &v)
{
    a.beginStructure();
    a >> v.key >> v.type >> v.label >> v.defaultValue >> v.required >> v.description >> v.minimum >> v.maximum;
    a.endStructure();
    return a;
}

QDBusArgument &operator<<(QDBusArgument &a, const TemplateInfo &v)
{
    a.beginStructure();
    a << v.id << v.title << v.description << v.parameters;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, TemplateInfo &v)
{
    a.beginStructure();
    a >> v.id >> v.title >> v.description >> v.parameters;
    a.endStructure();
    return a;
}

QDBusArgument &operator<<(QDBusArgument &a, const LogFileInfo &v)
{
    a.beginStructure();
    a << v.name << v.size << v.firstMs << v.lastMs;
    a.endStructure();
    return a;
}

const QDBusArgument &operator>>(const QDBusArgument &a, LogFileInfo &v)
{
    a.beginStructure();
    a >> v.name >> v.size >> v.firstMs >> v.lastMs;
    a.endStructure();
    return a;
}

} // namespace tz
