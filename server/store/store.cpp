#include "store/store.h"

#include <QDir>
#include <QFileInfo>

#include "base/events.h"
#include "store/blobstore.h"
#include "store/directory.h"
#include "store/dkimkeys.h"
#include "store/greylist.h"
#include "store/logstore.h"
#include "store/mailboxes.h"
#include "store/mailstore.h"
#include "store/migrations.h"
#include "store/queuerepository.h"
#include "store/settingsrepository.h"
#include "store/spampolicy.h"
#include "store/spamstore.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
Status prepareFolder(const QString &folder)
{
    for (const QString &sub : { QString(), QStringLiteral("/blobs") }) {
        if (!QDir().mkpath(folder + sub))
            return Error(ErrorCode::IoError,
                QStringLiteral("Cannot create %1. Check that the data folder is "
                               "writable by the engine's user.")
                    .arg(folder + sub));
    }
    const QFileInfo info(folder);
    if (!info.isWritable())
        return Error(ErrorCode::IoError,
            QStringLiteral("The data folder %1 is not writable by this user. Fix its owner or permissions.")
                .arg(folder));
    return {};
}

// Opens db and migrates it; logs.db starts with incremental auto-vacuum so
// pruning gives space back.
Result<int> openAndMigrate(Database &db, const QList<Migration> &migrations, bool incrementalVacuum, int target = -1)
{
    auto conn = db.connection();
    if (!conn)
        return conn.error();
    if (incrementalVacuum)
        if (auto s = execScript(*conn, { QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL") }); !s)
            return s.error();
    return migrate(*conn, migrations, target);
}
} // namespace

Store::Store() = default;
Store::~Store() = default;

int Store::newestSchema()
{
    return mailMigrations().last().version;
}

Status Store::migrateTo(const QString &dataFolder, int version)
{
    if (auto s = prepareFolder(dataFolder); !s)
        return s;
    Database db(dataFolder + QStringLiteral("/mailroom.db"), Durability::Full);
    auto r = openAndMigrate(db, mailMigrations(), false, version);
    if (!r)
        return r.error();
    return {};
}

Result<std::unique_ptr<Store>> Store::open(const QString &dataFolder, EventBus *bus)
{
    const QString folder = QDir(dataFolder).absolutePath();
    if (auto s = prepareFolder(folder); !s)
        return s.error();
    std::unique_ptr<Store> store(new Store);
    store->m_folder = folder;
    store->m_mail = std::make_unique<Database>(folder + QStringLiteral("/mailroom.db"), Durability::Full);
    store->m_log = std::make_unique<Database>(folder + QStringLiteral("/logs.db"), Durability::Normal);
    // Losing the last training after a power cut is acceptable; it is
    // trained again from the same mail.
    store->m_spamDb = std::make_unique<Database>(folder + QStringLiteral("/spam.db"), Durability::Normal);

    struct Db {
        Database *db;
        const QList<Migration> *migrations;
        bool vacuum;
        const char *file;
    };
    for (const Db &d : { Db { store->m_mail.get(), &mailMigrations(), false, "mailroom.db" },
             Db { store->m_log.get(), &logMigrations(), true, "logs.db" },
             Db { store->m_spamDb.get(), &spamMigrations(), false, "spam.db" } }) {
        auto from = openAndMigrate(*d.db, *d.migrations, d.vacuum);
        if (!from)
            return from.error();
        const int to = d.migrations->last().version;
        if (bus && *from != to && *from != 0)
            bus->raise(EventId::StoreMigrated,
                { { QStringLiteral("file"), QLatin1String(d.file) }, { QStringLiteral("from"), *from },
                    { QStringLiteral("to"), to } });
        if (bus)
            bus->raise(EventId::StoreOpened,
                { { QStringLiteral("file"), QLatin1String(d.file) }, { QStringLiteral("version"), to } });
    }
    store->m_directory = std::make_unique<Directory>(*store->m_mail, bus);
    store->m_mailboxes = std::make_unique<Mailboxes>(*store->m_mail);
    store->m_blobs = std::make_unique<BlobStore>(*store->m_mail, folder + QStringLiteral("/blobs"));
    store->m_mailStore = std::make_unique<MailStore>(*store->m_mail, *store->m_blobs);
    store->m_logs = std::make_unique<LogStore>(*store->m_log);
    store->m_settings = std::make_unique<SettingsRepository>(*store->m_mail);
    store->m_queue = std::make_unique<QueueRepository>(*store->m_mail);
    store->m_spam = std::make_unique<SpamStore>(*store->m_spamDb);
    store->m_greylist = std::make_unique<Greylist>(*store->m_mail);
    store->m_dkimKeys = std::make_unique<DkimKeys>(*store->m_mail, folder + QStringLiteral("/dkim"), bus);
    store->m_dkimKeys->sweep();
    store->m_directory->setDomainRemovedHook(
        [keys = store->m_dkimKeys.get()](const QString &domain) { keys->removeDomainFiles(domain); });
    store->m_spamPolicy = std::make_unique<SpamPolicy>(*store->m_mail);
    return store;
}

Directory &Store::directory()
{
    return *m_directory;
}

Mailboxes &Store::mailboxes()
{
    return *m_mailboxes;
}

MailStore &Store::mailStore()
{
    return *m_mailStore;
}

BlobStore &Store::blobs()
{
    return *m_blobs;
}

LogStore &Store::logs()
{
    return *m_logs;
}

QueueRepository &Store::queue()
{
    return *m_queue;
}

SpamStore &Store::spam()
{
    return *m_spam;
}

Greylist &Store::greylist()
{
    return *m_greylist;
}

DkimKeys &Store::dkimKeys()
{
    return *m_dkimKeys;
}

SpamPolicy &Store::spamPolicy()
{
    return *m_spamPolicy;
}

Result<std::unique_ptr<Transaction>> Store::beginBatch()
{
    auto db = m_mail->connection();
    if (!db)
        return db.error();
    auto tx = std::make_unique<Transaction>(*db);
    if (!tx->begun())
        return tx->error();
    return tx;
}

SettingsRepository &Store::settings()
{
    return *m_settings;
}

} // namespace mailroom::store
