#include "ui/inspector/metadatapanel.h"

#include "model/timestamp.h"

#include <QCoreApplication>
#include <QFormLayout>
#include <QHash>
#include <QJsonArray>
#include <QLabel>
#include <QVBoxLayout>

namespace rcrt::ui {

namespace {

const QString kNone = QStringLiteral("\u2014");

QString labelFor(QLatin1String key)
{
    // User-facing names for the §4 columns.
    static const QHash<QString, const char *> names{
        {QStringLiteral("title"), QT_TRANSLATE_NOOP("MetadataPanel", "Title")},
        {QStringLiteral("description"), QT_TRANSLATE_NOOP("MetadataPanel", "Description")},
        {QStringLiteral("schema_name"), QT_TRANSLATE_NOOP("MetadataPanel", "Schema")},
        {QStringLiteral("semantic_version"), QT_TRANSLATE_NOOP("MetadataPanel", "Semantic version")},
        {QStringLiteral("version"), QT_TRANSLATE_NOOP("MetadataPanel", "Version")},
        {QStringLiteral("owner_id"), QT_TRANSLATE_NOOP("MetadataPanel", "Owner")},
        {QStringLiteral("created_at"), QT_TRANSLATE_NOOP("MetadataPanel", "Created at")},
        {QStringLiteral("created_by"), QT_TRANSLATE_NOOP("MetadataPanel", "Created by")},
        {QStringLiteral("updated_at"), QT_TRANSLATE_NOOP("MetadataPanel", "Updated at")},
        {QStringLiteral("updated_by"), QT_TRANSLATE_NOOP("MetadataPanel", "Updated by")},
        {QStringLiteral("visibility"), QT_TRANSLATE_NOOP("MetadataPanel", "Visibility")},
        {QStringLiteral("sensitivity"), QT_TRANSLATE_NOOP("MetadataPanel", "Sensitivity")},
        {QStringLiteral("ttl"), QT_TRANSLATE_NOOP("MetadataPanel", "TTL")},
        {QStringLiteral("checksum"), QT_TRANSLATE_NOOP("MetadataPanel", "Checksum")},
        {QStringLiteral("size_bytes"), QT_TRANSLATE_NOOP("MetadataPanel", "Size")},
        {QStringLiteral("tags"), QT_TRANSLATE_NOOP("MetadataPanel", "Tags")},
    };
    return QCoreApplication::translate("MetadataPanel", names.value(QString(key)));
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return kNone;
    case QJsonValue::Double: return QString::number(value.toInteger());
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items.append(item.toString());
        return items.join(QLatin1String(", "));
    }
    default: return value.toString();
    }
}

} // namespace

const QList<QLatin1String> &MetadataPanel::fieldKeys()
{
    static const QList<QLatin1String> keys{
        QLatin1String("title"), QLatin1String("description"), QLatin1String("schema_name"),
        QLatin1String("semantic_version"), QLatin1String("version"), QLatin1String("owner_id"),
        QLatin1String("created_at"), QLatin1String("created_by"), QLatin1String("updated_at"),
        QLatin1String("updated_by"), QLatin1String("visibility"), QLatin1String("sensitivity"),
        QLatin1String("ttl"), QLatin1String("checksum"), QLatin1String("size_bytes"), QLatin1String("tags")};
    return keys;
}

MetadataPanel::MetadataPanel(QWidget *parent) : QWidget(parent), m_status(new QLabel(this)), m_form(new QFormLayout)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    m_status->setVisible(false);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addLayout(m_form);
    layout->addStretch(1);
    m_form->setLabelAlignment(Qt::AlignRight);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setVerticalSpacing(3);
    for (QLatin1String key : fieldKeys()) {
        auto *value = new QLabel(kNone, this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        value->setTextFormat(Qt::PlainText);
        m_form->addRow(labelFor(key) + QLatin1Char(':'), value);
        m_values.append(value);
    }
}

void MetadataPanel::setField(QLatin1String key, const QString &text)
{
    const qsizetype at = fieldKeys().indexOf(key);
    if (at >= 0)
        m_values[at]->setText(text.isEmpty() ? kNone : text);
}

QString MetadataPanel::fieldText(QLatin1String key) const
{
    const qsizetype at = fieldKeys().indexOf(key);
    return at >= 0 ? m_values[at]->text() : QString();
}

QString MetadataPanel::statusText() const
{
    return m_status->text();
}

void MetadataPanel::clear()
{
    for (QLabel *value : std::as_const(m_values))
        value->setText(kNone);
    setStatus({});
}

void MetadataPanel::setStatus(const QString &text, bool isError)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setStyleSheet(isError ? QStringLiteral("color: #d32f2f;") : QString());
}

void MetadataPanel::showRecord(const EventRecord &record)
{
    clear();
    const Envelope &e = record.envelope;
    setField(QLatin1String("schema_name"), QString::fromUtf8(e.schemaName));
    setField(QLatin1String("version"), QString::number(e.version));
    setField(QLatin1String("owner_id"), QString::fromLatin1(e.ownerId));
    setField(QLatin1String("updated_at"), QString::fromLatin1(formatRfc3339Ns(e.updatedAtNs)));
    setField(QLatin1String("size_bytes"), tr("%1 bytes of payload").arg(record.raw.size()));
    QStringList tags;
    for (const QByteArray &tag : e.tags)
        tags.append(QString::fromUtf8(tag));
    setField(QLatin1String("tags"), tags.join(QLatin1String(", ")));
}

void MetadataPanel::showFull(const QJsonObject &full, int selectedVersion)
{
    for (QLatin1String key : fieldKeys())
        setField(key, valueText(full.value(key)));
    const int latest = full.value(QLatin1String("version")).toInt();
    if (selectedVersion > 0 && latest != selectedVersion)
        setField(QLatin1String("version"), tr("%1 (latest; selected event is version %2)").arg(latest).arg(selectedVersion));
    const QJsonValue size = full.value(QLatin1String("size_bytes"));
    if (size.isDouble())
        setField(QLatin1String("size_bytes"), tr("%1 bytes of context").arg(size.toInteger()));
    setStatus({});
}

} // namespace rcrt::ui
