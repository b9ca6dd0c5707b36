// Score table editor: every tag the spam filter knows with its points. The
// admin edits points in place (changed rows are marked until applied),
// Apply sends them with spam.scores.set, "Reset to default" gives the
// selected tags back their rule files' points (spam.scores.reset), and a
// search box narrows the table by tag or meaning.
// Trust level: local admin's input, sent to the local engine.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{
class Banner;
class ScoreTableModel;
} // namespace mailroom::widgets

namespace mailroom::console
{

class SpamScoresView : public QWidget
{
    Q_OBJECT
public:
    explicit SpamScoresView(adminclient::AdminClient &client, QWidget *parent = nullptr);

    // Loads the table again; asks first when there are changes not applied.
    void reload();
    void apply();
    void resetSelected(); // asks first
    void discard();

    widgets::ScoreTableModel *model() const
    {
        return m_model;
    }
    QSortFilterProxyModel *proxy() const
    {
        return m_proxy;
    }
    QTableView *view() const
    {
        return m_view;
    }
    QLineEdit *filter() const
    {
        return m_filter;
    }
    widgets::Banner *notice() const
    {
        return m_notice;
    }
    QStringList selectedTags() const;

Q_SIGNALS:
    void problem(const QString &text);
    void loaded();
    void applied(); // spam.scores.set or reset answered (ok or not)

private:
    void load();
    void updateButtons();

    adminclient::AdminClient &m_client;
    widgets::ScoreTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QLabel *m_changes;
    QPushButton *m_apply;
    QPushButton *m_discard;
    QPushButton *m_reset;
    widgets::Banner *m_notice;
    bool m_busy = false;
};

} // namespace mailroom::console
