#include "ui/connection/connectiondialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QUuid>
#include <QVBoxLayout>

namespace rcrt::ui {

ConnectionDialog::ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_secrets(secrets)
{
    setWindowTitle(tr("Connect to an RCRT server"));
    m_profileBox = new QComboBox(this);
    m_profileBox->addItem(tr("(new profile)"));
    m_profileBox->addItems(m_profiles.names());
    m_name = new QLineEdit(this);
    m_url = new QLineEdit(QStringLiteral("http://127.0.0.1:8081"), this);
    m_dev = new QRadioButton(tr("&Dev mode (server AUTH_MODE=disabled)"), this);
    m_token = new QRadioButton(tr("&Token"), this);
    m_mint = new QRadioButton(tr("&Mint tokens (POST /auth/token)"), this);
    m_dev->setChecked(true);
    m_tokenEdit = new QLineEdit(this);
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_tokenEdit->setPlaceholderText(tr("paste a JWT; kept in the keychain or a private file"));
    m_owner = new QLineEdit(QStringLiteral("00000000-0000-0000-0000-000000000001"), this);
    m_agent = new QLineEdit(this);
    m_agent->setPlaceholderText(tr("agent UUID for this console"));
    m_roles = new QLineEdit(this);
    m_roles->setPlaceholderText(tr("curator,emitter,subscriber (server default)"));
    m_history = new QSpinBox(this);
    m_history->setRange(0, 100000);
    m_history->setValue(1000);
    m_history->setSuffix(tr(" breadcrumbs"));
    // Names for tests and accessibility tools.
    m_name->setObjectName(QStringLiteral("name"));
    m_url->setObjectName(QStringLiteral("url"));
    m_tokenEdit->setObjectName(QStringLiteral("token"));
    m_owner->setObjectName(QStringLiteral("owner"));
    m_agent->setObjectName(QStringLiteral("agent"));
    m_roles->setObjectName(QStringLiteral("roles"));
    m_dev->setObjectName(QStringLiteral("authDev"));
    m_token->setObjectName(QStringLiteral("authToken"));
    m_mint->setObjectName(QStringLiteral("authMint"));
    m_verifyTls = new QCheckBox(tr("&Verify the server's certificate (https)"), this);
    m_verifyTls->setChecked(true);
    m_verifyTls->setObjectName(QStringLiteral("verifyTls"));
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("system CAs only; or a PEM file of a private CA"));
    auto *browseCa = new QPushButton(tr("&Browse…"), this);
    browseCa->setObjectName(QStringLiteral("browseCaFile"));
    connect(browseCa, &QPushButton::clicked, this, &ConnectionDialog::chooseCaFile);
    m_tlsWarning = new QLabel(tr("Certificates are not checked: anyone on the network path can "
                                 "pose as this server and read the token and every event. Use a "
                                 "CA file instead where you can."),
                              this);
    m_tlsWarning->setObjectName(QStringLiteral("tlsWarning"));
    m_tlsWarning->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold"));
    m_tlsWarning->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Profile:"), m_profileBox);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    auto *auth = new QGroupBox(tr("Authentication"), this);
    auto *authForm = new QFormLayout(auth);
    authForm->addRow(m_dev);
    authForm->addRow(m_token, m_tokenEdit);
    authForm->addRow(m_mint);
    authForm->addRow(tr("Owner id:"), m_owner);
    authForm->addRow(tr("Agent id:"), m_agent);
    authForm->addRow(tr("Roles:"), m_roles);
    form->addRow(auth);
    form->addRow(tr("Load on connect:"), m_history);
    auto *tls = new QGroupBox(tr("TLS"), this);
    auto *tlsForm = new QFormLayout(tls);
    tlsForm->addRow(m_verifyTls);
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile);
    caRow->addWidget(browseCa);
    tlsForm->addRow(tr("CA file:"), caRow);
    tlsForm->addRow(m_tlsWarning);
    form->addRow(tls);

    m_buttons = new QDialogButtonBox(this);
    m_buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole)->setDefault(true);
    connect(m_buttons->addButton(tr("&Save"), QDialogButtonBox::ApplyRole), &QPushButton::clicked,
            this, &ConnectionDialog::save);
    connect(m_buttons->addButton(tr("&Delete"), QDialogButtonBox::DestructiveRole), &QPushButton::clicked,
            this, &ConnectionDialog::removeProfile);
    m_buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    for (QRadioButton *b : {m_dev, m_token, m_mint})
        connect(b, &QRadioButton::toggled, this, &ConnectionDialog::updateAuthFields);
    connect(m_profileBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index > 0)
            loadProfile(m_profileBox->currentText());
    });
    connect(m_verifyTls, &QCheckBox::toggled, this, &ConnectionDialog::updateTlsWarning);
    updateAuthFields();
    updateTlsWarning();
}

