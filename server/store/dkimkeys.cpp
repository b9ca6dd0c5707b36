// DkimKeys: rows in dkim_keys, private keys in dkim/<domain>/<selector>.pem.
// The file is written before its row is committed and removed after its row
// is gone: a crash between the two leaves a file without a row, which sweep()
// removes, never a row without its key.
#include "store/dkimkeys.h"

#include <fcntl.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include "base/durablefile.h"
#include "store/address.h"
#include "store/logging.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
constexpr qsizetype kMaxSelector = 63;

// Key files are created 0600 whatever the umask (DurableFile asks for 0640).
int openOwnerOnly(const char *path, int flags, mode_t mode)
{
    return ::open(path, flags | O_CLOEXEC, (flags & O_DIRECTORY) ? mode : mode_t(0600));
}

const FileOps &keyFileOps()
{
    static const FileOps ops = [] {
        FileOps o = FileOps::system();
        o.open = openOwnerOnly;
        return o;
    }();
    return ops;
}

const QString kColumns = QStringLiteral(
    "d.name, k.selector, k.algorithm, k.state, k.created, k.activated, k.retired, k.record FROM dkim_keys k"
    " JOIN domains d ON d.id = k.domain_id");

QDateTime timeOrNull(qint64 ms)
{
    return ms > 0 ? fromMs(ms) : QDateTime();
}

DkimKeyRecord recordFrom(const Query &q)
{
    DkimKeyRecord r;
    r.domain = q.value(0).toString();
    r.selector = q.value(1).toString();
    r.algorithm = q.value(2).toString();
    r.state = q.value(3).toString();
    r.created = timeOrNull(q.value(4).toLongLong());
    r.activated = timeOrNull(q.value(5).toLongLong());
    r.retired = timeOrNull(q.value(6).toLongLong());
    r.record = q.value(7).toString().toLatin1();
    return r;
}

Error noKey(const QString &domain, const QString &selector)
{
    return Error(ErrorCode::NotFound,
        QStringLiteral("%1 has no DKIM key with selector %2; mailroomctl dkim list %1 shows its keys.")
            .arg(domain, selector));
}

Status makeOwnerOnlyFolder(const QString &path)
{
    if (QFileInfo::exists(path))
        return {};
    if (!QDir().mkpath(path)
        || !QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return Error(ErrorCode::IoError,
            QStringLiteral("Could not create the folder %1: check the permissions of the data folder.").arg(path));
    return DurableFile::syncFolder(QFileInfo(path).absolutePath());
}
} // namespace

DkimKeys::DkimKeys(Database &db, QString folder, EventBus *bus)
    : m_db(db)
    , m_folder(std::move(folder))
    , m_bus(bus)
{
}

Result<QString> DkimKeys::normalizeSelector(const QString &selector)
{
    const QString s = selector.trimmed().toLower();
    const auto bad = [&](const QString &why) {
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a DKIM selector: %2.").arg(selector, why));
    };
    if (s.isEmpty())
        return bad(QStringLiteral("it is empty"));
    if (s.size() > kMaxSelector)
        return bad(QStringLiteral("it is longer than %1 characters").arg(kMaxSelector));
    for (const QString &label : s.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
            return bad(QStringLiteral("each label needs letters or digits at both ends"));
        for (QChar c : label)
            if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'))
                return bad(QStringLiteral("only letters, digits, hyphens and dots are allowed"));
    }
    return s;
}

QString DkimKeys::keyPath(const QString &domain, const QString &selector) const
{
    return m_folder + QLatin1Char('/') + domain + QLatin1Char('/') + selector + QStringLiteral(".pem");
}

Status DkimKeys::writeKeyFile(const QString &domain, const QString &selector, const QByteArray &pem)
{
    if (auto s = makeOwnerOnlyFolder(m_folder); !s)
        return s;
    if (auto s = makeOwnerOnlyFolder(m_folder + QLatin1Char('/') + domain); !s)
        return s;
    return DurableFile::writeAll(keyPath(domain, selector), pem, keyFileOps());
}

Result<QList<DkimKeyRecord>> DkimKeys::list(const QString &domain)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QString d;
    if (!domain.isEmpty()) {
        auto n = normalizeDomain(domain);
        if (!n)
            return n.error();
        auto exists = Query(*db, QStringLiteral("SELECT 1 FROM domains WHERE name = ?")).bind(*n).scalar();
        if (!exists)
            return exists.error();
        if (!exists->isValid())
            return Error(ErrorCode::NotFound, QStringLiteral("There is no domain %1.").arg(*n));
        d = *n;
    }
    Query q(*db,
        QStringLiteral("SELECT ") + kColumns + (d.isEmpty() ? QString() : QStringLiteral(" WHERE d.name = ?"))
            + QStringLiteral(" ORDER BY d.name, k.created DESC, k.id DESC"));
    if (!d.isEmpty())
        q.bind(d);
    if (auto s = q.exec(); !s)
        return s.error();
    QList<DkimKeyRecord> out;
    while (q.next())
        out << recordFrom(q);
    return out;
}

