// Allow and block lists: entries that decide before the score does (a block
// entry makes mail spam, an allow entry keeps it out of spam), for everyone,
// one local domain or one local user. A paged list with filters by scope,
// kind and text, Add (SpamListDialog) and Remove with confirmation.
// Trust level: local admin's input, sent to the local engine.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "pages/batchcall.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{
class Banner;
class PagedListModel;
class SpamListDialog;
} // namespace mailroom::widgets

namespace mailroom::console
{

class SpamListsView : public QWidget
{
    Q_OBJECT
public:
    explicit SpamListsView(adminclient::AdminClient &client, QWidget *parent = nullptr);

    void reload(); // the entries and the scope filter's domains

    widgets::PagedListModel *model() const
    {
        return m_model;
    }
    QTableView *view() const
    {
        return m_view;
    }
    QComboBox *scopeFilter() const
    {
        return m_scope;
    }
    QComboBox *kindFilter() const
    {
        return m_kind;
    }
    widgets::Banner *notice() const
    {
        return m_notice;
    }
    QStringList selectedIds() const;

    // Opens the Add dialog (non-modal); added() follows a successful add.
    widgets::SpamListDialog *addEntry();
    void removeSelected(); // asks first

Q_SIGNALS:
    void problem(const QString &text);
    void added();
    void removed();

private:
    void reloadList();
    QString currentScope() const; // global, domain:NAME, user:ADDRESS or "" for all
    void updateButtons();
    void updateCount();

    adminclient::AdminClient &m_client;
    widgets::PagedListModel *m_model;
    QTableView *m_view = nullptr;
    QComboBox *m_scope = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_remove = nullptr;
    widgets::Banner *m_notice = nullptr;
    QTimer m_filterDelay;
    QPointer<BatchCall> m_batch;
};

} // namespace mailroom::console
