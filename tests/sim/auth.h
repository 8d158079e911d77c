#pragma once

#include "httpresponse.h"
#include "jwt.h"
#include "simoptions.h"

#include <QByteArrayList>
#include <QUuid>

#include <optional>

namespace rcrt::sim {

struct HttpRequest;

// Who is calling: the token's owner (tenant), sub (agent) and roles.
struct Identity
{
    QUuid owner;
    QUuid agent;
    QByteArrayList roles;

    bool hasRole(QByteArrayView role) const { return roles.contains(role); }
    bool hasAnyRole(QByteArrayView a, QByteArrayView b) const { return hasRole(a) || hasRole(b); }
};

// The auth extractor of rcrt-protocol.md §2.1, in both modes, plus token minting (§2.2).
class Authenticator
{
public:
    explicit Authenticator(const SimOptions &options);

    // Identity, or the 401 answer.
    std::optional<Identity> authenticate(const HttpRequest &request, HttpResponse &failure) const;
    HttpResponse mintToken(const QByteArray &body) const;
    bool jwtMode() const { return m_mode == AuthMode::Jwt; }
    // For tests and demos that want a token without HTTP.
    QByteArray mint(const QUuid &owner, const QUuid &agent, const QByteArrayList &roles,
                    qint64 ttlSecs, qint64 *expOut = nullptr) const;

private:
    AuthMode m_mode;
    Identity m_disabledIdentity;
    int m_leewaySecs;
    int m_defaultTtlSecs;
    Rs256Key m_key;
};

} // namespace rcrt::sim
