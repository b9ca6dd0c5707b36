#!/usr/bin/python3
# Test SMTP server for tst_remotedelivery: aiosmtpd (Debian python3-aiosmtpd)
# with a handler that answers RCPT by local part ("defer@" → 451, "reject@" →
# 550, anything else 250), optional PIPELINING and SMTPUTF8, STARTTLS with a self-signed
# certificate made by openssl, and AUTH (PLAIN, LOGIN) with one user. Every
# message goes to <maildir>/<n>.eml (dot-unstuffed, as received) and
# <n>.json (envelope, options, the client's address). Prints READY when up.
# Trust level: test code on loopback only.
import argparse
import json
import os
import signal
import ssl
import subprocess
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, maildir, pipelining):
        self.maildir = maildir
        self.pipelining = pipelining
        self.count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local == "defer":
            return "451 4.2.0 Mailbox busy, try later"
        if local == "reject":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.append(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.maildir, "%d" % self.count)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "peer": list(session.peer),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Queued as %d" % self.count


def make_tls(folder):
    cert = os.path.join(folder, "cert.pem")
    key = os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=mx.test"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--starttls", action="store_true")
    p.add_argument("--pipelining", action="store_true")
    p.add_argument("--smtputf8", action="store_true")
    p.add_argument("--auth", help="user:password; AUTH is then required")
    a = p.parse_args()
    os.makedirs(a.maildir, exist_ok=True)
    kwargs = {"enable_SMTPUTF8": a.smtputf8}
    if a.starttls:
        kwargs["tls_context"] = make_tls(a.maildir)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = True
    controller = Controller(Handler(a.maildir, a.pipelining), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("READY", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
