// SPDX-License-Identifier: MIT
// ServiceWizard: pages built from the template's typed parameters; refusals land on their page.
#include "wizard.h"

#include "errortext.h"
#include "errors.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QWizardPage>

#include <optional>

#include <pwd.h>
#include <unistd.h>

namespace tz {

namespace {

// Splits an argument line the way a POSIX shell splits words: single quotes keep
// everything literally, double quotes and backslashes escape; nothing is expanded.
// Returns nullopt when a quote is left open.
std::optional<QStringList> splitArguments(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quote == QLatin1Char('\'')) {
            if (c == QLatin1Char('\''))
                quote = QChar();
            else
                word += c;
        } else if (quote == QLatin1Char('"')) {
            if (c == QLatin1Char('"'))
                quote = QChar();
            else if (c == QLatin1Char('\\') && i + 1 < line.size()
                     && QStringLiteral("\"\\$`").contains(line[i + 1]))
                word += line[++i];
            else
                word += c;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            word += line[++i];
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(word);
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (!quote.isNull())
        return std::nullopt;
    if (inWord)
        words.append(word);
    return words;
}

QString currentUser()
{
    if (const passwd *pw = ::getpwuid(::getuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

// Translated labels for the parameters every template has; template-specific ones show the
// helper's label.
QString labelFor(const TemplateParameter &p)
{
    static const QMap<QString, const char *> labels{
        {QStringLiteral("user"), QT_TRANSLATE_NOOP("ServiceWizard", "Run as user")},
        {QStringLiteral("directory"), QT_TRANSLATE_NOOP("ServiceWizard", "Working directory")},
        {QStringLiteral("environment"), QT_TRANSLATE_NOOP("ServiceWizard", "Environment variables")},
        {QStringLiteral("limit-memory"), QT_TRANSLATE_NOOP("ServiceWizard", "Memory limit (bytes, 0 = none)")},
        {QStringLiteral("limit-files"), QT_TRANSLATE_NOOP("ServiceWizard", "Open files limit (0 = none)")},
        {QStringLiteral("limit-processes"), QT_TRANSLATE_NOOP("ServiceWizard", "Process limit (0 = none)")},
        {QStringLiteral("log"), QT_TRANSLATE_NOOP("ServiceWizard", "Keep a log with multilog")},
        {QStringLiteral("log-size"), QT_TRANSLATE_NOOP("ServiceWizard", "Size of each log file (bytes)")},
        {QStringLiteral("log-count"), QT_TRANSLATE_NOOP("ServiceWizard", "Number of log files kept")},
        {QStringLiteral("log-timestamps"), QT_TRANSLATE_NOOP("ServiceWizard", "Stamp each line with the time")},
        {QStringLiteral("start"), QT_TRANSLATE_NOOP("ServiceWizard", "Start the service now")},
        {QStringLiteral("backoff"), QT_TRANSLATE_NOOP("ServiceWizard", "Crash backoff limit (seconds, 0 = off)")},
        {QStringLiteral("command"), QT_TRANSLATE_NOOP("ServiceWizard", "Program")},
        {QStringLiteral("arguments"), QT_TRANSLATE_NOOP("ServiceWizard", "Arguments")},
        {QStringLiteral("interpreter"), QT_TRANSLATE_NOOP("ServiceWizard", "Interpreter")},
        {QStringLiteral("script"), QT_TRANSLATE_NOOP("ServiceWizard", "Script file")},
        {QStringLiteral("interval"), QT_TRANSLATE_NOOP("ServiceWizard", "Interval (seconds)")},
        {QStringLiteral("folder"), QT_TRANSLATE_NOOP("ServiceWizard", "Folder")},
        {QStringLiteral("port"), QT_TRANSLATE_NOOP("ServiceWizard", "Port")},
        {QStringLiteral("bind"), QT_TRANSLATE_NOOP("ServiceWizard", "Listen address")},
        {QStringLiteral("python"), QT_TRANSLATE_NOOP("ServiceWizard", "Python")},
        {QStringLiteral("destination"), QT_TRANSLATE_NOOP("ServiceWizard", "SSH server (user@host)")},
        {QStringLiteral("ssh-port"), QT_TRANSLATE_NOOP("ServiceWizard", "SSH port")},
        {QStringLiteral("local-port"), QT_TRANSLATE_NOOP("ServiceWizard", "Local port")},
        {QStringLiteral("target-host"), QT_TRANSLATE_NOOP("ServiceWizard", "Target host")},
        {QStringLiteral("target-port"), QT_TRANSLATE_NOOP("ServiceWizard", "Target port")}};
    const char *known = labels.value(p.key);
    return known ? QCoreApplication::translate("ServiceWizard", known) : p.label;
}

QString templateTitle(const TemplateInfo &t)
{
    static const QMap<QString, const char *> titles{
        {QStringLiteral("foreground"), QT_TRANSLATE_NOOP("ServiceWizard", "Program in the foreground")},
        {QStringLiteral("script"), QT_TRANSLATE_NOOP("ServiceWizard", "Script run by an interpreter")},
        {QStringLiteral("ssh-tunnel"), QT_TRANSLATE_NOOP("ServiceWizard", "SSH tunnel")},
        {QStringLiteral("web-folder"), QT_TRANSLATE_NOOP("ServiceWizard", "Static web server for a folder")},
        {QStringLiteral("periodic"), QT_TRANSLATE_NOOP("ServiceWizard", "Periodic job")}};
    const char *known = titles.value(t.id);
    return known ? QCoreApplication::translate("ServiceWizard", known) : t.title;
}

QString templateDescription(const TemplateInfo &t)
{
    static const QMap<QString, const char *> texts{
        {QStringLiteral("foreground"), QT_TRANSLATE_NOOP("ServiceWizard", "Runs one program with its arguments. The program must stay in the foreground, as daemontools expects.")},
        {QStringLiteral("script"), QT_TRANSLATE_NOOP("ServiceWizard", "Runs a script file with an interpreter, for example python3 /home/me/bot.py.")},
        {QStringLiteral("ssh-tunnel"), QT_TRANSLATE_NOOP("ServiceWizard", "Forwards a local port through an SSH server (ssh -N -L). Needs key authentication.")},
        {QStringLiteral("web-folder"), QT_TRANSLATE_NOOP("ServiceWizard", "Serves the files of one folder over HTTP with python3 -m http.server.")},
        {QStringLiteral("periodic"), QT_TRANSLATE_NOOP("ServiceWizard", "Runs a command, waits, and runs it again, like a small cron job; failures are logged.")}};
    const char *known = texts.value(t.id);
    return known ? QCoreApplication::translate("ServiceWizard", known) : t.description;
}

} // namespace

// A page of parameter fields; which keys it holds is decided by a predicate over the
// template's parameters, so every template gets the same page layout.
class ParameterPage : public QWizardPage {
    Q_DECLARE_TR_FUNCTIONS(ServiceWizard)
public:
    struct Field {
        TemplateParameter spec;
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
    };

    ParameterPage(std::function<bool(const TemplateParameter &)> holds, bool withName)
        : m_holds(std::move(holds)), m_withName(withName)
    {
        m_form = new QFormLayout(this);
        m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    }

    void build(const TemplateInfo &t)
    {
        if (t.id == m_builtFor)
            return;
        m_builtFor = t.id;
        while (m_form->rowCount() > 0)
            m_form->removeRow(0);
        m_fields.clear();
        if (m_withName) {
            TemplateParameter name;
            name.key = QStringLiteral("name");
            name.type = QStringLiteral("name");
            name.required = true;
            addField(name, tr("Service name"));
        }
        for (const TemplateParameter &p : t.parameters)
            if (m_holds(p))
                addField(p, labelFor(p));
    }

    bool holds(const QString &key) const { return m_fields.contains(key); }

    // The rows of an environment table that name a variable, in order.
    static QList<QPair<QString, QString>> environment(const QTableWidget *table)
    {
        QList<QPair<QString, QString>> rows;
        for (int r = 0; r < table->rowCount(); ++r) {
            const QString name = table->item(r, 0) ? table->item(r, 0)->text().trimmed() : QString();
            if (!name.isEmpty())
                rows.append({name, table->item(r, 1) ? table->item(r, 1)->text() : QString()});
        }
        return rows;
    }

    // The value as the review page shows it: in words, as it was entered, rather
    // than in the form sent to the helper (true/false, JSON).
    QString displayValue(const QString &key) const
    {
        const Field &f = m_fields[key];
        if (auto *box = qobject_cast<QCheckBox *>(f.editor))
            return box->isChecked() ? tr("yes") : tr("no");
        if (auto *table = qobject_cast<QTableWidget *>(f.editor)) {
            QStringList pairs;
            for (const auto &[name, v] : environment(table))
                pairs << name + QLatin1Char('=') + v;
            return pairs.join(QStringLiteral(", "));
        }
        return f.editor->findChild<QLineEdit *>()->text().trimmed();
    }

    QString value(const QString &key) const
    {
        const Field &f = m_fields[key];
        if (auto *box = qobject_cast<QCheckBox *>(f.editor))
            return box->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
        if (auto *table = qobject_cast<QTableWidget *>(f.editor)) {
            QJsonObject env;
            for (const auto &[name, v] : environment(table))
                env.insert(name, v);
            return env.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(env).toJson(QJsonDocument::Compact));
        }
        const QString text = f.editor->findChild<QLineEdit *>()->text();
        if (f.spec.type == QLatin1String("args")) {
            if (text.trimmed().isEmpty())
                return {};
            const auto words = splitArguments(text);
            if (!words)
                return {};
            QJsonArray args;
            for (const QString &a : *words)
                args.append(a);
            return QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact));
        }
        return text.trimmed();
    }

