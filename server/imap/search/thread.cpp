// THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §3), on a forest
// of containers kept in one array (indexes, no pointers), and the thread
// list rendering of §4. REFERENCES follows the numbered steps of §3:
// (1) link by Message-ID/References with duplicate IDs made unique and no
// loops, (2) root set, (3) drop the ID table, (4) prune dummies, sort the
// roots, (5) gather roots by base subject, (6) sort every sibling set.
// Trust level: works on header data from the Internet. Nothing recurses on
// input-controlled depth; loop checks walk parent links.
#include "imap/search/thread.h"

#include <algorithm>

#include <QHash>

#include "imap/search/sort.h"
#include "mime/datetime.h"
#include "mime/envelope.h"

namespace mailroom::imap
{

namespace
{

struct Node {
    int msg = -1; // index into the messages; -1 for a dummy
    int parent = -1;
    QList<int> children;
};

class Forest
{
public:
    explicit Forest(const QList<ThreadInput> &messages)
        : m_messages(messages)
    {
    }

    int add(int msg)
    {
        m_nodes.append(Node { msg, -1, {} });
        return int(m_nodes.size() - 1);
    }
    bool isDummy(int n) const
    {
        return m_nodes[n].msg < 0;
    }
    // True when n is a or below it.
    bool isUnder(int n, int a) const
    {
        if (m_nodes[a].children.isEmpty()) // the common case: a fresh container
            return n == a;
        for (; n >= 0; n = m_nodes[n].parent)
            if (n == a)
                return true;
        return false;
    }
    void link(int parent, int child)
    {
        m_nodes[child].parent = parent;
        m_nodes[parent].children.append(child);
    }
    void unlink(int child)
    {
        int &p = m_nodes[child].parent;
        if (p >= 0)
            m_nodes[p].children.removeOne(child);
        p = -1;
    }

    // Step 4's and step 6's order: sent date, then mailbox order. A dummy
    // sorts as its first child.
    bool earlier(int a, int b) const
    {
        const ThreadInput &x = m_messages[m_nodes[representative(a)].msg];
        const ThreadInput &y = m_messages[m_nodes[representative(b)].msg];
        if (x.sent != y.sent)
            return x.sent < y.sent;
        return x.id < y.id;
    }
    int representative(int n) const
    {
        while (isDummy(n) && !m_nodes[n].children.isEmpty())
            n = m_nodes[n].children.first();
        return n;
    }
    void sortSiblings(QList<int> *list)
    {
        std::sort(list->begin(), list->end(), [this](int a, int b) { return earlier(a, b); });
    }

    // Every node reachable from the roots, parents before children.
    QList<int> preorder() const
    {
        QList<int> out, stack(m_roots.rbegin(), m_roots.rend());
        while (!stack.isEmpty()) {
            const int n = stack.takeLast();
            out.append(n);
            const QList<int> &c = m_nodes[n].children;
            for (auto it = c.rbegin(); it != c.rend(); ++it)
                stack.append(*it);
        }
        return out;
    }

    // Step 6 (and the children part of step 4): deepest sibling sets first,
    // so a dummy's first child is known before the dummy is placed.
    void sortAll()
    {
        const QList<int> order = preorder();
        for (auto it = order.rbegin(); it != order.rend(); ++it)
            sortSiblings(&m_nodes[*it].children);
        sortSiblings(&m_roots);
    }

    QByteArray render() const;

