// Bayes: token counts in memory (loaded from spam.db) and the Robinson-Fisher
// chi-square combination that turns a message's tokens into a spam
// probability, as SpamBayes and bogofilter do (DESIGN §6).
//   p(w) = (s/S) / (s/S + h/H)                  token spamminess from counts
//   f(w) = (robs*robx + n*p(w)) / (robs + n)    shrunk toward robx when n is small
//   tokens with |f(w) - 0.5| < minDev are left out;
//   Hq = chi2Q(-2 Σ ln f, 2k), Sq = chi2Q(-2 Σ ln (1 - f), 2k)
//   spamicity = (1 + Hq - Sq) / 2
// Gary Robinson, "A Statistical Approach to the Spam Problem" (2003).
// Trust level: internal; the tokens came from the bounded tokenizer.
#pragma once

#include <vector>

#include <QtGlobal>

namespace mailroom::spam
{

struct BayesParams {
    double robs = 0.0178; // strength of the prior (bogofilter's default)
    double robx = 0.52; // the prior: what an unknown token says
    double minDev = 0.45; // tokens nearer 0.5 than this are ignored
    int minMessages = 10; // of each class before a verdict means anything
};

// Open-addressing hash table from token hash to counts; about 16 bytes per
// token. Written under the owner's lock, read concurrently otherwise.
class TokenTable
{
public:
    struct Entry {
        quint64 key = 0; // 0 marks an empty slot; token 0 is stored as 1
        quint32 spam = 0, ham = 0;
    };
    const Entry *find(quint64 key) const;
    // Adds (possibly negative) deltas, clamping at zero.
    void add(quint64 key, qint64 dspam, qint64 dham);
    void set(quint64 key, quint32 spam, quint32 ham);
    qsizetype size() const
    {
        return m_used;
    }
    void clear();
    void reserve(qsizetype n);

private:
    Entry *slot(quint64 key);
    void grow(qsizetype capacity);
    std::vector<Entry> m_slots;
    qsizetype m_used = 0;
};

struct BayesModel {
    TokenTable tokens;
    quint32 spamMessages = 0, hamMessages = 0;
};

struct BayesScore {
    double probability = 0.5; // of spam
    int tokens = 0; // the message's tokens
    int used = 0; // tokens that counted (|f - 0.5| >= minDev)
    bool ready = false; // enough training of both classes
    qint64 scope = 0; // the model that scored: 0 global, else a user id
};

BayesScore classify(const BayesModel &model, const std::vector<quint64> &tokens, const BayesParams &params = {});

// Upper tail of the chi-square distribution with 2*halfDof degrees of
// freedom at x2, computed in log space so long messages do not underflow.
double chi2Q(double x2, int halfDof);
// Its natural logarithm, exact where Q itself is too small for a double.
double chi2LogQ(double x2, int halfDof);

} // namespace mailroom::spam
