// Session: IDLE (RFC 2177, RFC 9051 §6.3.13). While idling, a change to the
// selected mailbox (MailboxEvents) is synced on the store workers and its
// untagged responses are sent at once; "DONE" ends it.
// Trust level: talks to the Internet.
#include <QFutureWatcher>
#include <QtConcurrent>

#include "imap/server.h"
#include "imap/session.h"

namespace mailroom::imap
{

void Session::beginIdle(const QByteArray &tag)
{
    m_pendingTag = tag;
    m_phase = Phase::Idle;
    m_idleDone = false;
    write("+ idling\r\n");
    idleSync(false);
}

void Session::handleIdleLine(const QByteArray &line)
{
    if (line.compare("DONE", Qt::CaseInsensitive) != 0) {
        m_phase = Phase::Command;
        write(m_pendingTag + " BAD Expected DONE\r\n");
        countError();
        return;
    }
    m_phase = Phase::Running;
    m_idleDone = true;
    if (!m_idleSyncRunning)
        idleSync(true);
}

void Session::idleSync(bool finishing)
{
    if (m_idleSyncRunning) {
        m_idleSyncAgain = true;
        return;
    }
    if (!m_selected && !finishing)
        return;
    m_idleSyncRunning = true;
    m_idleSyncAgain = false;
    auto *watcher = new QFutureWatcher<QByteArray>(this);
    ++m_jobs;
    connect(watcher, &QFutureWatcher<QByteArray>::finished, this, [this, watcher] {
        watcher->deleteLater();
        --m_jobs;
        m_idleSyncRunning = false;
        const QByteArray out = watcher->result();
        if (m_phase == Phase::Closing) {
            maybeDelete();
            return;
        }
        write(out);
        if (m_state == State::Logout) {
            close(QStringLiteral("mailbox gone"));
            return;
        }
        if (m_idleDone) {
            m_idleDone = false;
            if (!m_idleSyncAgain) {
                write(m_pendingTag + " OK IDLE terminated\r\n");
                m_phase = Phase::Command;
                armTimer();
                process();
                return;
            }
            m_idleDone = true;
            idleSync(true);
            return;
        }
        if (m_idleSyncAgain)
            idleSync(false);
    });
    watcher->setFuture(QtConcurrent::run(&m_ctx.storeWorkers, [this] {
        QByteArray out;
        if (!m_selected)
            return out;
        bool gone = false;
        auto st = m_selected->sync(&out, true, condstore(), qresync(), &gone);
        if (!st)
            logFailure("IDLE", st.error().message);
        if (gone) {
            out += "* BYE [NONEXISTENT] The selected mailbox was deleted or renamed\r\n";
            m_selected.reset();
            m_state = State::Logout;
        }
        return out;
    }));
}

} // namespace mailroom::imap
