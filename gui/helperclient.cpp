// SPDX-License-Identifier: MIT
// HelperClient: asynchronous calls through the generated proxy and the helper's presence.
#include "helperclient.h"

#include "askingcall.h"
#include "errors.h"
#include "helper1proxy.h"
#include "names.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QDBusPendingCallWatcher>
#include <QDBusServiceWatcher>
#include <QDBusUnixFileDescriptor>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <fcntl.h>
#include <unistd.h>

namespace tz {

HelperClient::HelperClient(const QDBusConnection &bus, QObject *parent)
    : QObject(parent), m_bus(bus),
      m_proxy(new HelperProxy(QString::fromLatin1(tz::bus::service), QString::fromLatin1(tz::bus::path), m_bus, this)),
      m_watcher(new QDBusServiceWatcher(QString::fromLatin1(tz::bus::service), m_bus,
                                        QDBusServiceWatcher::WatchForOwnerChange, this))
{
    registerIpcTypes();
    // Calls can take long: a polkit dialog waits for the user.
    m_proxy->setTimeout(10 * 60 * 1000);
    connect(m_proxy, &HelperProxy::ServiceAdded, this, &HelperClient::serviceAdded);
    connect(m_proxy, &HelperProxy::ServiceChanged, this, &HelperClient::serviceChanged);
    connect(m_proxy, &HelperProxy::ServiceRemoved, this, &HelperClient::serviceRemoved);
    connect(m_proxy, &HelperProxy::ServiceCrashed, this, &HelperClient::serviceCrashed);
    // The bus tells us when the helper comes and goes, so nothing polls for it.
    connect(m_watcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
            [this](const QString &, const QString &, const QString &newOwner) {
                if (newOwner.isEmpty()) {
                    setConnected(false);
                    setPresence(Presence::Lost);
                } else {
                    refresh();
                }
            });
    refresh();
}

HelperClient::~HelperClient() = default;

void HelperClient::setConnected(bool connected)
{
    if (connected)
        setPresence(Presence::Connected);
    if (m_connected == connected)
        return;
    m_connected = connected;
    if (connected) {
        m_everConnected = true;
        readScanDirectory();
    }
    emit connectedChanged(connected);
}

void HelperClient::setPresence(Presence presence)
{
    if (m_presence == presence)
        return;
    m_presence = presence;
    emit presenceChanged(presence);
}

void HelperClient::diagnose()
{
    // Without a bus there is nobody to ask, and nothing to install or start would help.
    if (m_everConnected || !m_bus.isConnected() || !m_bus.interface()) {
        setPresence(Presence::Lost);
        return;
    }
    // The package installs a D-Bus activation file; without it the bus cannot start the helper.
    watch(m_bus.interface()->asyncCall(QStringLiteral("ListActivatableNames")), [this](const QDBusPendingCall &call) {
        if (m_connected)
            return;
        QDBusPendingReply<QStringList> reply = call;
        const bool activatable = !reply.isError() && reply.value().contains(QString::fromLatin1(tz::bus::service));
        setPresence(activatable ? Presence::NotRunning : Presence::NotInstalled);
    });
}

void HelperClient::readScanDirectory()
{
    // The standard Properties interface, asked asynchronously: the generated property
    // getter would block the window on the bus.
    QDBusMessage get = QDBusMessage::createMethodCall(QString::fromLatin1(tz::bus::service), QString::fromLatin1(tz::bus::path),
                                                      QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    get << QString::fromLatin1(tz::bus::interface) << QStringLiteral("ScanDirectory");
    watch(m_bus.asyncCall(get), [this](const QDBusPendingCall &call) {
        QDBusPendingReply<QDBusVariant> reply = call;
        if (reply.isError())
            return;
        const QString path = reply.value().variant().toString();
        if (path != m_scanDirectory) {
            m_scanDirectory = path;
            emit scanDirectoryChanged(path);
        }
    });
}

void HelperClient::watch(const QDBusPendingCall &call, std::function<void(const QDBusPendingCall &)> handler)
{
    auto *w = new QDBusPendingCallWatcher(call, this);
    connect(w, &QDBusPendingCallWatcher::finished, this, [w, handler = std::move(handler)] {
        handler(*w);
        w->deleteLater();
    });
}

void HelperClient::refresh()
{
    // Calling also starts the helper when the bus can activate it.
    watch(m_proxy->ListServices(), [this](const QDBusPendingCall &call) {
        QDBusPendingReply<ServiceInfoList> reply = call;
        if (reply.isError()) {
            setConnected(false);
            diagnose();
            return;
        }
        setConnected(true);
        emit servicesListed(reply.value());
    });
}

void HelperClient::forEach(const QStringList &names, const std::function<QDBusPendingCall(const QString &)> &call, Done done)
{
    if (names.isEmpty()) {
        done({});
        return;
    }
    struct Pending {
        int left;
        CallResult first;
        Done done;
    };
    auto state = std::make_shared<Pending>(Pending{static_cast<int>(names.size()), {}, std::move(done)});
    const auto finished = [state](const QDBusPendingCall &c) {
        if (c.isError() && state->first.ok())
            state->first.error = c.error();
        if (--state->left == 0)
            state->done(state->first);
    };
    // The first call alone: where polkit asks for a password, it asks once. After a
    // password the rest go through on it (auth_admin_keep); after a closed dialog
    // the rest are not sent, since each would open the dialog again.
    watch(call(names.first()), [this, names, call, state, finished](const QDBusPendingCall &c) {
        if (names.size() > 1 && c.isError() && c.error().name() == QLatin1String(errors::cancelled)) {
            state->done(CallResult{c.error()});
            return;
        }
        finished(c);
        for (const QString &n : names.mid(1))
            watch(call(n), finished);
    });
}

void HelperClient::control(const QStringList &names, const QString &command, Done done)
{
    forEach(names, [this, command](const QString &n) { return askingCall(*m_proxy, QStringLiteral("Control"), {n, command}); }, std::move(done));
}

void HelperClient::setLogging(const QStringList &names, bool enabled, Done done)
{
    forEach(names, [this, enabled](const QString &n) { return askingCall(*m_proxy, QStringLiteral("SetLogging"), {n, enabled}); }, std::move(done));
}

void HelperClient::remove(const QStringList &names, bool deleteLogs, Done done)
{
    forEach(names, [this, deleteLogs](const QString &n) { return askingCall(*m_proxy, QStringLiteral("Remove"), {n, deleteLogs}); }, std::move(done));
}

void HelperClient::create(const QString &templateId, const QString &name, const ParameterMap &parameters, Done done)
{
    watch(askingCall(*m_proxy, QStringLiteral("Create"), {templateId, name, QVariant::fromValue(parameters)}), [done = std::move(done)](const QDBusPendingCall &c) {
        done(CallResult{c.isError() ? c.error() : QDBusError()});
    });
}

void HelperClient::render(const QString &templateId, const QString &name, const ParameterMap &parameters,
                          std::function<void(const CallResult &, const QString &, const QString &)> done)
{
    watch(m_proxy->Render(templateId, name, parameters), [done = std::move(done)](const QDBusPendingCall &c) {
        QDBusPendingReply<QString, QString> reply = c;
        if (reply.isError())
            done(CallResult{reply.error()}, {}, {});
        else
            done({}, reply.argumentAt<0>(), reply.argumentAt<1>());
    });
}

void HelperClient::details(const QString &name, std::function<void(const CallResult &, const ServiceDetails &)> done)
{
    watch(m_proxy->GetService(name), [done = std::move(done)](const QDBusPendingCall &c) {
        QDBusPendingReply<ServiceDetails> reply = c;
        done(CallResult{reply.isError() ? reply.error() : QDBusError()}, reply.isError() ? ServiceDetails{} : reply.value());
    });
}

void HelperClient::templates(std::function<void(const CallResult &, const TemplateInfoList &)> done)
{
    watch(m_proxy->ListTemplates(), [done = std::move(done)](const QDBusPendingCall &c) {
        QDBusPendingReply<TemplateInfoList> reply = c;
        done(CallResult{reply.isError() ? reply.error() : QDBusError()}, reply.isError() ? TemplateInfoList{} : reply.value());
    });
}

void HelperClient::logFiles(const QString &name, Ask ask, std::function<void(const CallResult &, const LogFileInfoList &)> done)
{
    const QDBusPendingCall call = ask == Ask::Yes ? askingCall(*m_proxy, QStringLiteral("ListLogs"), {name}) : m_proxy->ListLogs(name);
    watch(call, [done = std::move(done)](const QDBusPendingCall &c) {
        QDBusPendingReply<LogFileInfoList> reply = c;
        done(CallResult{reply.isError() ? reply.error() : QDBusError()}, reply.isError() ? LogFileInfoList{} : reply.value());
    });
}

void HelperClient::openLog(const QString &name, const QString &file, std::function<void(const CallResult &, int fd)> done)
{
    watch(m_proxy->OpenLog(name, file), [done = std::move(done)](const QDBusPendingCall &c) {
        QDBusPendingReply<QDBusUnixFileDescriptor> reply = c;
        if (reply.isError()) {
            done(CallResult{reply.error()}, -1);
            return;
        }
        // The received descriptor closes with the reply; keep a duplicate of our own.
        const int fd = reply.value().isValid() ? ::fcntl(reply.value().fileDescriptor(), F_DUPFD_CLOEXEC, 0) : -1;
        done({}, fd);
    });
}

// The helper lets each caller open maxOpenLogPerSecond files a second (32 by
// default) and refuses the rest with LimitExceeded. A few calls at a time, and a
// pause of a second after a refusal, open any number of files without a storm of
// refused calls; ten pauses in a row with nothing opened end it.
struct HelperClient::OpenAllJob {
    static constexpr int inFlightMax = 8;
    static constexpr int fruitlessPausesMax = 10;
    QString service;
    QList<QPair<QString, int>> opened; // oldest first, current last; fd -1 until opened
    QList<qsizetype> queue;            // indexes into opened still to ask for
    int inFlight = 0;
    int left = 0;
    bool paused = false;
    bool openedSincePause = true;
    int fruitlessPauses = 0;
    CallResult first; // the first refusal, reported when nothing could be opened
    std::function<void(const CallResult &, QList<QPair<QString, int>>)> done;
};

void HelperClient::openAllLogs(const QString &name, Ask ask, std::function<void(const CallResult &, QList<QPair<QString, int>>)> done)
{
    logFiles(name, ask, [this, name, done = std::move(done)](const CallResult &r, const LogFileInfoList &files) {
        if (!r.ok() || files.isEmpty()) {
            done(r, {});
            return;
        }
        QStringList names;
        for (const LogFileInfo &f : files)
            names.append(f.name);
        // Archive names are TAI64N stamps, so their order is their age; current is last.
        std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
            const bool ac = a == QLatin1String("current");
            const bool bc = b == QLatin1String("current");
            return ac != bc ? bc : a < b;
        });
        auto job = std::make_shared<OpenAllJob>();
        job->service = name;
        job->left = static_cast<int>(names.size());
        for (const QString &n : names)
            job->opened.append({n, -1});
        for (qsizetype i = names.size() - 1; i >= 0; --i)
            job->queue.append(i); // newest first
        job->done = done;
        openMoreLogs(job);
    });
}

