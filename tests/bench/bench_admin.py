#!/usr/bin/env python3
"""Admin-path benchmark, run on purpose (not by ctest).

Starts a real mailroomd on a temporary data folder, then measures:
  - users.add per second (scrypt at the given cost) over 1 and 4 connections,
  - users.list latency for a 1,000-row page at the start and at the end of a
    100,000-user directory (the console's incremental fetch),
  - logs.query latency for 200 rows,
  - the engine's peak resident memory (VmHWM).

usage: bench_admin.py MAILROOMD [--users 100000] [--log2n 10]
"""
import argparse
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

PROTOCOL = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../server/adminproto/schema.json"),
                           encoding="utf-8"))["version"]


class Admin:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""
        self.next_id = 1
        assert "result" in self.call("hello", {"client": "bench", "version": PROTOCOL}, id_=0)

    def send(self, method, params, id_=None):
        if id_ is None:
            id_ = self.next_id
            self.next_id += 1
        body = json.dumps({"v": PROTOCOL, "id": id_, "method": method, "params": params}).encode()
        self.s.sendall(struct.pack(">I", len(body)) + body)
        return id_

    def recv(self):
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack(">I", self.buf[:4])[0]
                if len(self.buf) >= 4 + n:
                    msg = json.loads(self.buf[4:4 + n])
                    self.buf = self.buf[4 + n:]
                    if "event" in msg:
                        continue
                    return msg
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise ConnectionError("engine closed the connection")
            self.buf += chunk

    def call(self, method, params, id_=None):
        self.send(method, params, id_)
        return self.recv()


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def add_users(sock, start, count, pipeline=64):
    a = Admin(sock)
    sent = done = 0
    while done < count:
        while sent < count and sent - done < pipeline:
            a.send("users.add", {"address": f"user{start + sent:06d}@bench.test", "password": "benchmark-password"})
            sent += 1
        r = a.recv()
        assert "result" in r, r
        done += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mailroomd")
    ap.add_argument("--users", type=int, default=100000)
    ap.add_argument("--log2n", type=int, default=10)
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="mailroom-bench-")
    sock = os.path.join(data, "run", "admin.sock")
    ports = [f"--set={p}.port=0" for p in ("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s")]
    proc = subprocess.Popen([args.mailroomd, "--data", data, f"--set=auth.scrypt_log2n={args.log2n}",
                             "--set=log.stderr=false"] + ports)
    try:
        for _ in range(200):
            if os.path.exists(sock):
                try:
                    Admin(sock)
                    break
                except OSError:
                    pass
            time.sleep(0.05)
        a = Admin(sock)
        assert "result" in a.call("domains.add", {"name": "bench.test"})

        print(f"# mailroomd bench, scrypt log2n={args.log2n}, {os.cpu_count()} cores")
        n1 = min(2000, args.users)
        t = time.perf_counter()
        add_users(sock, 0, n1)
        dt = time.perf_counter() - t
        print(f"users.add, 1 connection:   {n1 / dt:8.0f} /s  ({n1} users)")

        rest = args.users - n1
        t = time.perf_counter()
        threads = [threading.Thread(target=add_users, args=(sock, n1 + i * (rest // 4), rest // 4)) for i in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        dt = time.perf_counter() - t
        print(f"users.add, 4 connections:  {rest / dt:8.0f} /s  ({rest - rest % 4} users)")
        total = a.call("users.list", {"limit": 1})["result"]["total"]
        print(f"directory holds {total} users")

        for label, offset in (("first page", 0), ("last page", max(0, total - 1000))):
            samples = []
            for _ in range(10):
                t = time.perf_counter()
                r = a.call("users.list", {"offset": offset, "limit": 1000})
                samples.append(time.perf_counter() - t)
                assert len(r["result"]["items"]) == min(1000, total - offset)
            samples.sort()
            print(f"users.list 1000 rows, {label}: median {samples[5] * 1000:6.1f} ms, max {samples[-1] * 1000:6.1f} ms")
        samples = []
        for _ in range(10):
            t = time.perf_counter()
            a.call("users.list", {"filter": "user09999", "limit": 1000})
            samples.append(time.perf_counter() - t)
        samples.sort()
        print(f"users.list filtered (substring): median {samples[5] * 1000:6.1f} ms")
        samples = []
        for _ in range(10):
            t = time.perf_counter()
            a.call("logs.query", {"limit": 200})
            samples.append(time.perf_counter() - t)
        samples.sort()
        print(f"logs.query 200 rows: median {samples[5] * 1000:6.1f} ms")
        print(f"engine peak RSS: {vm_hwm_kib(proc.pid) / 1024:.1f} MiB")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    sys.exit(main())
