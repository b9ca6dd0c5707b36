// Resolver: c-ares channel glue to the Qt event loop, query bookkeeping and
// the cache (see resolver.h). c-ares reports socket interest through its
// sock_state_cb; each socket gets a read and a write QSocketNotifier, and one
// QTimer fires for ares_timeout() or the earliest query deadline.
// RFC 1035 §4.2 (UDP, TCP fallback done by c-ares on truncation).
// Trust level: network answers are parsed in answer.cpp/wire.cpp; callbacks
// of c-ares never call user code directly (results are posted), so user code
// can never re-enter c-ares or destroy the channel under it.
#include "dns/resolver.h"

#include <arpa/nameser.h>
#include <map>
#include <mutex>
#include <vector>

#include <QHash>
#include <QSocketNotifier>
#include <QTimer>

#include <ares.h>

#include "dns/answer.h"
#include "dns/cache.h"
#include "dns/logging.h"
#include "dns/names.h"
#include "dns/nameserver.h"

namespace mailroom::dns
{

namespace
{

using Clock = Cache::Clock;
using Deliver = std::function<void(const AnyReply &)>;

constexpr int maxTimeoutMs = 600000;
constexpr int maxTries = 10;

int libraryInit()
{
    static std::once_flag once;
    static int status = ARES_SUCCESS;
    std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
    return status;
}

template<class T> Deliver typed(std::function<void(const Reply<T> &)> done)
{
    return [done = std::move(done)](const AnyReply &reply) {
        if (done)
            done(std::get<Reply<T>>(reply));
    };
}

} // namespace

struct Resolver::Private {
    struct Query {
        QueryType type;
        QByteArray name;
        Clock::time_point deadline;
        Deliver deliver;
    };
    // Handed to c-ares as the callback argument; c-ares calls back exactly
    // once per query (with ARES_EDESTRUCTION from ares_destroy()).
    struct Ticket {
        Private *d;
        quint64 id;
    };
    struct SocketWatch {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
    };

    Private(Resolver *resolver, Options opts)
        : m_q(resolver)
        , m_options(std::move(opts))
        , m_cache(m_options.cacheEntries)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, m_q, [this] { onTimer(); });
    }

    ~Private()
    {
        m_destroying = true;
        if (m_channel)
            ares_destroy(m_channel); // runs every query callback with ARES_EDESTRUCTION
        for (const SocketWatch &w : std::as_const(m_sockets)) {
            delete w.read;
            delete w.write;
        }
    }

    Status init();
    void lookup(QueryType type, const std::optional<QByteArray> &name, const QString &shown, Deliver deliver);
    void post(Deliver deliver, AnyReply reply);
    void finished(quint64 id, int status, const unsigned char *msg, int length);
    void socketState(ares_socket_t fd, bool readable, bool writable);
    void process(ares_socket_t readFd, ares_socket_t writeFd);
    void onTimer();
    void rearm();

    static void sockStateCallback(void *data, ares_socket_t fd, int readable, int writable)
    {
        static_cast<Private *>(data)->socketState(fd, readable != 0, writable != 0);
    }
    static void queryCallback(void *arg, int status, int /*timeouts*/, unsigned char *msg, int length)
    {
        std::unique_ptr<Ticket> ticket(static_cast<Ticket *>(arg));
        if (status == ARES_EDESTRUCTION || ticket->d->m_destroying)
            return;
        ticket->d->finished(ticket->id, status, msg, length);
    }

    Resolver *m_q;
    Options m_options;
    Cache m_cache;
    ares_channel m_channel = nullptr;
    bool m_destroying = false;
    int m_pendingCount = 0;
    quint64 m_nextId = 0;
    qint64 m_budgetMs = 0; // timeoutMs * tries * nameservers: the most a lookup may take
    std::map<quint64, Query> m_queries; // by id = by deadline, all share one timeout
    QHash<ares_socket_t, SocketWatch> m_sockets;
    QTimer m_timer;
};