void HelperClient::openMoreLogs(const std::shared_ptr<OpenAllJob> &job)
{
    while (!job->paused && job->inFlight < OpenAllJob::inFlightMax && !job->queue.isEmpty()) {
        const qsizetype i = job->queue.takeFirst();
        ++job->inFlight;
        openLog(job->service, job->opened[i].first, [this, job, i](const CallResult &res, int fd) {
            --job->inFlight;
            if (res.error.name() == QLatin1String(errors::limitExceeded) && job->fruitlessPauses < OpenAllJob::fruitlessPausesMax) {
                job->queue.prepend(i);
                if (!job->paused) {
                    job->paused = true;
                    job->fruitlessPauses = job->openedSincePause ? 0 : job->fruitlessPauses + 1;
                    job->openedSincePause = false;
                    QTimer::singleShot(1000, this, [this, job] {
                        job->paused = false;
                        openMoreLogs(job);
                    });
                }
                return;
            }
            job->opened[i].second = fd;
            if (fd >= 0)
                job->openedSincePause = true;
            if (!res.ok() && job->first.ok())
                job->first = res;
            if (--job->left > 0) {
                openMoreLogs(job);
                return;
            }
            // An archive multilog deleted meanwhile is simply left out.
            QList<QPair<QString, int>> ok;
            for (const auto &p : job->opened)
                if (p.second >= 0)
                    ok.append(p);
            job->done(ok.isEmpty() ? job->first : CallResult{}, ok);
        });
    }
}

} // namespace tz
