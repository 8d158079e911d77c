#pragma once

#include "breadcrumb.h"
#include "httpresponse.h"

#include <QJsonValue>

#include <optional>

namespace rcrt::sim {

struct HttpRequest;

// axum's Json extractor: 415 without an application/json content type, 400 for text that is
// not JSON, otherwise the parsed value. On failure `failure` holds the plain-text answer.
std::optional<QJsonValue> jsonBody(const HttpRequest &request, HttpResponse &failure);

// serde's view of CreateReq / UpdateReq (rcrt-protocol.md §1.3): 422 for a wrong shape.
std::optional<NewBreadcrumb> parseCreate(const QJsonValue &body, HttpResponse &failure);
std::optional<BreadcrumbPatch> parsePatch(const QJsonValue &body, HttpResponse &failure);

HttpResponse unprocessable(const QByteArray &message);

} // namespace rcrt::sim
