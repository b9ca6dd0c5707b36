"""What /proc says about a server's processes, for the benchmarks: the
process tree under a pid, memory summed over it, and CPU time including the
children its processes have reaped (a multi-process server such as Postfix
or Dovecot starts and ends processes while it works)."""
import os
import pathlib


def process_tree(pid):
    """pid and all its descendants, as found in /proc now."""
    children = {}
    for d in pathlib.Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def proc_kib(pid, name, field):
    """One KiB figure of /proc/PID/NAME, the line starting with field."""
    with open(f"/proc/{pid}/{name}") as f:
        return next((int(line.split()[1]) for line in f if line.startswith(field)), 0)


def memory_kib(pid):
    """(RSS, PSS) in KiB summed over a process and its descendants."""
    rss = pss = 0
    for p in process_tree(pid):
        try:
            rss += proc_kib(p, "status", "VmRSS:")
            pss += proc_kib(p, "smaps_rollup", "Pss:")
        except OSError:
            continue  # gone meanwhile
    return rss, pss


def tree_cpu_seconds(pid):
    """User plus system CPU seconds of a process tree: each live process's
    own time plus what it collected from children that ended and it reaped.
    A process still alive is counted once; one that ended is in its
    parent's reaped time."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / tick
