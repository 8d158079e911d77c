#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace rcrt {

// The outcome of one REST call, by value. RCRT error bodies are plain text (rcrt-protocol.md §0),
// so for a non-2xx answer `error` is "HTTP <status>: <body verbatim>", e.g.
// "HTTP 412: version_mismatch". A transport failure has status 0 and a readable `error`.
struct RestResult
{
    int status = 0; // HTTP status; 0 when no HTTP answer arrived
    QByteArray body; // raw response body (also for errors)
    QString error; // empty when ok()

    bool ok() const { return error.isEmpty() && status >= 200 && status < 300; }
    bool isNetworkError() const { return status == 0; }
    bool isUnauthorized() const { return status == 401; }
    bool isNotFound() const { return status == 404; }
    bool isDuplicateIdempotencyKey() const { return status == 409; }
    // PATCH with If-Match against a newer version (server body `version_mismatch`).
    bool isVersionMismatch() const { return status == 412; }

    // The "id" of a create answer `{"id":"<uuid>"}`; empty when absent or not ok().
    QString createdId() const;

    static RestResult fromHttp(int status, QByteArray body);
    static RestResult networkFailure(QString message);
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::RestResult)
