#pragma once

#include <QList>
#include <QNetworkAccessManager>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>

class QNetworkReply;
class QSslError;

namespace rcrt {

// How https connections of one profile (or one rcrt-tap run) check the server. Verification is
// on unless the operator turns it off; a CA file adds trust anchors to the system ones (a
// private CA, a self-signed test server).
struct TlsOptions
{
    bool verifyPeer = true;
    QString caFile; // PEM or DER, one or more certificates; empty: system CAs only

    friend bool operator==(const TlsOptions &, const TlsOptions &) = default;
};

// A QNetworkAccessManager that applies TlsOptions to every https request it creates, so the
// SSE client, REST client and token minting all obey one per-connection policy without each
// building its own QSslConfiguration (the process-wide default stays untouched: two profiles
// may differ). It also keeps the certificate problems of a failed handshake on the reply, for
// networkErrorText().
class TlsAccessManager final : public QNetworkAccessManager
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsAccessManager)

public:
    explicit TlsAccessManager(QObject *parent = nullptr);

    // Loads the CA file (if any). On failure (unreadable, no certificate in it) returns false
    // with *error and keeps the previous options: a bad CA file never means "trust anything".
    bool setTlsOptions(const TlsOptions &options, QString *error = nullptr);
    const TlsOptions &tlsOptions() const { return m_options; }
    qsizetype extraCaCount() const { return m_extraCas.size(); }
    // `base` with this manager's options applied: what its https requests use.
    QSslConfiguration applyTo(QSslConfiguration base) const;
    // Changes with every setTlsOptions() that took effect, so a transport with connections of
    // its own (net/httptransport) drops those made under an older policy.
    quint64 policyGeneration() const { return m_generation; }

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override;

private:
    TlsOptions m_options;
    QList<QSslCertificate> m_extraCas;
    quint64 m_generation = 0;
};

// Reads the certificates of a PEM or DER file. Empty with *error when none could be read.
QList<QSslCertificate> loadCaCertificates(const QString &path, QString *error);

// The warning an operator must see when `nam` will not verify `url`'s certificate ("" when it
// will, or when the url is not https).
QString insecureTlsWarning(const QNetworkAccessManager *nam, const QUrl &url);

// The TLS configuration of https connections made for `nam` (its options when it is a
// TlsAccessManager, else Qt's default), and the generation of that policy (0 for a plain one).
QSslConfiguration sslConfigurationFor(const QNetworkAccessManager *nam);
quint64 tlsPolicyGeneration(const QNetworkAccessManager *nam);

// The distinct texts of a handshake's certificate problems.
QStringList certificateProblems(const QList<QSslError> &errors);
// `text` plus the certificate problems it does not mention yet: " (certificate: a; b)".
QString withCertificateProblems(const QString &text, const QStringList &problems);

// reply->errorString(), plus the certificate problems when the TLS handshake failed (Qt's own
// text says only "SSL handshake failed").
QString networkErrorText(const QNetworkReply *reply);

} // namespace rcrt
