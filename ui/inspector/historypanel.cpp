#include "ui/inspector/historypanel.h"

#include "model/timestamp.h"
#include "ui/inspector/jsontreemodel.h"
#include "ui/schemacolors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

#include <algorithm>

namespace rcrt::ui {

namespace {

// "2025-11-07 10:30:03.912" in local time; the text as sent when it does not parse.
QString localTime(const QString &rfc3339)
{
    const std::optional<qint64> ns = parseRfc3339Ns(rfc3339.toLatin1());
    if (!ns)
        return rfc3339;
    return QDateTime::fromMSecsSinceEpoch(*ns / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

HistoryPanel::HistoryPanel(QWidget *parent)
    : QWidget(parent)
    , m_old(new QComboBox(this))
    , m_new(new QComboBox(this))
    , m_changesOnly(new QCheckBox(tr("Changes only"), this))
    , m_summary(new QLabel(this))
    , m_status(new QLabel(this))
    , m_view(new QPlainTextEdit(this))
{
    m_changesOnly->setChecked(true);
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_status->setVisible(false);
    m_status->setWordWrap(true);

    auto *pickers = new QHBoxLayout;
    pickers->addWidget(new QLabel(tr("Compare"), this));
    pickers->addWidget(m_old);
    pickers->addWidget(new QLabel(QStringLiteral("\u2192"), this));
    pickers->addWidget(m_new);
    pickers->addSpacing(8);
    pickers->addWidget(m_changesOnly);
    pickers->addStretch(1);
    pickers->addWidget(m_summary);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_status);
    layout->addLayout(pickers);
    layout->addWidget(m_view, 1);

    connect(m_old, &QComboBox::currentIndexChanged, this, &HistoryPanel::recompute);
    connect(m_new, &QComboBox::currentIndexChanged, this, &HistoryPanel::recompute);
    connect(m_changesOnly, &QCheckBox::toggled, this, &HistoryPanel::render);
}

QStringList HistoryPanel::contextLines(const QJsonValue &context)
{
    return JsonTreeModel::prettyText(context).split(QLatin1Char('\n'));
}

void HistoryPanel::clear()
{
    const QSignalBlocker blockOld(m_old), blockNew(m_new);
    m_entries.clear();
    m_diff.clear();
    m_old->clear();
    m_new->clear();
    m_view->clear();
    m_summary->clear();
    setStatus({});
}

void HistoryPanel::setStatus(const QString &text, bool isError)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setStyleSheet(isError ? QStringLiteral("color: #d32f2f;") : QString());
}

QString HistoryPanel::statusText() const
{
    return m_status->text();
}

QString HistoryPanel::summaryText() const
{
    return m_summary->text();
}

bool HistoryPanel::setHistoryJson(const QByteArray &body, int selectedVersion)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (!doc.isArray()) {
        clear();
        setStatus(tr("Unexpected /history answer: %1").arg(error.error != QJsonParseError::NoError ? error.errorString() : tr("not an array")), true);
        return false;
    }
    QList<Entry> entries;
    for (const QJsonValue &item : doc.array()) {
        const QJsonObject o = item.toObject();
        entries.append({o.value(QLatin1String("version")).toInt(), o.value(QLatin1String("context")),
                        o.value(QLatin1String("updated_at")).toString(), o.value(QLatin1String("updated_by")).toString()});
    }
    setEntries(std::move(entries), selectedVersion);
    return true;
}

void HistoryPanel::setEntries(QList<Entry> entries, int selectedVersion)
{
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.version > b.version; });
    clear();
    m_entries = std::move(entries);
    if (m_entries.isEmpty()) {
        setStatus(tr("No history for this breadcrumb (deleted, or not visible to this token)."));
        return;
    }
    {
        const QSignalBlocker blockOld(m_old), blockNew(m_new);
        for (const Entry &entry : std::as_const(m_entries)) {
            const QString label = tr("v%1 \u00b7 %2").arg(entry.version).arg(localTime(entry.updatedAt));
            m_old->addItem(label, entry.version);
            m_new->addItem(label, entry.version);
        }
        int right = m_new->findData(selectedVersion);
        if (right < 0)
            right = 0;
        int left = right + 1;
        if (left >= m_entries.size()) {
            // The oldest version: show what changed after it instead of nothing.
            left = right;
            right = std::max(0, right - 1);
        }
        m_new->setCurrentIndex(right);
        m_old->setCurrentIndex(left);
    }
    if (m_entries.size() == 1)
        setStatus(tr("Only one version so far."));
    recompute();
}

