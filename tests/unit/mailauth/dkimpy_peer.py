#!/usr/bin/python3
"""dkimpy as an independent DKIM peer for tst_dkim (Debian python3-dkim).

  dkimpy_peer.py verify MESSAGE_FILE RECORD_FILE
      Verifies the top DKIM-Signature of the message with dkimpy, answering
      every key query with the TXT record in RECORD_FILE. Prints "pass" or
      "fail: <reason>"; exit status 0 on pass, 1 on fail.

  dkimpy_peer.py sign rsa|ed25519 relaxed|simple DOMAIN SELECTOR MESSAGE_FILE [HEADERS]
      Makes a key pair with dkimpy's dknewkey helpers, signs the message with
      dkim.sign() (the fields of HEADERS, comma-separated, when given) and
      prints JSON {"record": TXT record, "message": signed message}.

Run it with /usr/bin/python3: the python3 on PATH may lack the Debian packages.
Trust level: test code.
"""
import json
import logging
import os
import sys
import tempfile

import dkim
from dkim import dknewkey


def verify(message_file, record_file):
    with open(message_file, "rb") as f:
        message = f.read()
    with open(record_file, "rb") as f:
        record = f.read().strip()

    def dnsfunc(name, timeout=5):
        return record

    log = logging.getLogger("dkimpy_peer")
    errors = []

    class Collect(logging.Handler):
        def emit(self, rec):
            errors.append(rec.getMessage())

    log.addHandler(Collect())
    log.setLevel(logging.DEBUG)
    log.propagate = False
    if dkim.verify(message, logger=log, dnsfunc=dnsfunc):
        print("pass")
        return 0
    print("fail: " + " | ".join(errors[-3:]))
    return 1


def sign(kind, canon, domain, selector, message_file, headers=None):
    with open(message_file, "rb") as f:
        message = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        key_file = os.path.join(tmp, "key")
        dns_file = os.path.join(tmp, "dns")
        if kind == "rsa":
            dknewkey.GenRSAKeys(key_file, verbose=False)
            dknewkey.ExtractRSADnsPublicKey(key_file, dns_file, verbose=False)
            algorithm = b"rsa-sha256"
        else:
            key = dknewkey.GenEd25519Keys(key_file, verbose=False)
            dknewkey.ExtractEd25519PublicKey(dns_file, key, verbose=False)
            algorithm = b"ed25519-sha256"
        with open(key_file, "rb") as f:
            private = f.read()
        with open(dns_file, "r", encoding="ascii") as f:
            record = f.read().strip()
    c = canon.encode("ascii")
    include = [h.encode("ascii") for h in headers.split(",")] if headers else None
    field = dkim.sign(message, selector.encode("ascii"), domain.encode("ascii"), private,
                      canonicalize=(c, c), signature_algorithm=algorithm, include_headers=include)
    json.dump({"record": record, "message": (field + message).decode("latin-1")}, sys.stdout)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "verify":
        return verify(argv[2], argv[3])
    if len(argv) in (7, 8) and argv[1] == "sign":
        return sign(*argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