Status Resolver::Private::init()
{
    if (m_channel)
        return {};
    if (m_options.timeoutMs < 1 || m_options.timeoutMs > maxTimeoutMs)
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("DNS timeout must be between 1 and %1 ms.").arg(maxTimeoutMs));
    if (m_options.tries < 1 || m_options.tries > maxTries)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("DNS tries must be between 1 and %1.").arg(maxTries));
    QList<Nameserver> servers;
    if (!m_options.nameserver.trimmed().isEmpty()) {
        auto parsed = parseNameservers(m_options.nameserver);
        if (!parsed)
            return parsed.error();
        servers = *parsed;
    }
    if (const int st = libraryInit(); st != ARES_SUCCESS)
        return Error(ErrorCode::Unavailable,
            QStringLiteral("Could not initialise c-ares: %1.").arg(QString::fromLatin1(ares_strerror(st))));

    ares_options opts = {};
    opts.sock_state_cb = &sockStateCallback;
    opts.sock_state_cb_data = this;
    opts.timeout = m_options.timeoutMs; // milliseconds with ARES_OPT_TIMEOUTMS
    opts.tries = m_options.tries;
    const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    if (const int st = ares_init_options(&m_channel, &opts, mask); st != ARES_SUCCESS) {
        m_channel = nullptr;
        return Error(ErrorCode::Unavailable,
            QStringLiteral("Could not start the DNS resolver: %1.").arg(QString::fromLatin1(ares_strerror(st))));
    }
    if (!servers.isEmpty()) {
        std::vector<ares_addr_port_node> nodes(static_cast<size_t>(servers.size()));
        for (size_t i = 0; i < nodes.size(); ++i) {
            const Nameserver &ns = servers.at(static_cast<qsizetype>(i));
            ares_addr_port_node &node = nodes[i];
            node = {};
            node.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
            if (ns.address.protocol() == QAbstractSocket::IPv4Protocol) {
                node.family = AF_INET;
                node.addr.addr4.s_addr = htonl(ns.address.toIPv4Address());
            } else {
                node.family = AF_INET6;
                const Q_IPV6ADDR v6 = ns.address.toIPv6Address();
                std::copy(std::begin(v6.c), std::end(v6.c), std::begin(node.addr.addr6._S6_un._S6_u8));
            }
            node.udp_port = ns.port;
            node.tcp_port = ns.port;
        }
        if (const int st = ares_set_servers_ports(m_channel, nodes.data()); st != ARES_SUCCESS) {
            ares_destroy(m_channel);
            m_channel = nullptr;
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("DNS nameserver \"%1\" was refused: %2.")
                    .arg(m_options.nameserver, QString::fromLatin1(ares_strerror(st))));
        }
    }
    int serverCount = 0;
    ares_addr_port_node *configured = nullptr;
    if (ares_get_servers_ports(m_channel, &configured) == ARES_SUCCESS) {
        for (const ares_addr_port_node *n = configured; n; n = n->next)
            ++serverCount;
    }
    ares_free_data(configured);
    m_budgetMs = qint64(m_options.timeoutMs) * m_options.tries * std::max(serverCount, 1);
    qCDebug(lcDns) << "resolver ready, nameserver"
                   << (m_options.nameserver.isEmpty() ? QStringLiteral("(system)") : m_options.nameserver);
    return {};
}

void Resolver::Private::lookup(
    QueryType type, const std::optional<QByteArray> &name, const QString &shown, Deliver deliver)
{
    ++m_pendingCount;
    if (!name) {
        post(std::move(deliver), failureReply(type, Rcode::Malformed, QStringLiteral("not a valid domain name")));
        return;
    }
    if (!m_channel) {
        post(std::move(deliver), failureReply(type, Rcode::TempFail, QStringLiteral("resolver not initialised")));
        return;
    }
    const Clock::time_point now = Clock::now();
    if (auto hit = m_cache.find(type, *name, now)) {
        qCDebug(lcDns) << "cache hit" << queryTypeName(type) << *name << rcodeName(rcodeOf(*hit));
        post(std::move(deliver), std::move(*hit));
        return;
    }
    const quint64 id = m_nextId++;
    m_queries.emplace(id, Query { type, *name, now + std::chrono::milliseconds(m_budgetMs), std::move(deliver) });
    qCDebug(lcDns) << "query" << id << queryTypeName(type) << *name << "for" << shown;
    // May call queryCallback at once (e.g. bad name); it only posts.
    ares_query(m_channel, name->constData(), ns_c_in, wireType(type), &queryCallback, new Ticket { this, id });
    rearm();
}

void Resolver::Private::post(Deliver deliver, AnyReply reply)
{
    QMetaObject::invokeMethod(
        m_q,
        [this, deliver = std::move(deliver), reply = std::move(reply)] {
            --m_pendingCount;
            deliver(reply); // last statement: the callback may delete the resolver
        },
        Qt::QueuedConnection);
}

void Resolver::Private::finished(quint64 id, int status, const unsigned char *msg, int length)
{
    const auto it = m_queries.find(id);
    if (it == m_queries.end())
        return; // already answered TempFail at its deadline
    Query query = std::move(it->second);
    m_queries.erase(it);
    AnyReply reply = parseAnswer(query.type, status, msg, length);
    qCDebug(lcDns) << "answer" << id << queryTypeName(query.type) << query.name << rcodeName(rcodeOf(reply)) << "ttl"
                   << ttlOf(reply) << (status == ARES_SUCCESS ? "" : ares_strerror(status));
    m_cache.insert(query.type, query.name, reply, Clock::now());
    post(std::move(query.deliver), std::move(reply));
}