    const QList<ThreadInput> &m_messages;
    QList<Node> m_nodes;
    QList<int> m_roots;
};

// thread-list per root; chains of single children become thread-members.
QByteArray Forest::render() const
{
    QByteArray out;
    QList<QPair<QList<int>, qsizetype>> stack; // branches of each open list, next one to open
    const auto open = [&](int n) {
        out += '(';
        bool first = true;
        for (;;) {
            if (!isDummy(n)) {
                if (!first)
                    out += ' ';
                out += QByteArray::number(m_messages[m_nodes[n].msg].id);
                first = false;
            }
            if (m_nodes[n].children.size() != 1)
                break;
            n = m_nodes[n].children.first();
        }
        if (!m_nodes[n].children.isEmpty() && !first)
            out += ' ';
        stack.append({ m_nodes[n].children, 0 });
    };
    for (int r : m_roots) {
        open(r);
        while (!stack.isEmpty()) {
            auto &top = stack.last();
            if (top.second < top.first.size()) {
                const int next = top.first[top.second++];
                open(next); // may grow the stack: top is not used after this
            } else {
                stack.removeLast();
                out += ')';
            }
        }
    }
    return out;
}

QString subjectKey(const ThreadInput &m)
{
    return m.baseSubject.toCaseFolded();
}

// Step 1: containers linked by Message-ID, References and In-Reply-To.
void linkMessages(Forest *f, const QList<int> &order)
{
    QHash<QByteArray, int> ids;
    const auto container = [&](const QByteArray &id) {
        auto it = ids.constFind(id);
        return it != ids.constEnd() ? *it : *ids.insert(id, f->add(-1));
    };
    for (int m : order) {
        const ThreadInput &in = f->m_messages[m];
        // (A) The message's container; a duplicate or missing ID gets its own.
        int mc = -1;
        if (!in.messageId.isEmpty()) {
            mc = container(in.messageId);
            if (!f->isDummy(mc))
                mc = -1;
        }
        if (mc < 0)
            mc = f->add(m);
        f->m_nodes[mc].msg = m;
        // (B) Link the references in order, keeping existing links, no loops.
        QList<QByteArray> refs = in.references;
        if (refs.isEmpty() && !in.inReplyTo.isEmpty())
            refs.append(in.inReplyTo);
        int prev = -1;
        for (const QByteArray &r : refs) {
            const int c = container(r);
            if (prev >= 0 && c != prev && f->m_nodes[c].parent < 0 && !f->isUnder(prev, c))
                f->link(prev, c);
            prev = c;
        }
        // (C) The last reference becomes the parent, replacing a wrong one.
        f->unlink(mc);
        if (prev >= 0 && prev != mc && !f->isUnder(prev, mc))
            f->link(prev, mc);
    }
}

// Step 4: dummies without children go, dummies with children give them to
// their parent (to the root set only when there is just one).
void prune(Forest *f)
{
    const QList<int> order = f->preorder();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node &n = f->m_nodes[*it];
        QList<int> kept;
        for (int c : n.children) {
            if (!f->isDummy(c)) {
                kept.append(c);
                continue;
            }
            for (int g : f->m_nodes[c].children) {
                f->m_nodes[g].parent = *it;
                kept.append(g);
            }
        }
        n.children = kept;
    }
    QList<int> roots;
    for (int r : f->m_roots) {
        const QList<int> &c = f->m_nodes[r].children;
        if (!f->isDummy(r) || c.size() > 1) {
            roots.append(r);
        } else if (c.size() == 1) {
            f->m_nodes[c.first()].parent = -1;
            roots.append(c.first());
        }
    }
    f->m_roots = roots;
}

// Step 5: threads whose subjects match are merged.
void gatherBySubject(Forest *f)
{
    const auto subjectOf
        = [f](int r) -> const ThreadInput & { return f->m_messages[f->m_nodes[f->representative(r)].msg]; };
    QHash<QString, int> table;
    for (int r : f->m_roots) { // (B)
        const QString s = subjectKey(subjectOf(r));
        if (s.isEmpty())
            continue;
        auto it = table.find(s);
        if (it == table.end())
            table.insert(s, r);
        else if (!f->isDummy(*it) && (f->isDummy(r) || (subjectOf(*it).replyOrForward && !subjectOf(r).replyOrForward)))
            *it = r;
    }
    QList<int> roots = f->m_roots;
    QList<bool> removed(f->m_nodes.size(), false);
    for (int r : f->m_roots) { // (C)
        const QString s = subjectKey(subjectOf(r));
        if (s.isEmpty())
            continue;
        int &t = table[s];
        if (t == r)
            continue;
        if (f->isDummy(t) && f->isDummy(r)) {
            for (int c : f->m_nodes[r].children)
                f->link(t, c);
            f->m_nodes[r].children.clear();
        } else if (f->isDummy(t) || (subjectOf(r).replyOrForward && !subjectOf(t).replyOrForward)) {
            f->link(t, r);
        } else {
            const int d = f->add(-1);
            removed.append(false);
            roots[roots.indexOf(t)] = d;
            f->link(d, t);
            f->link(d, r);
            t = d;
        }
        removed[r] = true;
    }
    f->m_roots.clear();
    for (int r : roots)
        if (!removed[r])
            f->m_roots.append(r);
}

} // namespace