    bool setValue(const QString &key, const QString &value)
    {
        if (!m_fields.contains(key))
            return false;
        Field &f = m_fields[key];
        if (auto *box = qobject_cast<QCheckBox *>(f.editor)) {
            box->setChecked(value == QLatin1String("true"));
        } else if (auto *table = qobject_cast<QTableWidget *>(f.editor)) {
            const QJsonObject env = QJsonDocument::fromJson(value.toUtf8()).object();
            table->setRowCount(0);
            for (auto it = env.begin(); it != env.end(); ++it) {
                const int r = table->rowCount();
                table->insertRow(r);
                table->setItem(r, 0, new QTableWidgetItem(it.key()));
                table->setItem(r, 1, new QTableWidgetItem(it.value().toString()));
            }
            table->insertRow(table->rowCount());
        } else {
            f.editor->findChild<QLineEdit *>()->setText(value);
        }
        return true;
    }

    QString defaultOf(const QString &key) const { return m_fields[key].spec.defaultValue; }
    QStringList keys() const { return m_fields.keys(); }
    QString label(const QString &key) const { return key == QLatin1String("name") ? tr("Service name") : labelFor(m_fields[key].spec); }

    void setError(const QString &key, const QString &text)
    {
        if (!m_fields.contains(key))
            return;
        QLabel *l = m_fields[key].error;
        l->setText(text);
        l->setVisible(!text.isEmpty());
    }
    QString error(const QString &key) const
    {
        return m_fields.contains(key) && !m_fields[key].error->isHidden() ? m_fields[key].error->text() : QString();
    }

