// Failed-login throttling (see throttle.h). Each table is capped at half of
// maxTrackedKeys so a flood of addresses cannot evict the per-user counters
// and the reverse. When a table is full, expired entries are pruned first;
// if that is not enough, the tenth with the fewest failures (oldest first)
// is dropped, so an address that is already refused stays refused.
// Trust level: fed by the Internet.
#include "auth/throttle.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <QMutexLocker>

namespace mailroom::auth
{

namespace
{
constexpr int kMaxCount = 1 << 20; // keeps counters far from overflow
constexpr int kMaxUserKeyChars = 320; // longer names are cut; addresses are at most 254

ThrottlePolicy sane(ThrottlePolicy p)
{
    p.baseDelayMs = std::clamp(p.baseDelayMs, 0, LoginThrottle::kMaxDelayMs);
    p.windowSecs = std::max(p.windowSecs, 1);
    p.maxTrackedKeys = std::max(p.maxTrackedKeys, 2);
    return p;
}

qint64 steadyNowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
} // namespace

LoginThrottle::LoginThrottle(ThrottlePolicy p, std::function<qint64()> nowMs)
    : m_policy(sane(p))
    , m_nowMs(nowMs ? std::move(nowMs) : std::function<qint64()>(steadyNowMs))
{
}

void LoginThrottle::setPolicy(ThrottlePolicy p)
{
    QMutexLocker lock(&m_mutex);
    m_policy = sane(p);
}

QByteArray LoginThrottle::ipKey(const QHostAddress &ip)
{
    bool isV4 = false;
    const quint32 v4 = ip.toIPv4Address(&isV4); // also unwraps ::ffff:a.b.c.d
    if (isV4) {
        QByteArray key(5, '4');
        for (int i = 0; i < 4; ++i)
            key[i + 1] = char((v4 >> (24 - 8 * i)) & 0xff);
        return key;
    }
    if (ip.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR v6 = ip.toIPv6Address();
        return '6' + QByteArray(reinterpret_cast<const char *>(v6.c), 8); // the /64
    }
    return QByteArrayLiteral("?"); // no address: all such callers share one counter
}

QByteArray LoginThrottle::userKey(const QString &user)
{
    if (user.isEmpty())
        return {};
    return user.left(kMaxUserKeyChars).toLower().toUtf8();
}

int LoginThrottle::liveFailures(const Table &table, const QByteArray &key, qint64 now) const
{
    const auto it = table.constFind(key);
    if (it == table.cend() || now - it->windowStartMs >= qint64(m_policy.windowSecs) * 1000)
        return 0;
    return it->failures;
}

LoginThrottle::Decision LoginThrottle::before(const QHostAddress &ip, const QString &user) const
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = m_nowMs();
    const int ipFailures = liveFailures(m_ips, ipKey(ip), now);
    const QByteArray uk = userKey(user);
    const int userFailures = uk.isEmpty() ? 0 : liveFailures(m_users, uk, now);
    Decision d;
    if ((m_policy.maxFailuresPerIp > 0 && ipFailures >= m_policy.maxFailuresPerIp)
        || (m_policy.maxFailuresPerUser > 0 && userFailures >= m_policy.maxFailuresPerUser))
        d.allowed = false;
    // The delay the next failure would cost, so a caller may pace itself.
    d.delayMs = delayFor(std::max(ipFailures, userFailures) + 1);
    return d;
}

int LoginThrottle::failed(const QHostAddress &ip, const QString &user)
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = m_nowMs();
    const int half = m_policy.maxTrackedKeys / 2;
    int failures = record(m_ips, ipKey(ip), now, half);
    const QByteArray uk = userKey(user);
    if (!uk.isEmpty())
        failures = std::max(failures, record(m_users, uk, now, half));
    return delayFor(failures);
}

void LoginThrottle::succeeded(const QHostAddress &, const QString &user)
{
    QMutexLocker lock(&m_mutex);
    const QByteArray uk = userKey(user);
    if (!uk.isEmpty())
        m_users.remove(uk);
}

int LoginThrottle::trackedKeys() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_ips.size() + m_users.size());
}

int LoginThrottle::record(Table &table, const QByteArray &key, qint64 now, int cap)
{
    auto it = table.find(key);
    if (it == table.end()) {
        if (table.size() >= cap)
            makeRoom(table, now, cap);
        it = table.insert(key, Entry { 0, now });
    } else if (now - it->windowStartMs >= qint64(m_policy.windowSecs) * 1000) {
        *it = Entry { 0, now }; // the old window is over: start a new one
    }
    it->failures = std::min(it->failures + 1, kMaxCount);
    return it->failures;
}

void LoginThrottle::makeRoom(Table &table, qint64 now, int cap)
{
    const qint64 windowMs = qint64(m_policy.windowSecs) * 1000;
    table.removeIf([&](Table::iterator it) { return now - it->windowStartMs >= windowMs; });
    if (table.size() < cap)
        return;
    // Still full of live entries: drop a tenth at once so this O(n) pass is
    // amortised over many insertions.
    struct Victim {
        int failures;
        qint64 start;
        QByteArray key;
    };
    std::vector<Victim> all;
    all.reserve(size_t(table.size()));
    for (auto it = table.cbegin(); it != table.cend(); ++it)
        all.push_back({ it->failures, it->windowStartMs, it.key() });
    const size_t drop = std::max<size_t>(1, all.size() / 10 + size_t(table.size() - cap));
    std::nth_element(all.begin(), all.begin() + qsizetype(std::min(drop, all.size()) - 1), all.end(),
        [](const Victim &a, const Victim &b) {
            return a.failures != b.failures ? a.failures < b.failures : a.start < b.start;
        });
    for (size_t i = 0; i < drop && i < all.size(); ++i)
        table.remove(all[i].key);
}

int LoginThrottle::delayFor(int failures) const
{
    if (failures < 1 || m_policy.baseDelayMs <= 0)
        return 0;
    const int shift = std::min(failures - 1, 20);
    const qint64 delay = qint64(m_policy.baseDelayMs) << shift;
    return int(std::min<qint64>(delay, kMaxDelayMs));
}

} // namespace mailroom::auth
