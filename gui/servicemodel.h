// SPDX-License-Identifier: MIT
// The live service table: rows updated in place from the helper's signals.
#pragma once

#include "types.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QTimer>

namespace tz {

class ServiceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, StateColumn, PidColumn, TimeColumn, UserColumn, LoggingColumn, CrashesColumn, BackoffColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, HealthRole, SortRole };
    enum class Health { Up, Down, Paused, Expected, Crashing, Unsupervised };

    explicit ServiceModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // A full listing: rows are matched by name, so unchanged ones keep their selection.
    void setServices(const ServiceInfoList &services);
    void upsert(const ServiceInfo &info);
    void removeService(const QString &name);

    int rowOf(const QString &name) const;
    const ServiceInfo &service(int row) const { return m_rows.at(row).info; }
    QStringList names() const;
    static Health health(const ServiceInfo &info);
    static QString stateText(const ServiceInfo &info);
    // "3 s", "5 min", "2 h 10 min", "4 d", translated.
    static QString durationText(qint64 seconds);
    qint64 secondsInState(int row) const;

signals:
    void healthChanged();

private:
    struct Row {
        ServiceInfo info;
        qint64 receivedAt = 0; // ms on m_clock when info.seconds was current
    };
    void tick();

    QList<Row> m_rows;
    QElapsedTimer m_clock;
    QTimer m_ticker;
};

} // namespace tz