    // Inline checks: what the helper would refuse anyway, said before the user gets there.
    QString check(const Field &f) const
    {
        const QString v = value(f.spec.key);
        if (f.spec.required && v.isEmpty())
            return tr("This field is required.");
        if (v.isEmpty())
            return {};
        const QString &type = f.spec.type;
        if (type == QLatin1String("name")) {
            // The helper's rule for a new name (checkNewServiceName), kept to 64 here.
            static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_@+][A-Za-z0-9._@+-]{0,63}$"));
            if (!re.match(v).hasMatch())
                return tr("Use up to 64 letters, digits, '.', '-', '_', '@' or '+', not starting with '.' or '-'.");
        } else if (type == QLatin1String("uint")) {
            bool ok = false;
            const quint64 n = v.toULongLong(&ok);
            if (!ok)
                return tr("Enter a whole number.");
            // The helper's own bounds, sent with the template; 0 and 0 means none given.
            const quint64 lo = f.spec.minimum;
            const quint64 hi = f.spec.maximum;
            if ((lo != 0 || hi != 0) && (n < lo || n > hi))
                return tr("Enter a number from %1 to %2.").arg(QLocale().toString(lo), QLocale().toString(hi));
        } else if (type == QLatin1String("command") || type == QLatin1String("file")) {
            if (v.startsWith(QLatin1Char('/'))) {
                const QFileInfo fi(v);
                if (!fi.exists())
                    return tr("There is no such file.");
                if (type == QLatin1String("command") && !fi.isExecutable())
                    return tr("This file is not executable.");
            } else if (type == QLatin1String("file")) {
                return tr("Give the full path, starting with '/'.");
            }
        } else if (type == QLatin1String("directory")) {
            if (!v.startsWith(QLatin1Char('/')))
                return tr("Give the full path, starting with '/'.");
            if (!QFileInfo(v).isDir())
                return tr("There is no such folder.");
        } else if (type == QLatin1String("args")) {
            if (v.isEmpty() && !f.editor->findChild<QLineEdit *>()->text().trimmed().isEmpty())
                return tr("Check the quotes.");
        } else if (type == QLatin1String("user")) {
            if (!::getpwnam(v.toLocal8Bit().constData()))
                return tr("There is no user with this name.");
        }
        return {};
    }