bool parseThreadAlgorithm(const Arg &arg, ThreadAlgorithm *out)
{
    if (arg.is("ORDEREDSUBJECT"))
        *out = ThreadAlgorithm::OrderedSubject;
    else if (arg.is("REFERENCES"))
        *out = ThreadAlgorithm::References;
    else
        return false;
    return true;
}

QList<QByteArray> parseMessageIds(const QByteArray &value)
{
    QList<QByteArray> ids;
    qsizetype i = 0;
    while ((i = value.indexOf('<', i)) >= 0) {
        const qsizetype end = value.indexOf('>', i + 1);
        if (end < 0)
            break;
        QByteArray id = value.mid(i + 1, end - i - 1);
        id.replace(' ', QByteArray()).replace('\t', QByteArray());
        if (!id.isEmpty() && !id.contains('<'))
            ids.append(id);
        i = end + 1;
    }
    return ids;
}

ThreadInput threadInputFrom(const mime::HeaderBlock &headers, qint64 id, const QDateTime &internalDate)
{
    ThreadInput t;
    t.id = id;
    t.messageId = parseMessageIds(headers.value("Message-ID")).value(0);
    t.references = parseMessageIds(headers.value("References"));
    t.inReplyTo = parseMessageIds(headers.value("In-Reply-To")).value(0);
    t.baseSubject = baseSubject(mime::decodedSubject(headers), &t.replyOrForward);
    t.sent = mime::parseDateTime(headers.value("Date"));
    if (!t.sent.isValid())
        t.sent = internalDate.toUTC();
    return t;
}

QByteArray threadOrderedSubject(const QList<ThreadInput> &messages)
{
    QList<int> order(messages.size());
    QList<QString> keys(messages.size());
    for (int i = 0; i < messages.size(); ++i) {
        order[i] = i;
        keys[i] = subjectKey(messages[i]);
    }
    Forest f(messages);
    for (int i = 0; i < messages.size(); ++i)
        f.add(i);
    // By base subject, then sent date; the first of each subject is the
    // parent of the others (RFC 5256 §3 ORDEREDSUBJECT).
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        if (keys[a] != keys[b])
            return keys[a] < keys[b];
        return f.earlier(a, b);
    });
    for (int k = 0; k < order.size(); ++k) {
        if (k > 0 && keys[order[k]] == keys[order[k - 1]]) {
            const int parent = f.m_nodes[order[k - 1]].parent < 0 ? order[k - 1] : f.m_nodes[order[k - 1]].parent;
            f.link(parent, order[k]);
        } else {
            f.m_roots.append(order[k]);
        }
    }
    f.sortSiblings(&f.m_roots);
    return f.render();
}

QByteArray threadReferences(const QList<ThreadInput> &messages)
{
    Forest f(messages);
    QList<int> order(messages.size());
    for (int i = 0; i < messages.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return messages[a].id < messages[b].id; });
    linkMessages(&f, order); // (1)
    for (int n = 0; n < f.m_nodes.size(); ++n) // (2), (3)
        if (f.m_nodes[n].parent < 0)
            f.m_roots.append(n);
    prune(&f); // (4)
    f.sortAll();
    gatherBySubject(&f); // (5)
    f.sortAll(); // (6)
    return f.render();
}

QByteArray threadMessages(ThreadAlgorithm algorithm, const QList<ThreadInput> &messages)
{
    return algorithm == ThreadAlgorithm::References ? threadReferences(messages) : threadOrderedSubject(messages);
}

} // namespace mailroom::imap
