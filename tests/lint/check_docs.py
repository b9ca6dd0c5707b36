#!/usr/bin/env python3
"""Documentation checks (STYLE rules 7 and 8):
- docs/settings.md is exactly what `mailroomd --print-settings` prints, so a
  setting cannot be added without its documentation;
- docs/admin-protocol.md names every method and push of schema.json, and
  states the schema's version; the changelog has an entry for that version."""
import json
import pathlib
import subprocess
import sys


def main() -> int:
    root = pathlib.Path(sys.argv[1]).resolve()
    mailroomd = sys.argv[2]
    problems = []

    printed = subprocess.run([mailroomd, "--print-settings"], check=True, capture_output=True, text=True).stdout
    doc = (root / "docs/settings.md").read_text(encoding="utf-8")
    if printed != doc:
        problems.append("docs/settings.md differs from `mailroomd --print-settings`; regenerate it with "
                        "`mailroomd --print-settings > docs/settings.md`")

    schema = json.loads((root / "server/adminproto/schema.json").read_text(encoding="utf-8"))
    proto = (root / "docs/admin-protocol.md").read_text(encoding="utf-8")
    changelog = (root / "docs/admin-protocol-CHANGELOG.md").read_text(encoding="utf-8")
    header = (root / "server/adminproto/protocol.h").read_text(encoding="utf-8")
    version = schema["version"]
    if f"kProtocolVersion = {version};" not in header:
        problems.append(f"schema.json version {version} differs from kProtocolVersion in protocol.h")
    if f"Version {version}" not in proto:
        problems.append(f"docs/admin-protocol.md does not say 'Version {version}'")
    if f"## {version}" not in changelog:
        problems.append(f"docs/admin-protocol-CHANGELOG.md has no '## {version}' entry")
    for m in schema["methods"]:
        if f"`{m['name']}`" not in proto:
            problems.append(f"docs/admin-protocol.md does not describe method {m['name']}")
        for p, spec in m["params"].items():
            if not spec.get("doc"):
                problems.append(f"schema.json: {m['name']}.{p} has no doc")
    for p in schema.get("pushes", []):
        if f"`{p['name']}`" not in proto:
            problems.append(f"docs/admin-protocol.md does not describe push {p['name']}")

    for p in problems:
        print(p)
    print(f"docs: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
