// Schema family colours: the family of each schema name, distinct accents, light/dark shades,
// and row tints whose text keeps a WCAG AA contrast on both palettes.
#include "ui/schemacolors.h"

#include <QPalette>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace rcrt::ui;

namespace {

double luminance(const QColor &c)
{
    const auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette paletteWithBase(const QColor &base, const QColor &text)
{
    QPalette palette;
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Window, base);
    palette.setColor(QPalette::Text, text);
    return palette;
}

} // namespace

class TstEventsSchemaColors : public QObject
{
    Q_OBJECT

private slots:
    void families_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QString>("family");

        QTest::newRow("request") << QByteArray("tool.request.v1") << QStringLiteral("tool.request");
        QTest::newRow("response") << QByteArray("tool.response.v1") << QStringLiteral("tool.response");
        QTest::newRow("error") << QByteArray("tool.error.v1") << QStringLiteral("tool.response");
        QTest::newRow("catalog") << QByteArray("tool.catalog.v1") << QStringLiteral("other");
        QTest::newRow("agent") << QByteArray("agent.context.v1") << QStringLiteral("agent");
        QTest::newRow("user") << QByteArray("user.message.v1") << QStringLiteral("user");
        QTest::newRow("not user") << QByteArray("username.v1") << QStringLiteral("other");
        QTest::newRow("system") << QByteArray("system.hygiene.v1") << QStringLiteral("system");
        QTest::newRow("schema") << QByteArray("schema.def.v1") << QStringLiteral("schema.def");
        QTest::newRow("none") << QByteArray() << QStringLiteral("other");
        QTest::newRow("bare prefix") << QByteArray("tool.request") << QStringLiteral("tool.request");
    }

    void families()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QString, family);
        QCOMPARE(schemaFamily(schema), family);
        QCOMPARE(schemaFamilyName(schemaFamilyOf(schema)), family);
    }

    void accentsAreDistinctAndPaletteAware()
    {
        QSet<QRgb> light, dark;
        for (SchemaFamily family : allSchemaFamilies()) {
            light.insert(schemaFamilyColor(family, false).rgb());
            dark.insert(schemaFamilyColor(family, true).rgb());
            // Dark shades are lighter, so they stand out on a dark base.
            QVERIFY(schemaFamilyColor(family, true).lightnessF() > schemaFamilyColor(family, false).lightnessF());
        }
        QCOMPARE(light.size(), allSchemaFamilies().size());
        QCOMPARE(dark.size(), allSchemaFamilies().size());
    }

    void rowTintsStayReadable_data()
    {
        QTest::addColumn<QColor>("base");
        QTest::newRow("light") << QColor(Qt::white);
        QTest::newRow("dark") << QColor(0x1e, 0x1e, 0x1e);
    }

    void rowTintsStayReadable()
    {
        QFETCH(QColor, base);
        const QPalette palette = paletteWithBase(base, readableForeground(base));
        QCOMPARE(isDarkPalette(palette), base.lightnessF() < 0.5);
        QSet<QRgb> tints;
        for (SchemaFamily family : allSchemaFamilies()) {
            const QColor tint = schemaFamilyBackground(family, palette);
            tints.insert(tint.rgb());
            QVERIFY(tint != base);
            const double ratio = contrast(readableForeground(tint), tint);
            QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("%1: %2").arg(schemaFamilyName(family)).arg(ratio)));
        }
        QCOMPARE(tints.size(), allSchemaFamilies().size());
    }

    void readableForegroundPicksTheStrongerContrast()
    {
        QCOMPARE(readableForeground(Qt::white).lightnessF() < 0.5, true);
        QCOMPARE(readableForeground(Qt::black).lightnessF() > 0.5, true);
        QCOMPARE(readableForeground(QColor(0xfb, 0xbf, 0x24)).lightnessF() < 0.5, true); // amber
        QCOMPARE(readableForeground(QColor(0x7c, 0x3a, 0xed)).lightnessF() > 0.5, true); // violet
    }
};

QTEST_MAIN(TstEventsSchemaColors)
#include "tst_events_schemacolors.moc"
