// The verb table of mailroomctl (OpenSMTPD smtpctl style): each entry is the
// words that select it, the options it takes, a usage line and the function
// that runs it. main() matches the longest run of words.
#pragma once

#include <QList>
#include <QStringList>

#include "ctl/ctlcontext.h"

namespace mailroom::ctl
{

struct Verb {
    QStringList words; // {"user", "add"}
    QStringList valueOptions; // options that take a value: {"name", "quota"}
    QStringList flagOptions; // options without value: {"force"}
    QString usage; // "user add ADDRESS [--name NAME] [--quota MB]"
    QString help;
    void (*run)(CtlContext &ctx);
};

const QList<Verb> &verbs();

// Commands, one group per file.
void cmdStatus(CtlContext &ctx);
void cmdDomainAdd(CtlContext &ctx);
void cmdDomainRemove(CtlContext &ctx);
void cmdDomainList(CtlContext &ctx);
void cmdUserAdd(CtlContext &ctx);
void cmdUserRemove(CtlContext &ctx);
void cmdUserList(CtlContext &ctx);
void cmdUserPasswd(CtlContext &ctx);
void cmdUserQuota(CtlContext &ctx);
void cmdUserEnable(CtlContext &ctx);
void cmdUserDisable(CtlContext &ctx);
void cmdAliasAdd(CtlContext &ctx);
void cmdAliasRemove(CtlContext &ctx);
void cmdAliasList(CtlContext &ctx);
void cmdSettingsGet(CtlContext &ctx);
void cmdSettingsSet(CtlContext &ctx);
void cmdSettingsReset(CtlContext &ctx);
void cmdSettingsList(CtlContext &ctx);
void cmdLogs(CtlContext &ctx);
void cmdQueueList(CtlContext &ctx);
void cmdQueueShow(CtlContext &ctx);
void cmdQueueRetry(CtlContext &ctx);
void cmdQueueHold(CtlContext &ctx);
void cmdQueueRelease(CtlContext &ctx);
void cmdQueueDelete(CtlContext &ctx);
void cmdQueueBounce(CtlContext &ctx);
void cmdQueueFlush(CtlContext &ctx);
void cmdTlsShow(CtlContext &ctx);
void cmdTlsReplace(CtlContext &ctx);
void cmdTlsRemove(CtlContext &ctx);
void cmdDkimList(CtlContext &ctx);
void cmdDkimCreate(CtlContext &ctx);
void cmdDkimCheck(CtlContext &ctx);
void cmdDkimActivate(CtlContext &ctx);
void cmdDkimDelete(CtlContext &ctx);
void cmdMailboxList(CtlContext &ctx);
void cmdMessageList(CtlContext &ctx);
void cmdMessageShow(CtlContext &ctx);
void cmdSpamStatus(CtlContext &ctx);
void cmdSpamScore(CtlContext &ctx);
void cmdSpamTrain(CtlContext &ctx);
void cmdSpamQuarantineList(CtlContext &ctx);
void cmdSpamQuarantineShow(CtlContext &ctx);
void cmdSpamQuarantineRelease(CtlContext &ctx);
void cmdSpamQuarantineDelete(CtlContext &ctx);
void cmdSpamListShow(CtlContext &ctx);
void cmdSpamAllow(CtlContext &ctx);
void cmdSpamBlock(CtlContext &ctx);
void cmdSpamUnlist(CtlContext &ctx);
void cmdSpamScoresList(CtlContext &ctx);
void cmdSpamScoresSet(CtlContext &ctx);
void cmdSpamScoresReset(CtlContext &ctx);

} // namespace mailroom::ctl
