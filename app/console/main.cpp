#include "ui/mainwindow.h"

#include <QApplication>
#include <QMessageBox>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rcrt-console"));
    QApplication::setOrganizationName(QStringLiteral("RCRT"));
    QApplication::setApplicationVersion(QStringLiteral(RCRT_VERSION));

    // The same connection options as rcrt-tap (--url, --token, --token-file, --owner-id ...).
    QStringList args = QApplication::arguments().mid(1);
    rcrt::cli::TapOptions options;
    QString error;
    rcrt::ui::MainWindow window;
    window.show();
    if (!rcrt::cli::extractGlobalOptions(args, options, error) || !window.connectTo(options, &error))
        QMessageBox::critical(&window, QObject::tr("RCRT Console"), error);
    return QApplication::exec();
}