    bool isComplete() const override
    {
        for (const Field &f : m_fields)
            if (!check(f).isEmpty())
                return false;
        return true;
    }

    void refreshErrors()
    {
        for (const Field &f : m_fields) {
            const QString e = check(f);
            f.error->setText(e);
            f.error->setVisible(!e.isEmpty());
        }
        emit completeChanged();
    }

private:
    void addField(const TemplateParameter &p, const QString &label)
    {
        Field f;
        f.spec = p;
        QWidget *editor = nullptr;
        if (p.type == QLatin1String("bool")) {
            auto *box = new QCheckBox;
            box->setChecked(p.defaultValue == QLatin1String("true"));
            connect(box, &QCheckBox::toggled, this, [this] { refreshErrors(); });
            editor = box;
        } else if (p.type == QLatin1String("env")) {
            auto *table = new QTableWidget(1, 2);
            table->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
            table->horizontalHeader()->setStretchLastSection(true);
            table->verticalHeader()->hide();
            table->setMinimumHeight(110);
            // A new empty row appears as soon as the last one is used.
            connect(table, &QTableWidget::itemChanged, this, [table] {
                const int last = table->rowCount() - 1;
                if (table->item(last, 0) && !table->item(last, 0)->text().isEmpty())
                    table->insertRow(table->rowCount());
            });
            editor = table;
        } else {
            editor = new QWidget;
            auto *row = new QHBoxLayout(editor);
            row->setContentsMargins(0, 0, 0, 0);
            auto *edit = new QLineEdit;
            if (p.type == QLatin1String("user"))
                edit->setText(currentUser());
            else if (p.type != QLatin1String("args"))
                edit->setText(p.defaultValue);
            if (!p.description.isEmpty())
                edit->setToolTip(p.description);
            if (p.type == QLatin1String("args"))
                edit->setPlaceholderText(tr("e.g. --port 8080 \"a b\""));
            if (p.type == QLatin1String("directory") && !p.required)
                edit->setPlaceholderText(tr("empty: the service directory"));
            row->addWidget(edit, 1);
            connect(edit, &QLineEdit::textChanged, this, [this] { refreshErrors(); });
            if (p.type == QLatin1String("command") || p.type == QLatin1String("file") || p.type == QLatin1String("directory")) {
                auto *browse = new QPushButton(tr("Choose…"));
                const bool dir = p.type == QLatin1String("directory");
                connect(browse, &QPushButton::clicked, this, [this, edit, dir] {
                    const QString chosen = dir ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), edit->text())
                                               : QFileDialog::getOpenFileName(this, tr("Choose a file"), edit->text());
                    if (!chosen.isEmpty())
                        edit->setText(chosen);
                });
                row->addWidget(browse);
            }
        }
        f.editor = editor;
        f.error = new QLabel;
        f.error->setStyleSheet(QStringLiteral("color: #b3261e;"));
        f.error->setWordWrap(true);
        f.error->hide();
        auto *cell = new QWidget;
        auto *v = new QVBoxLayout(cell);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        v->addWidget(editor);
        v->addWidget(f.error);
        m_form->addRow(label + (p.required ? QStringLiteral(" *") : QString()), cell);
        m_fields.insert(p.key, f);
    }

    std::function<bool(const TemplateParameter &)> m_holds;
    bool m_withName;
    QString m_builtFor;
    QFormLayout *m_form;
    QMap<QString, Field> m_fields;
};