Result<DkimKeyRecord> DkimKeys::find(const QString &domain, const QString &selector)
{
    auto n = normalizeDomain(domain);
    if (!n)
        return n.error();
    auto sel = normalizeSelector(selector);
    if (!sel)
        return sel.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" WHERE d.name = ? AND k.selector = ?"));
    if (auto s = q.bind(*n).bind(*sel).exec(); !s)
        return s.error();
    if (!q.next())
        return noKey(*n, *sel);
    return recordFrom(q);
}

Result<DkimKeyRecord> DkimKeys::add(const QString &domain,
    const QString &selector,
    const QString &algorithm,
    const QByteArray &record,
    const QByteArray &privatePem)
{
    auto n = normalizeDomain(domain);
    if (!n)
        return n.error();
    auto sel = normalizeSelector(selector);
    if (!sel)
        return sel.error();
    if (algorithm != u"rsa-sha256" && algorithm != u"ed25519-sha256")
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("\"%1\" is not a DKIM algorithm: use rsa-sha256 or ed25519-sha256.").arg(algorithm));
    auto db = m_db.connection();
    if (!db)
        return db.error();
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto id = Query(*db, QStringLiteral("SELECT id FROM domains WHERE name = ?")).bind(*n).scalar();
        if (!id)
            return id.error();
        if (!id->isValid())
            return Error(ErrorCode::NotFound,
                QStringLiteral("The domain %1 is not a local domain. Add the domain first.").arg(*n));
        auto taken = Query(*db, QStringLiteral("SELECT 1 FROM dkim_keys WHERE domain_id = ? AND selector = ?"))
                         .bind(*id)
                         .bind(*sel)
                         .scalar();
        if (!taken)
            return taken.error();
        if (taken->isValid())
            return Error(ErrorCode::AlreadyExists,
                QStringLiteral("%1 has a DKIM key with selector %2 already: choose another selector.").arg(*n, *sel));
        // The key is on disk before its row exists: a committed row always
        // has its key. The write lock held by the transaction keeps two
        // admins from writing the same file.
        if (auto s = writeKeyFile(*n, *sel, privatePem); !s)
            return s.error();
        Query ins(*db,
            QStringLiteral(
                "INSERT INTO dkim_keys (domain_id, selector, algorithm, state, created, record) VALUES (?, ?, ?, "
                "'pending', ?, ?)"));
        if (auto s = ins.bind(*id).bind(*sel).bind(algorithm).bind(nowMs()).bind(QString::fromLatin1(record)).exec();
            !s) {
            QFile::remove(keyPath(*n, *sel));
            return s.error();
        }
        if (auto s = tx.commit(); !s) {
            QFile::remove(keyPath(*n, *sel));
            return s.error();
        }
    }
    raise(m_bus, EventId::DkimKeyCreated,
        { { QStringLiteral("domain"), *n }, { QStringLiteral("selector"), *sel },
            { QStringLiteral("algorithm"), algorithm } });
    return find(*n, *sel);
}