void ConnectionDialog::updateTlsWarning()
{
    m_tlsWarning->setVisible(!m_verifyTls->isChecked());
}

void ConnectionDialog::chooseCaFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("CA certificates to trust"), m_caFile->text(),
        tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"));
    if (!path.isEmpty())
        m_caFile->setText(path);
}

void ConnectionDialog::selectProfile(const QString &name)
{
    const int index = m_profileBox->findText(name);
    if (index > 0)
        m_profileBox->setCurrentIndex(index);
}

void ConnectionDialog::loadProfile(const QString &name)
{
    const auto p = m_profiles.load(name);
    if (!p)
        return;
    m_name->setText(p->name);
    m_url->setText(p->settings.url.toString());
    m_dev->setChecked(p->settings.auth == ConnectionSettings::Auth::DevMode);
    m_token->setChecked(p->settings.auth == ConnectionSettings::Auth::Token);
    m_mint->setChecked(p->settings.auth == ConnectionSettings::Auth::Mint);
    m_tokenEdit->setText(m_secrets.readToken(name).value_or(QString()));
    m_owner->setText(p->settings.ownerId);
    m_agent->setText(p->settings.agentId);
    m_roles->setText(p->settings.roles.join(QLatin1Char(',')));
    m_history->setValue(p->settings.initialHistory);
    m_verifyTls->setChecked(p->settings.tls.verifyPeer);
    m_caFile->setText(p->settings.tls.caFile);
    m_error->clear();
}

void ConnectionDialog::updateAuthFields()
{
    m_tokenEdit->setEnabled(m_token->isChecked());
    for (QLineEdit *edit : {m_owner, m_agent, m_roles})
        edit->setEnabled(m_mint->isChecked());
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed().isEmpty() ? m_url->text().trimmed() : m_name->text().trimmed();
    p.settings.url = QUrl::fromUserInput(m_url->text().trimmed());
    p.settings.auth = m_token->isChecked() ? ConnectionSettings::Auth::Token
        : m_mint->isChecked()             ? ConnectionSettings::Auth::Mint
                                          : ConnectionSettings::Auth::DevMode;
    p.settings.token = m_tokenEdit->text().trimmed();
    p.settings.ownerId = m_owner->text().trimmed();
    p.settings.agentId = m_agent->text().trimmed();
    p.settings.roles = m_roles->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString &role : p.settings.roles)
        role = role.trimmed();
    p.settings.initialHistory = m_history->value();
    p.settings.tls.verifyPeer = m_verifyTls->isChecked();
    p.settings.tls.caFile = m_caFile->text().trimmed();
    return p;
}

QString ConnectionDialog::validationError() const
{
    const ConnectionProfile p = profile();
    const QString scheme = p.settings.url.scheme();
    if (!p.settings.url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        || p.settings.url.host().isEmpty())
        return tr("The URL must look like http://host:port.");
    if (!p.settings.tls.caFile.isEmpty()) {
        QString error;
        if (loadCaCertificates(p.settings.tls.caFile, &error).isEmpty())
            return error;
    }
    if (p.settings.auth == ConnectionSettings::Auth::Token && p.settings.token.isEmpty())
        return tr("Paste a token, or choose dev mode or minting.");
    if (p.settings.auth == ConnectionSettings::Auth::Mint) {
        if (QUuid::fromString(p.settings.ownerId).isNull() || QUuid::fromString(p.settings.agentId).isNull())
            return tr("Minting needs an owner id and an agent id, both UUIDs.");
    }
    return {};
}

void ConnectionDialog::save()
{
    const QString problem = validationError();
    m_error->setText(problem);
    if (!problem.isEmpty())
        return;
    const ConnectionProfile p = profile();
    m_profiles.save(p);
    QString error;
    if (p.settings.auth == ConnectionSettings::Auth::Token) {
        if (!m_secrets.writeToken(p.name, p.settings.token, &error))
            m_error->setText(tr("The token could not be stored: %1").arg(error));
    } else {
        m_secrets.removeToken(p.name);
    }
    if (m_profileBox->findText(p.name) < 0)
        m_profileBox->addItem(p.name);
    m_profileBox->setCurrentIndex(m_profileBox->findText(p.name));
}

void ConnectionDialog::removeProfile()
{
    const QString name = m_profileBox->currentText();
    if (m_profileBox->currentIndex() <= 0)
        return;
    m_profiles.remove(name);
    m_secrets.removeToken(name);
    m_profileBox->removeItem(m_profileBox->currentIndex());
}

void ConnectionDialog::accept()
{
    save();
    if (!m_error->text().isEmpty())
        return;
    m_profiles.setLastUsed(profile().name);
    QDialog::accept();
}

} // namespace rcrt::ui
