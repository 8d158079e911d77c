#pragma once

#include <QByteArrayView>
#include <QColor>
#include <QList>
#include <QString>

class QPalette;

namespace rcrt::ui {

// Colour by schema family, shared by the events table, flows and charts so one family has one
// colour everywhere. Families follow the schema name's prefix (rcrt-protocol.md §5.7):
//   tool.request.*  tool.response.* (and tool.error.*)  agent.*  user.*  system.*  schema.def*
// and everything else (including no schema) is "other".
enum class SchemaFamily : quint8 { ToolRequest, ToolResponse, Agent, User, System, SchemaDef, Other };

SchemaFamily schemaFamilyOf(QByteArrayView schemaName);
QList<SchemaFamily> allSchemaFamilies(); // in legend order
QString schemaFamilyName(SchemaFamily family); // "tool.request", …, "other"
QString schemaFamily(QByteArrayView schemaName); // schemaFamilyName(schemaFamilyOf(name))

// The family's accent colour: saturated, for chart lines, bars and chips. Lighter shades on a
// dark palette so it stays visible on a dark base.
QColor schemaFamilyColor(SchemaFamily family, bool darkPalette);
QColor schemaFamilyColor(QByteArrayView schemaName); // for the application's current palette

// A soft tint of the accent over the palette's base, for whole table rows.
QColor schemaFamilyBackground(SchemaFamily family, const QPalette &palette);
QColor schemaFamilyBackground(QByteArrayView schemaName); // current palette

// Near-black or near-white, whichever reads better on `background` (WCAG relative luminance).
QColor readableForeground(const QColor &background);

bool isDarkPalette(const QPalette &palette);

} // namespace rcrt::ui
