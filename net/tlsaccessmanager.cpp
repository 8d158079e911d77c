#include "net/tlsaccessmanager.h"

#include <QFile>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QStringList>

namespace rcrt {

namespace {
// Where createRequest() leaves the handshake's certificate problems for networkErrorText().
constexpr char kSslErrorsProperty[] = "rcrtSslErrors";

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}
} // namespace

QList<QSslCertificate> loadCaCertificates(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read CA file %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray bytes = file.readAll();
    QList<QSslCertificate> certs = QSslCertificate::fromData(bytes, QSsl::Pem);
    if (certs.isEmpty())
        certs = QSslCertificate::fromData(bytes, QSsl::Der);
    if (certs.isEmpty() && error)
        *error = QStringLiteral("CA file %1 holds no PEM or DER certificate").arg(path);
    return certs;
}

TlsAccessManager::TlsAccessManager(QObject *parent)
    : QNetworkAccessManager(parent)
{
}

bool TlsAccessManager::setTlsOptions(const TlsOptions &options, QString *error)
{
    QList<QSslCertificate> cas;
    if (!options.caFile.isEmpty()) {
        cas = loadCaCertificates(options.caFile, error);
        if (cas.isEmpty())
            return false;
    }
    m_options = options;
    m_extraCas = cas;
    ++m_generation;
    // Connections kept alive under the previous policy must not be reused under the new one.
    clearConnectionCache();
    return true;
}

QNetworkReply *TlsAccessManager::createRequest(Operation op, const QNetworkRequest &request,
                                               QIODevice *outgoingData)
{
    if (!isHttps(request.url()))
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    QNetworkRequest secured(request);
    secured.setSslConfiguration(applyTo(secured.sslConfiguration()));
    QNetworkReply *reply = QNetworkAccessManager::createRequest(op, secured, outgoingData);
    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        reply->setProperty(kSslErrorsProperty, certificateProblems(errors));
    });
    return reply;
}

QSslConfiguration TlsAccessManager::applyTo(QSslConfiguration base) const
{
    if (!m_options.verifyPeer)
        base.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!m_extraCas.isEmpty())
        base.addCaCertificates(m_extraCas);
    return base;
}

QSslConfiguration sslConfigurationFor(const QNetworkAccessManager *nam)
{
    const auto *tls = qobject_cast<const TlsAccessManager *>(nam);
    const QSslConfiguration base = QSslConfiguration::defaultConfiguration();
    return tls ? tls->applyTo(base) : base;
}

quint64 tlsPolicyGeneration(const QNetworkAccessManager *nam)
{
    const auto *tls = qobject_cast<const TlsAccessManager *>(nam);
    return tls ? tls->policyGeneration() : 0;
}

QStringList certificateProblems(const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &e : errors) {
        if (!texts.contains(e.errorString()))
            texts += e.errorString();
    }
    return texts;
}

QString withCertificateProblems(const QString &text, const QStringList &problems)
{
    QStringList missing;
    for (const QString &problem : problems) {
        if (!text.contains(problem))
            missing += problem;
    }
    if (missing.isEmpty())
        return text;
    return text + QStringLiteral(" (certificate: ") + missing.join(QStringLiteral("; ")) + u')';
}

QString insecureTlsWarning(const QNetworkAccessManager *nam, const QUrl &url)
{
    const auto *tls = qobject_cast<const TlsAccessManager *>(nam);
    if (!tls || tls->tlsOptions().verifyPeer || !isHttps(url))
        return {};
    return QStringLiteral("warning: TLS certificate verification is OFF for %1: the server's "
                          "identity is not checked, anyone on the path can read the token and "
                          "the events")
        .arg(url.host());
}

QString networkErrorText(const QNetworkReply *reply)
{
    return withCertificateProblems(reply->errorString(),
                                   reply->property(kSslErrorsProperty).toStringList());
}

} // namespace rcrt
