// Dialogs stay open while the engine works on the request: OK emits
// submitted(); the page sends the request and either closes the dialog or
// shows the engine's sentence in it, keeping what the admin typed.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QDialogButtonBox;

namespace mailroom::widgets
{

// Shared frame of the console's edit dialogs: an error line and OK/Cancel.
class EditDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EditDialog(QWidget *parent = nullptr);
    void setError(const QString &text); // re-enables the buttons
    void setBusy(bool busy);
    void accept() override; // checks locally, then emits submitted()
    void finish(); // closes as accepted

Q_SIGNALS:
    void submitted();

protected:
    // Returns an empty string when the input can be sent, else what to fix.
    virtual QString check() const
    {
        return {};
    }
    void setBody(QLayout *form);

private:
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

class DomainDialog : public EditDialog
{
    Q_OBJECT
public:
    // Empty name: a new domain; else edits that domain's description.
    DomainDialog(const QString &name, const QString &description, QWidget *parent = nullptr);
    QString name() const;
    QString description() const;

protected:
    QString check() const override;

private:
    QLineEdit *m_name;
    QLineEdit *m_description;
};

} // namespace mailroom::widgets
