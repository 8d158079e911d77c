#pragma once

#include "model/eventrecord.h"

#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;

namespace rcrt::ui {

// The `/full` metadata of one breadcrumb in a form: title, description, owner, created and
// updated (at/by), version, visibility, sensitivity, ttl, checksum, size. Without a connection
// (replay) it shows what the event itself carries.
class MetadataPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetadataPanel)

public:
    // The fields, in display order; keys of the `/full` JSON.
    static const QList<QLatin1String> &fieldKeys();

    explicit MetadataPanel(QWidget *parent = nullptr);

    void clear();
    // What the event carries (owner, updated_at, version, size); the rest shows "—".
    void showRecord(const EventRecord &record);
    // A `/full` answer; `selectedVersion` is the version the user picked in the table.
    void showFull(const QJsonObject &full, int selectedVersion);
    // A line above the form: "Loading…", an error, "not connected".
    void setStatus(const QString &text, bool isError = false);

    QString fieldText(QLatin1String key) const;
    QString statusText() const;

private:
    void setField(QLatin1String key, const QString &text);

    QLabel *m_status = nullptr;
    QFormLayout *m_form = nullptr;
    QList<QLabel *> m_values; // parallel to fieldKeys()
};

} // namespace rcrt::ui
