#pragma once

// Helpers for the doctor's integration tests: rcrt-tap diagnose against rcrt-sim, with
// breadcrumbs written by the test while it watches. Header-only test code.

#include "tests/support/simprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QTest>

#include <functional>

namespace rcrt::test {

struct DiagnoseRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json;

    QJsonArray findings() const { return json.value(QStringLiteral("findings")).toArray(); }
    // Ids of warnings and errors.
    QStringList problemIds() const
    {
        QStringList ids;
        for (const QJsonValue &v : findings()) {
            const QJsonObject f = v.toObject();
            if (f.value(QStringLiteral("severity")).toString() != QStringLiteral("info"))
                ids.append(f.value(QStringLiteral("id")).toString());
        }
        return ids;
    }
    QJsonObject finding(const QString &id) const
    {
        for (const QJsonValue &v : findings())
            if (v.toObject().value(QStringLiteral("id")).toString() == id)
                return v.toObject();
        return {};
    }
    QJsonObject evidence(const QString &id) const { return finding(id).value(QStringLiteral("evidence")).toObject(); }
    QString describe() const { return QString::fromUtf8(out + "\n--- stderr ---\n" + err); }
};

// `rcrt-tap --url URL --json diagnose ARGS`; `during` runs once the stream is connected.
inline DiagnoseRun runDiagnose(const QUrl &url, const QStringList &args, const std::function<void()> &during = {},
                               int timeoutMs = 60000)
{
    DiagnoseRun run;
    QProcess tap;
    tap.start(tapPath(), QStringList{QStringLiteral("--url"), url.toString(), QStringLiteral("--json"),
                                     QStringLiteral("diagnose")} + args);
    if (!tap.waitForStarted(10000)) {
        run.err = tap.errorString().toUtf8();
        return run;
    }
    if (during) {
        QElapsedTimer waited;
        waited.start();
        while (!run.err.contains("# connected") && waited.elapsed() < 10000 && tap.state() == QProcess::Running) {
            tap.waitForReadyRead(100);
            run.err += tap.readAllStandardError();
        }
        during();
    }
    if (!tap.waitForFinished(timeoutMs)) {
        tap.kill();
        tap.waitForFinished(3000);
    }
    run.exitCode = tap.exitStatus() == QProcess::NormalExit ? tap.exitCode() : -1;
    run.out = tap.readAllStandardOutput();
    run.err += tap.readAllStandardError();
    run.json = QJsonDocument::fromJson(run.out).object();
    return run;
}

// POST /breadcrumbs (the sim's dev-mode auth); returns the new id, empty on failure.
inline QString createBreadcrumb(const QUrl &base, const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(base.toString() + QStringLiteral("/breadcrumbs")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("id")).toString();
}

inline QJsonObject toolRequestBody(const QString &tool, const QJsonValue &input, const QString &requestId,
                                   bool workspace = true)
{
    QJsonObject context{{QStringLiteral("tool"), tool}};
    if (!input.isUndefined())
        context.insert(QStringLiteral("input"), input);
    if (!requestId.isEmpty())
        context.insert(QStringLiteral("requestId"), requestId);
    QJsonArray tags{QStringLiteral("tool:request")};
    if (workspace)
        tags.append(QStringLiteral("workspace:tools"));
    return QJsonObject{{QStringLiteral("title"), QString(QStringLiteral("Tool request: ") + tool)},
                       {QStringLiteral("schema_name"), QStringLiteral("tool.request.v1")},
                       {QStringLiteral("tags"), tags},
                       {QStringLiteral("context"), context}};
}

inline bool startSim(SimProcess &sim, const QStringList &args)
{
    return sim.start(QStringList{QStringLiteral("--quiet")} + args);
}

} // namespace rcrt::test
