// Internal to the SPF module: the asynchronous check_host() state machine
// (RFC 7208 §4-§6) shared by spf.cpp (frames, records, results) and
// spfmechanisms.cpp (the DNS-backed mechanisms a, mx, ptr, exists and %{p}).
// Trust level: see spf.h; nothing here is API.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include "dns/types.h"
#include "mailauth/spf.h"
#include "mailauth/spfmacro.h"
#include "mailauth/spfrecord.h"

namespace mailroom::mailauth
{

class Lookup;

// True when the first `bits` bits of ip and net agree (same family only).
bool spfInNetwork(const QHostAddress &ip, const QHostAddress &net, int bits);

// True when a macro-string needs %{p}, which costs PTR and address lookups.
bool spfNeedsReverse(const QString &spec);

// §4.6.4: a void lookup is NXDOMAIN or an answer without records.
template<class T> bool spfIsVoid(const dns::Reply<T> &r)
{
    return r.rcode == dns::Rcode::NxDomain || r.rcode == dns::Rcode::NoData
        || (r.rcode == dns::Rcode::Ok && r.records.isEmpty());
}

// One SPF check: the stack of check_host() frames, the counters of §4.6.4
// and the cached validated names of the client. Owned by shared_ptrs in the
// callbacks it hands to Lookup; done is called once from finish().
class SpfCheck : public std::enable_shared_from_this<SpfCheck>
{
public:
    SpfCheck(Lookup &dns, const SpfOptions &options, std::function<void(const SpfOutcome &)> done)
        : m_dns(dns)
        , m_opts(options)
        , m_done(std::move(done))
    {
    }

    void start(const SpfRequest &req, bool heloIdentity);

private:
    // One check_host() call: its <domain>, its record and the next term.
    struct Frame {
        QString domain;
        SpfRecord record;
        qsizetype next = 0;
    };
    enum class Entry { Top, Include, Redirect };
    // The validated names of the client (§5.5), shared by ptr and %{p}.
    struct Reverse {
        bool isVoid = false;
        QStringList validated;
    };
    struct Gather {
        qsizetype pending = 0;
        bool match = false;
        bool tempFail = false;
    };

    void begin();
    void checkHost(const QString &domain, Entry entry);
    void onRecords(const QString &domain, Entry entry, const dns::Reply<QByteArray> &reply);
    void noRecord(const QString &domain, Entry entry);
    void run();
    void endOfRecord();
    void matched();
    void notMatched();
    void frameDone(SpfResult result, QString term);
    void fetchExplanation();
    void setSenderExplanation(const QByteArray &txt);
    void evalA(const QString &target);
    void evalMx(const QString &target);
    void evalExists(const QString &target);
    void matchAnyHost(const QStringList &hosts);
    void validateReverse(std::function<void()> then);
    void lookupAddresses(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done);
    bool matchesCurrent(const QHostAddress &address) const;
    bool ptrMatches(const QString &target) const;
    bool countVoid();
    SpfMacroValues macroValues(const QString &domain) const;
    void finish(SpfResult result, const QString &why);

    const SpfDirective &current() const
    {
        return m_frames.back().record.directives.at(m_frames.back().next);
    }

    Lookup &m_dns;
    const SpfOptions m_opts;
    std::function<void(const SpfOutcome &)> m_done;
    SpfOutcome m_outcome;
    QHostAddress m_ip;
    QString m_local; // l
    QString m_senderDomain; // o
    QString m_sender; // s
    QString m_helo;
    QString m_receiver;
    std::vector<Frame> m_frames; // never cleared before destruction: callers may hold a reference
    std::optional<Reverse> m_reverse;
    int m_dnsTerms = 0;
    int m_voids = 0;
    QString m_via; // the innermost term that matched, "'a' in example.org"
    bool m_domainValid = false;
    bool m_finished = false;
};

} // namespace mailroom::mailauth