Result<DkimActivation> DkimKeys::activate(const QString &domain, const QString &selector)
{
    auto key = find(domain, selector);
    if (!key)
        return key.error();
    DkimActivation out;
    if (key->state == u"active") {
        out.key = *key;
        return out;
    }
    if (!QFileInfo::exists(keyPath(key->domain, key->selector)))
        return Error(ErrorCode::NotFound,
            QStringLiteral("The private key file %1 is missing: restore it from a backup, or delete this key and "
                           "make a new one.")
                .arg(keyPath(key->domain, key->selector)));
    auto db = m_db.connection();
    if (!db)
        return db.error();
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        const QString domainId = QStringLiteral("(SELECT id FROM domains WHERE name = ?)");
        Query old(*db,
            QStringLiteral("SELECT selector FROM dkim_keys WHERE domain_id = ") + domainId
                + QStringLiteral(" AND algorithm = ? AND state = 'active'"));
        if (auto s = old.bind(key->domain).bind(key->algorithm).exec(); !s)
            return s.error();
        if (old.next())
            out.retiredSelector = old.value(0).toString();
        const qint64 now = nowMs();
        Query retire(*db,
            QStringLiteral("UPDATE dkim_keys SET state = 'retired', retired = ? WHERE domain_id = ") + domainId
                + QStringLiteral(" AND algorithm = ? AND state = 'active'"));
        if (auto s = retire.bind(now).bind(key->domain).bind(key->algorithm).exec(); !s)
            return s.error();
        Query act(*db,
            QStringLiteral("UPDATE dkim_keys SET state = 'active', activated = ?, retired = 0 WHERE domain_id = ")
                + domainId + QStringLiteral(" AND selector = ?"));
        if (auto s = act.bind(now).bind(key->domain).bind(key->selector).exec(); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    raise(m_bus, EventId::DkimKeyActivated,
        { { QStringLiteral("domain"), key->domain }, { QStringLiteral("selector"), key->selector },
            { QStringLiteral("algorithm"), key->algorithm },
            { QStringLiteral("retired"),
                out.retiredSelector.isEmpty() ? QString()
                                              : QStringLiteral("; %1 is retired").arg(out.retiredSelector) } });
    auto now = find(key->domain, key->selector);
    if (!now)
        return now.error();
    out.key = *now;
    return out;
}

Status DkimKeys::remove(const QString &domain, const QString &selector, bool force)
{
    auto key = find(domain, selector);
    if (!key)
        return key.error();
    if (key->state == u"active" && !force)
        return Error(ErrorCode::Conflict,
            QStringLiteral("The DKIM key %1 of %2 signs mail now. Activate another key first, or delete it with "
                           "force (mail from %2 then goes out unsigned by %3).")
                .arg(key->selector, key->domain, key->algorithm));
    return removeKey(*key, EventId::DkimKeyRemoved, {});
}

Result<QList<DkimKeyRecord>> DkimKeys::removeRetired(const QDateTime &before)
{
    auto all = list(QString());
    if (!all)
        return all.error();
    QList<DkimKeyRecord> removed;
    for (const DkimKeyRecord &key : std::as_const(*all)) {
        if (key.state != u"retired" || !key.retired.isValid() || key.retired >= before)
            continue;
        const qint64 days = key.retired.daysTo(QDateTime::currentDateTimeUtc());
        if (auto s = removeKey(key, EventId::DkimKeyExpired,
                { { QStringLiteral("days"), QVariant(days) },
                    { QStringLiteral("name"), QString(key.selector + QStringLiteral("._domainkey.") + key.domain) } });
            !s)
            return s.error();
        removed.append(key);
    }
    return removed;
}

Status DkimKeys::removeKey(const DkimKeyRecord &key, EventId event, QVariantMap fields)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query del(*db,
        QStringLiteral(
            "DELETE FROM dkim_keys WHERE selector = ? AND domain_id = (SELECT id FROM domains WHERE name = ?)"));
    if (auto s = del.bind(key.selector).bind(key.domain).exec(); !s)
        return s;
    const QString path = keyPath(key.domain, key.selector);
    if (QFile::exists(path) && !QFile::remove(path))
        qCWarning(lcStore).noquote() << "could not remove the DKIM key file" << path << "; it goes at the next start";
    // The row is gone already; a file that comes back after a crash is swept.
    (void)DurableFile::syncFolder(QFileInfo(path).absolutePath());
    QDir().rmdir(m_folder + QLatin1Char('/') + key.domain); // only when empty
    fields.insert(QStringLiteral("domain"), key.domain);
    fields.insert(QStringLiteral("selector"), key.selector);
    raise(m_bus, event, std::move(fields));
    return {};
}

Result<QList<DkimSigningKey>> DkimKeys::activeKeys()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" WHERE k.state = 'active' ORDER BY d.name"));
    if (auto s = q.exec(); !s)
        return s.error();
    QList<DkimSigningKey> out;
    while (q.next()) {
        const DkimKeyRecord r = recordFrom(q);
        QFile f(keyPath(r.domain, r.selector));
        if (!f.open(QIODevice::ReadOnly) || f.size() > 64 * 1024) {
            qCWarning(lcStore).noquote() << "DKIM key file" << f.fileName() << "cannot be read:" << f.errorString();
            continue;
        }
        out.append({ r.domain, r.selector, r.algorithm, f.readAll() });
    }
    return out;
}

void DkimKeys::removeDomainFiles(const QString &domain)
{
    auto n = normalizeDomain(domain);
    if (!n)
        return;
    QDir dir(m_folder + QLatin1Char('/') + *n);
    if (!dir.exists())
        return;
    if (!dir.removeRecursively())
        qCWarning(lcStore).noquote() << "could not remove" << dir.path() << "; it goes at the next start";
    (void)DurableFile::syncFolder(m_folder);
}

int DkimKeys::sweep()
{
    QDir top(m_folder);
    if (!top.exists())
        return 0;
    auto db = m_db.connection();
    if (!db)
        return 0;
    Query q(*db, QStringLiteral("SELECT ") + kColumns);
    if (!q.exec())
        return 0;
    QSet<QString> kept;
    while (q.next()) {
        const DkimKeyRecord r = recordFrom(q);
        kept.insert(r.domain + QLatin1Char('/') + r.selector + QStringLiteral(".pem"));
    }
    int removed = 0;
    for (const QString &domain : top.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        QDir dir(top.filePath(domain));
        for (const QString &file : dir.entryList(QDir::Files | QDir::Hidden)) {
            if (kept.contains(domain + QLatin1Char('/') + file))
                continue;
            if (dir.remove(file))
                ++removed;
        }
        if (dir.isEmpty())
            top.rmdir(domain);
        else
            (void)DurableFile::syncFolder(dir.path());
    }
    if (removed > 0)
        qCInfo(lcStore).noquote() << "removed" << removed << "DKIM key files without a key in mailroom.db";
    return removed;
}

} // namespace mailroom::store
