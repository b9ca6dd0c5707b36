// Allow and block lists: layout, filters, Add and Remove. Removing many
// entries goes to the engine in parts of 1,000 ids.
// Trust level: local admin's input, sent to the local engine.
#include "pages/spamlistsview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/format.h"
#include "dialogs/spamlistdialog.h"
#include "models/pagedlistmodel.h"

namespace mailroom::console
{

using widgets::PagedListModel;

namespace
{
QString str(const QJsonObject &row, const char *key)
{
    return row.value(QLatin1String(key)).toString();
}

QString scopeText(const QJsonObject &row)
{
    const QString scope = str(row, "scope");
    if (scope == u"global")
        return SpamListsView::tr("Everyone");
    if (scope.startsWith(QLatin1String("domain:")))
        return SpamListsView::tr("Domain %1").arg(scope.mid(7));
    if (scope.startsWith(QLatin1String("user:")))
        return SpamListsView::tr("User %1").arg(scope.mid(5));
    return scope;
}

QString kindText(const QJsonObject &row)
{
    const QString kind = str(row, "kind");
    return kind == u"allow" ? SpamListsView::tr("Allow") : kind == u"block" ? SpamListsView::tr("Block") : kind;
}

QString entries(qint64 n)
{
    return n == 1 ? SpamListsView::tr("1 entry") : SpamListsView::tr("%1 entries").arg(QLocale().toString(n));
}
} // namespace

SpamListsView::SpamListsView(adminclient::AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new PagedListModel(
          { { QStringLiteral("scope"), tr("Applies to"), scopeText }, { QStringLiteral("kind"), tr("Kind"), kindText },
              { QStringLiteral("pattern"), tr("Pattern"), {} }, { QStringLiteral("note"), tr("Note"), {} },
              { QStringLiteral("hits"), tr("Hits"), {} },
              { QStringLiteral("lastHit"), tr("Last hit"),
                  [](const QJsonObject &r) {
                      return str(r, "lastHit").isEmpty() ? tr("never") : widgets::formatTime(str(r, "lastHit"));
                  } },
              { QStringLiteral("created"), tr("Added"),
                  [](const QJsonObject &r) { return widgets::formatTime(str(r, "created")); } } },
          this))
{
    m_model->setFetcher([this](qint64 offset, int limit, auto done, auto fail) {
        QJsonObject p { { QStringLiteral("offset"), offset }, { QStringLiteral("limit"), limit } };
        const QString scope = currentScope();
        if (!scope.isEmpty())
            p.insert(QStringLiteral("scope"), scope);
        if (!m_kind->currentData().toString().isEmpty())
            p.insert(QStringLiteral("kind"), m_kind->currentData().toString());
        if (!m_filter->text().trimmed().isEmpty())
            p.insert(QStringLiteral("filter"), m_filter->text().trimmed());
        m_client.call(QStringLiteral("spam.lists.list"), p, [done, fail](const adminclient::Reply &r) {
            if (!r.ok)
                return fail(tr("The allow and block lists could not be loaded: %1").arg(r.errorMessage));
            done(r.object().value(QStringLiteral("items")).toArray(),
                r.object().value(QStringLiteral("total")).toInteger());
        });
    });
    connect(m_model, &PagedListModel::loadFailed, this, &SpamListsView::problem);
    connect(m_model, &PagedListModel::totalChanged, this, &SpamListsView::updateCount);

    auto *intro = new QLabel(tr("Block entries make mail spam whatever its score; allow entries keep it out of spam. "
                                "An allow entry for an address or domain counts only when SPF or DKIM confirms it."),
        this);
    intro->setObjectName(QStringLiteral("listsIntro"));
    intro->setWordWrap(true);

    m_scope = new QComboBox(this);
    m_scope->setObjectName(QStringLiteral("listsScopeFilter"));
    m_scope->setEditable(true);
    m_scope->setInsertPolicy(QComboBox::NoInsert);
    m_scope->setMinimumContentsLength(22);
    m_scope->setToolTip(tr("Show the entries for everyone, for one domain, or type user:ADDRESS for one user."));
    m_scope->addItem(tr("Everyone and every domain and user"), QString());
    m_scope->addItem(tr("Everyone on this server"), QStringLiteral("global"));
    connect(m_scope, &QComboBox::currentIndexChanged, this, &SpamListsView::reloadList);
    connect(m_scope->lineEdit(), &QLineEdit::editingFinished, this, &SpamListsView::reloadList);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("listsKindFilter"));
    m_kind->addItem(tr("Allow and block"), QString());
    m_kind->addItem(tr("Allow only"), QStringLiteral("allow"));
    m_kind->addItem(tr("Block only"), QStringLiteral("block"));
    connect(m_kind, &QComboBox::currentIndexChanged, this, &SpamListsView::reloadList);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("listsFilter"));
    m_filter->setPlaceholderText(tr("Search patterns and notes"));
    m_filter->setClearButtonEnabled(true);
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(300);
    connect(&m_filterDelay, &QTimer::timeout, this, &SpamListsView::reloadList);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("listsCount"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), this));
    bar->addWidget(m_scope);
    bar->addWidget(m_kind);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("listsTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setResizeContentsPrecision(200);
    m_view->setWordWrap(false);
    connect(m_model, &PagedListModel::pageLoaded, m_view, [this] {
        if (m_model->rowCount() <= 1000)
            m_view->resizeColumnsToContents();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SpamListsView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SpamListsView::updateButtons);

    auto *add = new QPushButton(tr("&Add…"), this);
    add->setObjectName(QStringLiteral("listsAdd"));
    connect(add, &QPushButton::clicked, this, [this] { addEntry(); });
    m_remove = new QPushButton(tr("&Remove…"), this);
    m_remove->setObjectName(QStringLiteral("listsRemove"));
    connect(m_remove, &QPushButton::clicked, this, &SpamListsView::removeSelected);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);

    m_notice = new widgets::Banner(this);
    m_notice->setObjectName(QStringLiteral("listsNotice"));
    connect(m_notice, &widgets::Banner::actionTriggered, m_notice, &widgets::Banner::clear);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_notice);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateButtons();
}