namespace {
bool isEnvironmentKey(const QString &k)
{
    return k == QLatin1String("environment") || k.startsWith(QLatin1String("limit-")) || k == QLatin1String("backoff");
}
bool isLoggingKey(const QString &k)
{
    return k == QLatin1String("log") || k.startsWith(QLatin1String("log-")) || k == QLatin1String("start");
}
} // namespace

ServiceWizard::ServiceWizard(HelperClient *client, QWidget *parent) : QWizard(parent), m_client(client)
{
    setWindowTitle(tr("New service"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage, false);

    auto *templatePage = new QWizardPage;
    templatePage->setTitle(tr("What should the service run?"));
    templatePage->setSubTitle(tr("Choose a template. Every service is a directory with a run script that supervise keeps running."));
    m_templateList = new QListWidget;
    m_templateHelp = new QLabel;
    m_templateHelp->setWordWrap(true);
    auto *tl = new QVBoxLayout(templatePage);
    tl->addWidget(m_templateList, 1);
    tl->addWidget(m_templateHelp);
    setPage(TemplatePageId, templatePage);

    auto *program = new ParameterPage([](const TemplateParameter &p) { return !isEnvironmentKey(p.key) && !isLoggingKey(p.key); }, true);
    program->setTitle(tr("Program"));
    program->setSubTitle(tr("Name the service and say what it runs and as whom. Fields marked * are required."));
    auto *environment = new ParameterPage([](const TemplateParameter &p) { return isEnvironmentKey(p.key); }, false);
    environment->setTitle(tr("Environment and limits"));
    environment->setSubTitle(tr("Variables the program sees, the resources it may use (softlimit), and how long to wait between restarts when it keeps crashing."));
    auto *logging = new ParameterPage([](const TemplateParameter &p) { return isLoggingKey(p.key); }, false);
    logging->setTitle(tr("Logging and start"));
    logging->setSubTitle(tr("multilog keeps the output in log/main, rotating it by size, so the disk never fills up."));
    m_paramPages = {program, environment, logging};
    setPage(ProgramPageId, program);
    setPage(EnvironmentPageId, environment);
    setPage(LoggingPageId, logging);

    auto *review = new QWizardPage;
    review->setTitle(tr("Review"));
    review->setSubTitle(tr("These are the exact scripts the helper will write into the service directory. Press Create to make the service."));
    auto makeText = [] {
        auto *t = new QPlainTextEdit;
        t->setReadOnly(true);
        t->setLineWrapMode(QPlainTextEdit::NoWrap);
        t->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        return t;
    };
    m_review = makeText();
    m_runView = makeText();
    m_logRunView = makeText();
    m_reviewTabs = new QTabWidget;
    m_reviewTabs->addTab(m_runView, tr("run"));
    m_reviewTabs->addTab(m_logRunView, tr("log/run"));
    m_reviewTabs->addTab(m_review, tr("Settings"));
    m_reviewError = new QLabel;
    m_reviewError->setWordWrap(true);
    m_reviewError->setStyleSheet(QStringLiteral("color: #b3261e;"));
    auto *rl = new QVBoxLayout(review);
    rl->addWidget(m_reviewTabs, 1);
    rl->addWidget(m_reviewError);
    review->setCommitPage(false);
    review->setButtonText(QWizard::FinishButton, tr("Create"));
    setPage(ReviewPageId, review);
    setButtonText(QWizard::FinishButton, tr("Create"));

    connect(m_templateList, &QListWidget::currentRowChanged, this, [this](int row) {
        m_templateHelp->setText(row >= 0 && row < m_templates.size() ? templateDescription(m_templates[row]) : QString());
    });
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == ProgramPageId || id == EnvironmentPageId || id == LoggingPageId) {
            auto *page = m_paramPages[id - ProgramPageId];
            page->build(currentTemplate());
            page->refreshErrors();
        }
        if (id == ReviewPageId) {
            m_review->setPlainText(summary());
            m_reviewError->clear();
            renderScripts();
        }
    });
    m_templateList->addItem(tr("Loading templates…"));
    if (m_client) {
        m_client->templates([this](const CallResult &r, const TemplateInfoList &list) {
            if (!r.ok()) {
                m_templateList->clear();
                m_templateHelp->setText(ErrorText::describe(r.error));
                return;
            }
            setTemplates(list);
        });
    }
    resize(760, 560);
}

