"""The TLS certificate through the admin socket: the self-signed one made on
first run, replaced with a PEM pair or a PKCS#12 bundle through mailroomctl,
seen by openssl s_client on the SMTP listener at once, kept over a restart;
bad uploads are refused and change nothing. Per-domain certificates are
chosen by the name the client asks for (SNI) on every TLS listener."""
import subprocess

from mailroom_harness import Engine, free_port


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_pair(folder, cn, days="30"):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={cn}", "-addext",
            f"subjectAltName=DNS:{cn}", "-days", days, "-keyout", f"{cn}.key", "-out", f"{cn}.crt", cwd=folder)
    return folder / f"{cn}.crt", folder / f"{cn}.key"


def presented_subject(engine):
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{engine.ports['smtp']}", "-starttls", "smtp"],
                       input="QUIT\r\n", capture_output=True, text=True, timeout=60)
    for line in r.stdout.splitlines():
        if line.startswith("subject="):
            return line
    raise AssertionError(r.stdout + r.stderr)


def test_replace_certificate_pem_and_pkcs12(mail_engine, tmp_path):
    c = mail_engine.client()
    first = c.call("tls.get")
    assert first["selfSigned"] is True
    assert "mx.example.com" in first["dnsNames"]
    assert "mx.example.com" in presented_subject(mail_engine)

    cert, key = make_pair(tmp_path, "mail.example.test")
    r = mail_engine.ctl("tls", "replace", "--cert", str(cert), "--key", str(key))
    assert r.returncode == 0, r.stderr
    assert "CN=mail.example.test" in r.stdout
    assert "mail.example.test" in presented_subject(mail_engine)
    now = c.call("tls.get")
    assert now["sha256"] != first["sha256"] and "mail.example.test" in now["dnsNames"]

    # A key that belongs to another certificate is refused; nothing changes.
    _, other_key = make_pair(tmp_path, "other.example.test")
    r = mail_engine.ctl("tls", "replace", "--cert", str(cert), "--key", str(other_key))
    assert r.returncode == 1
    assert "key" in r.stderr.lower()
    assert c.call("tls.get")["sha256"] == now["sha256"]
    err = c.error("tls.replace", {"certificate": "not a certificate", "key": "nor a key"})
    assert err["code"] == "invalid_argument"

    # PKCS#12 with its passphrase on stdin.
    cert2, key2 = make_pair(tmp_path, "bundle.example.test")
    openssl("pkcs12", "-export", "-in", cert2.name, "-inkey", key2.name, "-out", "b.p12", "-passout", "pass:s3cret",
            cwd=tmp_path)
    r = mail_engine.ctl("tls", "replace", "--pkcs12", str(tmp_path / "b.p12"), input="wrong\n")
    assert r.returncode == 1 and "passphrase" in r.stderr.lower()
    r = mail_engine.ctl("tls", "replace", "--pkcs12", str(tmp_path / "b.p12"), input="s3cret\n")
    assert r.returncode == 0, r.stderr
    assert "bundle.example.test" in presented_subject(mail_engine)
    c.close()

    mail_engine.restart()
    assert "bundle.example.test" in presented_subject(mail_engine)
    log = (mail_engine.data / "logs" / "mailroomd.log").read_text()
    assert "s3cret" not in log and "PRIVATE KEY" not in log


def presented(port, *extra, servername=None):
    """The subject line openssl s_client sees on port (with SNI when a
    servername is given)."""
    args = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", *extra]
    args += ["-servername", servername] if servername else ["-noservername"]
    r = subprocess.run(args, input="QUIT\r\n", capture_output=True, text=True, timeout=60)
    for line in r.stdout.splitlines():
        if line.startswith("subject="):
            return line
    raise AssertionError(r.stdout + r.stderr)


def test_domain_certificates_chosen_by_sni(tmp_path):
    ports = {s: free_port() for s in ("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s")}
    e = Engine(tmp_path / "data", ports=ports, extra=["--set", "server.hostname=mx.example.com"]).start()
    try:
        # A wildcard certificate for one domain and a plain one for another.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=*.example.org", "-addext",
                "subjectAltName=DNS:*.example.org,DNS:example.org", "-days", "30", "-keyout", "org.key", "-out",
                "org.crt", cwd=tmp_path)
        net_cert, net_key = make_pair(tmp_path, "mail.example.net")
        r = e.ctl("tls", "replace", "--domain", "example.org", "--cert", str(tmp_path / "org.crt"), "--key",
                  str(tmp_path / "org.key"))
        assert r.returncode == 0, r.stderr
        assert "example.org" in r.stdout
        r = e.ctl("tls", "replace", "--domain", "example.net", "--cert", str(net_cert), "--key", str(net_key))
        assert r.returncode == 0, r.stderr

        c = e.client()
        listed = c.call("tls.get")
        assert [d["domain"] for d in listed["domains"]] == ["example.net", "example.org"]
        assert listed["selfSigned"] is True  # the default one is untouched
        assert c.error("tls.replace", {"domain": "../etc", "certificate": "x", "key": "y"})["code"] == \
            "invalid_argument"

        # Every TLS listener, implicit and STARTTLS, picks by the name asked for.
        listeners = [(ports["smtps"], ()), (ports["submission"], ("-starttls", "smtp")),
                     (ports["imaps"], ()), (ports["imap"], ("-starttls", "imap")),
                     (ports["pop3s"], ()), (ports["pop3"], ("-starttls", "pop3"))]
        for port, extra in listeners:
            assert "*.example.org" in presented(port, *extra, servername="imap.example.org")
            assert "mail.example.net" in presented(port, *extra, servername="mail.example.net")
            assert "mx.example.com" in presented(port, *extra, servername="unknown.example.com")
            assert "mx.example.com" in presented(port, *extra)  # no SNI at all
        # A wildcard covers one label only (RFC 6125 §6.4.3).
        assert "mx.example.com" in presented(ports["smtps"], servername="a.b.example.org")

        # Kept over a restart; removing one falls back to the default.
        c.close()
        e.restart()
        assert "mail.example.net" in presented(ports["smtps"], servername="mail.example.net")
        r = e.ctl("tls", "remove", "example.net")
        assert r.returncode == 0, r.stderr
        assert "mx.example.com" in presented(ports["smtps"], servername="mail.example.net")
        r = e.ctl("tls", "remove", "example.net")
        assert r.returncode != 0 and "example.net" in r.stderr
        c = e.client()
        assert [d["domain"] for d in c.call("tls.get")["domains"]] == ["example.org"]
        c.close()
    finally:
        e.stop()