void Resolver::Private::socketState(ares_socket_t fd, bool readable, bool writable)
{
    if (m_destroying)
        return;
    auto it = m_sockets.find(fd);
    if (!readable && !writable) {
        if (it != m_sockets.end()) {
            // May run inside this notifier's own activated() signal: delete later.
            for (QSocketNotifier *n : { it->read, it->write }) {
                n->setEnabled(false);
                n->disconnect(m_q);
                n->deleteLater();
            }
            m_sockets.erase(it);
        }
        return;
    }
    if (it == m_sockets.end()) {
        SocketWatch w;
        w.read = new QSocketNotifier(fd, QSocketNotifier::Read, m_q);
        w.write = new QSocketNotifier(fd, QSocketNotifier::Write, m_q);
        w.read->setEnabled(false);
        w.write->setEnabled(false);
        QObject::connect(w.read, &QSocketNotifier::activated, m_q, [this, fd] { process(fd, ARES_SOCKET_BAD); });
        QObject::connect(w.write, &QSocketNotifier::activated, m_q, [this, fd] { process(ARES_SOCKET_BAD, fd); });
        it = m_sockets.insert(fd, w);
    }
    it->read->setEnabled(readable);
    it->write->setEnabled(writable);
}

void Resolver::Private::process(ares_socket_t readFd, ares_socket_t writeFd)
{
    ares_process_fd(m_channel, readFd, writeFd);
    rearm();
}

void Resolver::Private::onTimer()
{
    ares_process_fd(m_channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD); // handles c-ares' own retries
    // Our own budget, timeoutMs per try and server: c-ares doubles the timeout
    // on each round, so without it a dead server would hold a lookup longer.
    const Clock::time_point now = Clock::now();
    while (!m_queries.empty() && m_queries.begin()->second.deadline <= now) {
        Query query = std::move(m_queries.begin()->second);
        const quint64 id = m_queries.begin()->first;
        m_queries.erase(m_queries.begin());
        qCDebug(lcDns) << "query" << id << queryTypeName(query.type) << query.name << "timed out";
        post(std::move(query.deliver),
            failureReply(query.type, Rcode::TempFail, QStringLiteral("timed out after %1 ms").arg(m_budgetMs)));
    }
    rearm();
}

void Resolver::Private::rearm()
{
    if (!m_channel || m_destroying)
        return;
    std::optional<qint64> wait;
    timeval tv = {};
    if (const timeval *next = ares_timeout(m_channel, nullptr, &tv))
        wait = qint64(next->tv_sec) * 1000 + (next->tv_usec + 999) / 1000;
    if (!m_queries.empty()) {
        const auto left
            = std::chrono::ceil<std::chrono::milliseconds>(m_queries.begin()->second.deadline - Clock::now());
        wait = std::min(wait.value_or(left.count()), qint64(left.count()));
    }
    if (!wait) {
        m_timer.stop();
        return;
    }
    m_timer.start(static_cast<int>(std::clamp<qint64>(*wait, 0, maxTimeoutMs)));
}

Resolver::Resolver(Options opts, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(opts)))
{
}

Resolver::~Resolver() = default;

Status Resolver::init()
{
    return d->init();
}

void Resolver::lookupMx(const QString &domain, std::function<void(const Reply<MxRecord> &)> done)
{
    d->lookup(QueryType::Mx, normalizeName(domain), domain, typed(std::move(done)));
}

void Resolver::lookupA(const QString &name, std::function<void(const Reply<QHostAddress> &)> done)
{
    d->lookup(QueryType::A, normalizeName(name), name, typed(std::move(done)));
}

void Resolver::lookupAaaa(const QString &name, std::function<void(const Reply<QHostAddress> &)> done)
{
    d->lookup(QueryType::Aaaa, normalizeName(name), name, typed(std::move(done)));
}

void Resolver::lookupTxt(const QString &name, std::function<void(const Reply<QByteArray> &)> done)
{
    d->lookup(QueryType::Txt, normalizeName(name), name, typed(std::move(done)));
}

void Resolver::lookupPtr(const QHostAddress &address, std::function<void(const Reply<QString> &)> done)
{
    d->lookup(QueryType::Ptr, reverseName(address), address.toString(), typed(std::move(done)));
}

void Resolver::clearCache()
{
    d->m_cache.clear();
}

int Resolver::pending() const
{
    return d->m_pendingCount;
}

} // namespace mailroom::dns