void ServiceWizard::setTemplates(const TemplateInfoList &templates)
{
    m_templates = templates;
    m_templateList->clear();
    for (const TemplateInfo &t : templates)
        m_templateList->addItem(templateTitle(t));
    if (!templates.isEmpty())
        m_templateList->setCurrentRow(0);
}

void ServiceWizard::selectTemplate(const QString &id)
{
    for (qsizetype i = 0; i < m_templates.size(); ++i)
        if (m_templates[i].id == id)
            m_templateList->setCurrentRow(static_cast<int>(i));
    for (ParameterPage *p : m_paramPages)
        p->build(currentTemplate());
}

TemplateInfo ServiceWizard::currentTemplate() const
{
    const int row = m_templateList->currentRow();
    return row >= 0 && row < m_templates.size() ? m_templates[row] : TemplateInfo{};
}

QString ServiceWizard::serviceName() const
{
    return m_paramPages[0]->holds(QStringLiteral("name")) ? m_paramPages[0]->value(QStringLiteral("name")) : QString();
}

ParameterMap ServiceWizard::parameters() const
{
    ParameterMap out;
    for (ParameterPage *page : m_paramPages)
        for (const QString &key : page->keys()) {
            if (key == QLatin1String("name"))
                continue;
            const QString v = page->value(key);
            if (!v.isEmpty() || !page->defaultOf(key).isEmpty())
                out.insert(key, v);
        }
    return out;
}

bool ServiceWizard::setValue(const QString &key, const QString &value)
{
    for (ParameterPage *page : m_paramPages) {
        page->build(currentTemplate());
        if (page->setValue(key, value)) {
            page->refreshErrors();
            return true;
        }
    }
    return false;
}

