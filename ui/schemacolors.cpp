#include "ui/schemacolors.h"

#include <QGuiApplication>
#include <QPalette>

#include <array>
#include <cmath>

namespace rcrt::ui {

namespace {

// `name` is `prefix` or starts with `prefix.` (so "user" does not catch "username.v1").
bool inFamily(QByteArrayView name, QByteArrayView prefix)
{
    return name.startsWith(prefix) && (name.size() == prefix.size() || name[prefix.size()] == '.');
}

struct Shades
{
    QRgb light; // on a light base
    QRgb dark;  // on a dark base
};

// Hues far enough apart to tell rows apart at a glance; indexed by SchemaFamily.
constexpr std::array<Shades, 7> kShades{{
    {0xd97706, 0xfbbf24}, // tool.request: amber
    {0x16a34a, 0x4ade80}, // tool.response: green
    {0x7c3aed, 0xa78bfa}, // agent: violet
    {0x2563eb, 0x60a5fa}, // user: blue
    {0x0891b2, 0x22d3ee}, // system: cyan
    {0xdb2777, 0xf472b6}, // schema.def: pink
    {0x6b7280, 0x9ca3af}, // other: grey
}};

QColor blend(const QColor &over, const QColor &base, double alpha)
{
    return QColor::fromRgbF(float(over.redF() * alpha + base.redF() * (1 - alpha)),
                            float(over.greenF() * alpha + base.greenF() * (1 - alpha)),
                            float(over.blueF() * alpha + base.blueF() * (1 - alpha)));
}

double linear(double channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

} // namespace

SchemaFamily schemaFamilyOf(QByteArrayView name)
{
    if (inFamily(name, "tool.request"))
        return SchemaFamily::ToolRequest;
    if (inFamily(name, "tool.response") || inFamily(name, "tool.error"))
        return SchemaFamily::ToolResponse;
    if (inFamily(name, "agent"))
        return SchemaFamily::Agent;
    if (inFamily(name, "user"))
        return SchemaFamily::User;
    if (inFamily(name, "system"))
        return SchemaFamily::System;
    if (inFamily(name, "schema.def"))
        return SchemaFamily::SchemaDef;
    return SchemaFamily::Other;
}

QList<SchemaFamily> allSchemaFamilies()
{
    return {SchemaFamily::ToolRequest, SchemaFamily::ToolResponse, SchemaFamily::Agent,
            SchemaFamily::User, SchemaFamily::System, SchemaFamily::SchemaDef, SchemaFamily::Other};
}

QString schemaFamilyName(SchemaFamily family)
{
    switch (family) {
    case SchemaFamily::ToolRequest: return QStringLiteral("tool.request");
    case SchemaFamily::ToolResponse: return QStringLiteral("tool.response");
    case SchemaFamily::Agent: return QStringLiteral("agent");
    case SchemaFamily::User: return QStringLiteral("user");
    case SchemaFamily::System: return QStringLiteral("system");
    case SchemaFamily::SchemaDef: return QStringLiteral("schema.def");
    case SchemaFamily::Other: break;
    }
    return QStringLiteral("other");
}

QString schemaFamily(QByteArrayView schemaName)
{
    return schemaFamilyName(schemaFamilyOf(schemaName));
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor schemaFamilyColor(SchemaFamily family, bool darkPalette)
{
    const Shades &s = kShades[size_t(family)];
    return QColor::fromRgb(darkPalette ? s.dark : s.light);
}

QColor schemaFamilyColor(QByteArrayView schemaName)
{
    return schemaFamilyColor(schemaFamilyOf(schemaName), isDarkPalette(QGuiApplication::palette()));
}

QColor schemaFamilyBackground(SchemaFamily family, const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    // Faint enough that text keeps its contrast, strong enough to see a family's run of rows.
    return blend(schemaFamilyColor(family, dark), palette.color(QPalette::Base), dark ? 0.22 : 0.13);
}

QColor schemaFamilyBackground(QByteArrayView schemaName)
{
    return schemaFamilyBackground(schemaFamilyOf(schemaName), QGuiApplication::palette());
}

QColor readableForeground(const QColor &background)
{
    const QColor c = background.toRgb();
    const double luminance = 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF())
        + 0.0722 * linear(c.blueF());
    // The crossover where black and white text have equal contrast ratios.
    return luminance > 0.179 ? QColor(0x1f, 0x23, 0x28) : QColor(0xf3, 0xf4, 0xf6);
}

} // namespace rcrt::ui
