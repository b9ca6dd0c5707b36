"""The TLS certificate through the admin socket: the self-signed one made on
first run, replaced with a PEM pair or a PKCS#12 bundle through mailroomctl,
seen by openssl s_client on the SMTP listener at once, kept over a restart;
bad uploads are refused and change nothing."""
import subprocess


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
