// Running a search over the selected mailbox: the messages' metadata in
// batches from the store, the message bytes only when a key needs them.
// Shared by SEARCH, SORT and THREAD. Trust level: internal.
#pragma once

#include <functional>

#include "base/result.h"
#include "imap/search/searchkey.h"
#include "store/mailstore.h"

namespace mailroom::imap
{

class MailboxView;

struct SearchHit {
    qint64 seq = 0;
    qint64 uid = 0;
    qint64 modseq = 0;
    store::MessageMeta meta;
};

// Every message of the view matching query, ascending. With needHeaders,
// hits keep the header block's bytes in *headers (indexed like the result).
Result<QList<SearchHit>> runSearch(
    store::MailStore &store, const MailboxView &view, const SearchQuery &query, QList<QByteArray> *headers = nullptr);

} // namespace mailroom::imap