void SpamListsView::reload()
{
    // The domains of the scope filter, then the entries.
    m_client.call(
        QStringLiteral("domains.list"), { { QStringLiteral("limit"), 10000 } }, [this](const adminclient::Reply &r) {
            if (!r.ok)
                return;
            const QSignalBlocker block(m_scope);
            const QString current = m_scope->currentData().toString();
            while (m_scope->count() > 2)
                m_scope->removeItem(2);
            for (const QJsonValue &v : r.object().value(QStringLiteral("items")).toArray()) {
                const QString name = v.toObject().value(QStringLiteral("name")).toString();
                m_scope->addItem(tr("Domain %1").arg(name), QString(QStringLiteral("domain:") + name));
            }
            const int index = m_scope->findData(current);
            m_scope->setCurrentIndex(index >= 0 ? index : 0);
        });
    reloadList();
}

void SpamListsView::reloadList()
{
    m_model->reload();
}

QString SpamListsView::currentScope() const
{
    // A chosen item, or what the admin typed (user:ADDRESS).
    const int i = m_scope->currentIndex();
    if (i >= 0 && m_scope->currentText() == m_scope->itemText(i))
        return m_scope->currentData().toString();
    return m_scope->currentText().trimmed();
}

QStringList SpamListsView::selectedIds() const
{
    QStringList ids;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows()) {
        const QJsonValue id = m_model->rowObject(i.row()).value(QStringLiteral("id"));
        ids << (id.isString() ? id.toString() : QString::number(id.toInteger()));
    }
    return ids;
}

void SpamListsView::updateButtons()
{
    m_remove->setEnabled(m_view->selectionModel()->hasSelection() && !m_batch);
}

void SpamListsView::updateCount()
{
    m_count->setText(entries(m_model->total()));
}

widgets::SpamListDialog *SpamListsView::addEntry()
{
    auto *d = new widgets::SpamListDialog(m_client, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    // Preset the scope from the filter: adding while looking at a domain.
    const QString scope = m_scope->currentData().toString();
    if (scope.startsWith(QLatin1String("domain:"))) {
        d->scopeBox()->setCurrentIndex(d->scopeBox()->findData(QStringLiteral("domain")));
        connect(d, &widgets::SpamListDialog::domainsLoaded, d,
            [d, name = scope.mid(7)] { d->domainBox()->setCurrentText(name); });
    }
    connect(d, &widgets::EditDialog::submitted, this, [this, d] {
        QPointer<widgets::SpamListDialog> guard(d);
        m_client.call(QStringLiteral("spam.lists.add"), d->addParams(), [this, guard](const adminclient::Reply &r) {
            if (!guard)
                return;
            if (!r.ok) {
                guard->setError(tr("The entry was not added: %1").arg(r.errorMessage));
                return;
            }
            m_notice->show(widgets::Banner::Kind::Info,
                tr("Added %1 for %2.")
                    .arg(guard->addParams().value(QStringLiteral("pattern")).toString(), scopeText(guard->addParams())),
                tr("Dismiss"));
            guard->finish();
            reloadList();
            Q_EMIT added();
        });
    });
    d->open();
    return d;
}

void SpamListsView::removeSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty() || m_batch)
        return;
    QString what = entries(ids.size());
    if (ids.size() == 1) {
        const QJsonObject row = m_model->rowObject(m_view->selectionModel()->selectedRows().first().row());
        what = tr("the %1 entry for %2").arg(kindText(row).toLower(), str(row, "pattern"));
    }
    QMessageBox box(QMessageBox::Warning, tr("Please confirm"), tr("Remove %1?").arg(what), QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("listsConfirm"));
    box.setInformativeText(tr("Mail it matched is scored as usual again."));
    box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    if (box.exec() == QMessageBox::Cancel)
        return;
    m_batch = new BatchCall(m_client, QStringLiteral("spam.lists.remove"), QStringLiteral("ids"), ids, {}, 1000, this);
    connect(m_batch, &BatchCall::finished, this, [this](const BatchResult &r) {
        if (!r.error.isEmpty())
            m_notice->show(widgets::Banner::Kind::Error,
                tr("Removing stopped: %1 %2 were removed before that. Select the entries again and retry.")
                    .arg(r.error, entries(r.count(QStringLiteral("removed")))),
                tr("Dismiss"));
        else
            m_notice->show(widgets::Banner::Kind::Info,
                tr("Removed %1.").arg(entries(r.count(QStringLiteral("removed")))), tr("Dismiss"));
        m_batch->deleteLater();
        m_batch = nullptr;
        updateButtons();
        reloadList();
        Q_EMIT removed();
    });
    updateButtons();
    m_batch->start();
}

} // namespace mailroom::console
