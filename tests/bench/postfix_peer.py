"""Postfix delivering through Dovecot LMTP into Maildir, on configurations of
their own in a temporary folder, for tests/bench/bench_smtp.py --target.

Nothing of /etc/postfix or /etc/dovecot is read or changed: Postfix runs as
`postfix -c FOLDER/postfix start-fg` with main.cf and master.cf written here
(Debian's master.cf with chroot off, smtpd on a free loopback port), and
Dovecot as `dovecot -F -c FOLDER/dovecot.conf` with LMTP only, on a unix
socket that Postfix's lmtp client reaches. Both keep their defaults for
durability: Postfix fsyncs each queue file before it answers 250, Dovecot
(mail_fsync = optimized) fsyncs each delivered message. Needs root and
Debian's postfix, dovecot-core and dovecot-lmtpd (install-deps.sh --bench).

POSTFIX_EXTRA="name = value; name = value" adds main.cf lines (for tuning
experiments); MAILLOG=1 makes Postfix log to a file through postlogd.
"""
import os
import pathlib
import pwd
import shutil
import socket
import subprocess
import time

from procstat import memory_kib, tree_cpu_seconds

MASTER_CF = pathlib.Path("/etc/postfix/master.cf")


def _wait_for_port(port, seconds, what, log):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(100).startswith(b"220"):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not greet within {seconds} s: {log()}")


class PostfixDovecot:
    """Postfix (smtpd, cleanup, qmgr, lmtp) and Dovecot (lmtp) as one peer."""

    name = "postfix+dovecot"

    def __init__(self, folder, port, domain="example.com"):
        self.top = pathlib.Path(folder)
        self.port = port
        self.domain = domain
        self.pf = self.top / "postfix"
        self.dv = self.top / "dovecot"
        self.mail = self.top / "mail"
        self.postfix = None
        self.dovecot = None

    def check(self):
        if os.getuid() != 0:
            raise SystemExit("postfix+dovecot: run the benchmark as root (Postfix's daemons change users)")
        for tool in ("postfix", "dovecot"):
            if not shutil.which(tool, path="/usr/sbin:/usr/bin"):
                raise SystemExit(f"{tool} not found: install the peers with packaging/install-deps.sh --bench")

    def start(self):
        self.check()
        nobody = pwd.getpwnam("nobody")
        # Postfix's and Dovecot's users must enter the folder.
        os.chmod(self.top, 0o755)
        for d in (self.pf, self.dv, self.mail):
            d.mkdir(parents=True, exist_ok=True)
        os.chown(self.mail, nobody.pw_uid, nobody.pw_gid)
        lmtp_socket = self.dv / "run" / "lmtp"
        (self.dv / "dovecot.conf").write_text(f"""# Written by tests/bench/postfix_peer.py for one benchmark run.
base_dir = {self.dv}/run
state_dir = {self.dv}/state
log_path = {self.dv}/dovecot.log
protocols = lmtp
ssl = no
passdb {{
  driver = static
  args = nopassword=y
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={self.mail}/%d/%n allow_all_users=yes
}}
mail_location = maildir:~/Maildir
first_valid_uid = {nobody.pw_uid}
first_valid_gid = {nobody.pw_gid}
lmtp_save_to_detail_mailbox = no
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
  process_limit = 100
}}
""")
        self.dovecot = subprocess.Popen(["dovecot", "-F", "-c", str(self.dv / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        master = MASTER_CF.read_text()
        lines = []
        for line in master.splitlines():
            fields = line.split()
            if line and not line[0].isspace() and not line.startswith("#") and len(fields) >= 8:
                if fields[0] == "smtp" and fields[1] == "inet":
                    fields[0] = f"127.0.0.1:{self.port}"
                fields[4] = "n"  # no chroot: nothing to copy into the queue folder
                line = " ".join(fields)
            lines.append(line)
        (self.pf / "master.cf").write_text("\n".join(lines) + "\n")
        (self.pf / "main.cf").write_text(f"""# Written by tests/bench/postfix_peer.py for one benchmark run.
compatibility_level = 3.6
queue_directory = {self.pf}/spool
data_directory = {self.pf}/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
{self.logging()}myhostname = mx.bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = {self.domain}
virtual_transport = lmtp:unix:{lmtp_socket}
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
message_size_limit = 52428800
default_process_limit = 100
biff = no
""" + "".join(line.strip() + "\n" for line in os.environ.get("POSTFIX_EXTRA", "").split(";") if line.strip()))
        (self.pf / "spool").mkdir(exist_ok=True)
        (self.pf / "data").mkdir(exist_ok=True)
        postfix_user = pwd.getpwnam("postfix")
        os.chown(self.pf / "data", postfix_user.pw_uid, postfix_user.pw_gid)
        cfg = ["postfix", "-c", str(self.pf)]
        r = subprocess.run(cfg + ["check"], capture_output=True, text=True)
        if r.returncode != 0:
            # Postfix reports fatal errors to a terminal or syslog only.
            raise RuntimeError(f"postfix check failed; run `script -qc 'postfix -c {self.pf} check'` to see why")
        self.postfix = subprocess.Popen(cfg + ["start-fg"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _wait_for_port(self.port, 30, "postfix", self.log_text)
        deadline = time.monotonic() + 20
        while not lmtp_socket.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot made no LMTP socket: {self.log_text()}")
            time.sleep(0.1)
        return self

    def logging(self):
        """Postfix logs to syslog, which this machine may not run; MAILLOG=1 writes a file through postlogd."""
        if os.environ.get("MAILLOG") == "1":
            return f"maillog_file = {self.pf}/maillog\nmaillog_file_prefixes = {self.pf}\n"
        return ""

    def log_text(self):
        out = []
        for f in (self.pf / "maillog", self.dv / "dovecot.log"):
            if f.exists():
                out += f.read_text(errors="replace").splitlines()[-5:]
        return " | ".join(out)

    def delivered(self):
        """Messages in the users' Maildirs, and messages still in Postfix's queue."""
        n = 0
        for new in self.mail.glob(f"{self.domain}/*/Maildir/new"):
            n += sum(1 for e in os.scandir(new) if not e.name.startswith("."))
        queued = 0
        for q in ("incoming", "active", "deferred", "maildrop"):
            for _root, _dirs, files in os.walk(self.pf / "spool" / q):
                queued += len(files)
        return n, queued

    def cpu_seconds(self):
        """CPU time of both process trees, with the children they reaped."""
        return sum(tree_cpu_seconds(root.pid) for root in (self.postfix, self.dovecot))

    def peak_kib(self):
        """The processes' proportional set sizes (PSS) added up, now: shared pages count once, and separate
        processes' peaks cannot be added."""
        return sum(memory_kib(root.pid)[1] for root in (self.postfix, self.dovecot))

    def stop(self):
        if self.postfix:
            subprocess.run(["postfix", "-c", str(self.pf), "stop"], capture_output=True)
            try:
                self.postfix.wait(30)
            except subprocess.TimeoutExpired:
                self.postfix.kill()
        if self.dovecot:
            self.dovecot.terminate()
            try:
                self.dovecot.wait(30)
            except subprocess.TimeoutExpired:
                self.dovecot.kill()