QString ServiceWizard::errorOf(const QString &key) const
{
    for (ParameterPage *page : m_paramPages)
        if (page->holds(key))
            return page->error(key);
    return {};
}

QString ServiceWizard::summary() const
{
    const TemplateInfo t = currentTemplate();
    QString s = tr("Service:   %1").arg(serviceName()) + QLatin1Char('\n');
    s += tr("Template:  %1").arg(templateTitle(t)) + QStringLiteral("\n\n");
    for (ParameterPage *page : m_paramPages)
        for (const QString &key : page->keys()) {
            if (key == QLatin1String("name"))
                continue;
            const QString v = page->displayValue(key);
            s += QStringLiteral("%1: %2\n").arg(page->label(key), v.isEmpty() ? tr("(default)") : v);
        }
    return s;
}

void ServiceWizard::renderScripts()
{
    const quint64 request = ++m_renderRequest;
    m_rendered = false;
    m_renderedRun.clear();
    m_renderedLogRun.clear();
    m_runView->setPlainText(tr("Asking the helper for the scripts…"));
    m_logRunView->clear();
    m_reviewTabs->setCurrentWidget(m_runView);
    if (!m_client)
        return;
    m_client->render(currentTemplate().id, serviceName(), parameters(),
                     [this, request](const CallResult &r, const QString &run, const QString &logRun) {
                         if (request != m_renderRequest || currentId() != ReviewPageId)
                             return;
                         if (!r.ok()) {
                             m_runView->clear();
                             showRefusal(r.error);
                             return;
                         }
                         m_rendered = true;
                         m_renderedRun = run;
                         m_renderedLogRun = logRun;
                         m_runView->setPlainText(run);
                         m_logRunView->setPlainText(logRun.isEmpty() ? tr("(no log/run: logging is off, so the output is not kept)") : logRun);
                         emit scriptsRendered();
                     });
}

bool ServiceWizard::validateCurrentPage()
{
    if (currentId() == TemplatePageId && currentTemplate().id.isEmpty())
        return false;
    if (currentId() != ReviewPageId)
        return QWizard::validateCurrentPage();
    if (m_created)
        return true;
    create();
    return false;
}

void ServiceWizard::create()
{
    if (m_creating || !m_client)
        return;
    m_creating = true;
    m_createError.clear();
    m_reviewError->setText(tr("Creating…"));
    button(QWizard::FinishButton)->setEnabled(false);
    const QString name = serviceName();
    m_client->create(currentTemplate().id, name, parameters(), [this, name](const CallResult &r) {
        m_creating = false;
        button(QWizard::FinishButton)->setEnabled(true);
        if (!r.ok()) {
            showRefusal(r.error);
            return;
        }
        m_created = true;
        emit created(name);
        accept();
    });
}

void ServiceWizard::showRefusal(const QDBusError &error)
{
    const QString text = ErrorText::describe(error);
    m_createError = text;
    // The helper's own words stay within reach for a bug report, not in the sentence.
    m_reviewError->setToolTip(error.message());
    QString key = ErrorText::parameterOf(error);
    if (error.name() == QLatin1String(errors::alreadyExists) || error.name() == QLatin1String(errors::invalidName))
        key = QStringLiteral("name");
    else if (error.name() == QLatin1String(errors::noSuchUser))
        key = QStringLiteral("user");
    else if (error.name() == QLatin1String(errors::notExecutable) && key.isEmpty())
        key = QStringLiteral("command"); // the helper names the field; "command" in most templates
    for (qsizetype i = 0; i < m_paramPages.size(); ++i) {
        if (!key.isEmpty() && m_paramPages[i]->holds(key)) {
            // Back to the page that can fix it, with the sentence under the field.
            const int target = ProgramPageId + static_cast<int>(i);
            while (currentId() > target)
                back();
            m_paramPages[i]->setError(key, ErrorText::describeForField(error));
            return;
        }
    }
    m_reviewError->setText(text);
}

} // namespace tz
