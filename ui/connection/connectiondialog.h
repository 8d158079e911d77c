#pragma once

#include "app/profiles.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QLabel;
class QDialogButtonBox;

namespace rcrt::ui {

// Choose, edit and save connection profiles (issue 3 item 1): URL and one of dev mode, a pasted
// token, or minting with owner/agent ids and roles; for https, certificate verification (on
// unless turned off, with a warning) and an extra CA file. Accepting returns the chosen profile with
// its token; the dialog saves profiles itself (tokens to the SecretStore, never QSettings).
class ConnectionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionDialog)

public:
    ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, QWidget *parent = nullptr);

    void selectProfile(const QString &name);
    ConnectionProfile profile() const; // what the form shows, token included
    // Problems that make the form unusable ("" when it can connect).
    QString validationError() const;
    // Saves the profile and closes, unless the form has a problem (then it says which).
    void accept() override;

private:
    void loadProfile(const QString &name);
    void updateAuthFields();
    void updateTlsWarning();
    void chooseCaFile();
    void save();
    void removeProfile();

    ProfileStore &m_profiles;
    SecretStore &m_secrets;
    QComboBox *m_profileBox = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QRadioButton *m_dev = nullptr;
    QRadioButton *m_token = nullptr;
    QRadioButton *m_mint = nullptr;
    QLineEdit *m_tokenEdit = nullptr;
    QLineEdit *m_owner = nullptr;
    QLineEdit *m_agent = nullptr;
    QLineEdit *m_roles = nullptr;
    QSpinBox *m_history = nullptr;
    QCheckBox *m_verifyTls = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLabel *m_tlsWarning = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace rcrt::ui
