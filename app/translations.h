// The console's translations: Qt's own (standard dialogs and buttons) and
// Mailroom's, for the user's language, built in under :/i18n from
// translations/*.ts. Without one for the language, English keeps its plural
// forms ("1 event shown").
#pragma once

class QCoreApplication;

namespace mailroom::console
{

void installTranslations(QCoreApplication &app);

} // namespace mailroom::console
