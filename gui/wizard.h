// SPDX-License-Identifier: MIT
// The new-service wizard: template, parameters with inline checks, review, create.
#pragma once

#include "helperclient.h"

#include <QMap>
#include <QWizard>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;

namespace tz {

class ParameterPage;

class ServiceWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { TemplatePageId, ProgramPageId, EnvironmentPageId, LoggingPageId, ReviewPageId };

    explicit ServiceWizard(HelperClient *client, QWidget *parent = nullptr);

    // Filled from the helper on construction; tests may set them directly.
    void setTemplates(const TemplateInfoList &templates);
    TemplateInfo currentTemplate() const;
    QString serviceName() const;
    ParameterMap parameters() const;
    // Sets one field by parameter key ("name" is the service name).
    bool setValue(const QString &key, const QString &value);
    QString errorOf(const QString &key) const;
    void selectTemplate(const QString &id);

    // What will be created, as the review page shows it.
    QString summary() const;
    QString createError() const { return m_createError; }
    // The scripts the helper rendered for the review page; empty until it answered.
    bool scriptsReady() const { return m_rendered; }
    QString renderedRun() const { return m_renderedRun; }
    QString renderedLogRun() const { return m_renderedLogRun; }

    bool validateCurrentPage() override;

signals:
    void created(const QString &name);
    void scriptsRendered();

private:
    void create();
    void renderScripts();
    void showRefusal(const QDBusError &error);

    HelperClient *m_client;
    TemplateInfoList m_templates;
    QListWidget *m_templateList;
    QLabel *m_templateHelp;
    QList<ParameterPage *> m_paramPages;
    QPlainTextEdit *m_review;
    QPlainTextEdit *m_runView;
    QPlainTextEdit *m_logRunView;
    QTabWidget *m_reviewTabs;
    quint64 m_renderRequest = 0;
    bool m_rendered = false;
    QString m_renderedRun;
    QString m_renderedLogRun;
    QLabel *m_reviewError;
    bool m_creating = false;
    bool m_created = false;
    QString m_createError;
};

} // namespace tz
