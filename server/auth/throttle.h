// LoginThrottle: failed-login throttling shared by SMTP AUTH, IMAP and POP3
// (DESIGN §5: auth failures per IP and per user are bounded settings).
// Failures are counted per IP (IPv6 grouped by /64, IPv4-mapped addresses as
// IPv4) and per user (lower-cased) in a fixed window that opens at the first
// failure. Reaching a limit refuses further attempts until the window ends.
// Loopback is not exempt. Thread-safe; memory is bounded.
// Trust level: fed by the Internet (addresses and claimed user names).
#pragma once

#include <functional>

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QString>

namespace mailroom::auth
{

struct ThrottlePolicy {
    int baseDelayMs = 1000;
    int maxFailuresPerIp = 10; // <= 0: no limit
    int maxFailuresPerUser = 20; // <= 0: no limit
    int windowSecs = 900;
    int maxTrackedKeys = 100000; // IPs plus users; the least important entries go first
};

class LoginThrottle
{
public:
    static constexpr int kMaxDelayMs = 30000;

    // nowMs: a monotonic clock in milliseconds; empty means the steady clock.
    explicit LoginThrottle(ThrottlePolicy p, std::function<qint64()> nowMs = {});
    void setPolicy(ThrottlePolicy p);

    struct Decision {
        bool allowed = true; // false: answer 4xx and disconnect, don't even check credentials
        int delayMs = 0; // pause before answering a FAILURE
    };
    // Before checking credentials. user may be empty (not known yet).
    Decision before(const QHostAddress &ip, const QString &user) const;
    // Records a failure and returns the delay (ms) to wait before answering:
    // base * 2^(failures-1) for the larger of the IP's and the user's count, capped at kMaxDelayMs.
    int failed(const QHostAddress &ip, const QString &user);
    // Clears the user's counter (not the IP's).
    void succeeded(const QHostAddress &ip, const QString &user);

    // Entries held now, for tests and status counters.
    int trackedKeys() const;

private:
    struct Entry {
        int failures = 0;
        qint64 windowStartMs = 0;
    };
    using Table = QHash<QByteArray, Entry>;

    static QByteArray ipKey(const QHostAddress &ip);
    static QByteArray userKey(const QString &user);
    int liveFailures(const Table &table, const QByteArray &key, qint64 now) const;
    int record(Table &table, const QByteArray &key, qint64 now, int cap);
    void makeRoom(Table &table, qint64 now, int cap);
    int delayFor(int failures) const;

    mutable QMutex m_mutex;
    ThrottlePolicy m_policy;
    std::function<qint64()> m_nowMs;
    Table m_ips;
    Table m_users;
};

} // namespace mailroom::auth