void HistoryPanel::compare(int oldVersion, int newVersion)
{
    const QSignalBlocker blockOld(m_old), blockNew(m_new);
    m_old->setCurrentIndex(m_old->findData(oldVersion));
    m_new->setCurrentIndex(m_new->findData(newVersion));
    recompute();
}

void HistoryPanel::recompute()
{
    const int oldAt = m_old->currentIndex(), newAt = m_new->currentIndex();
    if (oldAt < 0 || newAt < 0 || oldAt >= m_entries.size() || newAt >= m_entries.size()) {
        m_diff.clear();
        render();
        return;
    }
    m_diff = diffLines(contextLines(m_entries[oldAt].context), contextLines(m_entries[newAt].context));
    render();
}

QString HistoryPanel::foldText(qsizetype lines)
{
    return lines == 1 ? tr("\u22ef 1 unchanged line") : tr("\u22ef %1 unchanged lines").arg(lines);
}

void HistoryPanel::render()
{
    const bool dark = isDarkPalette(palette());
    const QColor removed = dark ? QColor(0x5c, 0x1f, 0x24) : QColor(0xff, 0xe4, 0xe6);
    const QColor added = dark ? QColor(0x1a, 0x4d, 0x2e) : QColor(0xdc, 0xfc, 0xe7);
    const QColor foldColor = palette().color(QPalette::PlaceholderText);

    // Which lines to show: everything, or changes with kContextLines around them (identical
    // versions are shown whole: folding everything away would show nothing).
    const DiffStats stats = diffStats(m_diff);
    const bool fold = m_changesOnly->isChecked() && stats.added + stats.removed > 0;
    QList<bool> shown(m_diff.size(), !fold);
    if (fold) {
        for (qsizetype i = 0; i < m_diff.size(); ++i) {
            if (m_diff[i].kind == DiffLine::Kind::Same)
                continue;
            for (qsizetype j = std::max<qsizetype>(0, i - kContextLines);
                 j <= std::min(m_diff.size() - 1, i + kContextLines); ++j)
                shown[j] = true;
        }
    }

    m_view->clear();
    QTextCursor cursor(m_view->document());
    cursor.beginEditBlock();
    bool first = true;
    const auto emitLine = [&](const QString &text, const QColor &background, const QColor &foreground) {
        QTextBlockFormat block;
        if (background.isValid())
            block.setBackground(background);
        QTextCharFormat chars;
        if (foreground.isValid())
            chars.setForeground(foreground);
        if (first)
            cursor.setBlockFormat(block);
        else
            cursor.insertBlock(block);
        first = false;
        cursor.insertText(text, chars);
    };
    qsizetype skipped = 0;
    for (qsizetype i = 0; i < m_diff.size(); ++i) {
        if (!shown[i]) {
            ++skipped;
            continue;
        }
        if (skipped > 0) {
            emitLine(foldText(skipped), {}, foldColor);
            skipped = 0;
        }
        const DiffLine &line = m_diff[i];
        switch (line.kind) {
        case DiffLine::Kind::Same: emitLine(QLatin1String("  ") + line.text, {}, {}); break;
        case DiffLine::Kind::Removed: emitLine(QLatin1String("- ") + line.text, removed, {}); break;
        case DiffLine::Kind::Added: emitLine(QLatin1String("+ ") + line.text, added, {}); break;
        }
    }
    if (skipped > 0)
        emitLine(foldText(skipped), {}, foldColor);
    cursor.endEditBlock();

    m_summary->setText(m_diff.isEmpty() ? QString()
                       : stats.added + stats.removed == 0
                           ? tr("identical")
                           : tr("+%1 \u2212%2 lines").arg(stats.added).arg(stats.removed));
}

} // namespace rcrt::ui
