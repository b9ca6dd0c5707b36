#!/usr/bin/env python3
"""Checks every #include "module/..." against the dependency table of
DESIGN.md §4 (STYLE rule 12). Exit 1 and a list of offending lines when an
edge is not allowed; the engine must not include Qt Widgets at all."""
import pathlib
import re
import sys

# module -> modules it may include (besides itself). Keep in step with DESIGN §4.
ALLOWED = {
    "base": set(),
    "config": {"base"},
    "mime": {"base"},
    "dns": {"base"},
    "mailauth": {"dns", "mime", "base"},
    "store": {"config", "mime", "base"},
    "auth": {"store", "config", "base"},
    "net": {"config", "base"},
    "spam": {"mailauth", "dns", "mime", "store", "config", "base"},
    "queue": {"store", "mime", "config", "base"},
    "delivery": {"queue", "store", "dns", "net", "mime", "mailauth", "archive", "config", "base"},
    "smtp": {"net", "auth", "spam", "queue", "mime", "config", "base"},
    "imap": {"net", "auth", "store", "mime", "config", "base"},
    "pop3": {"net", "auth", "store", "mime", "config", "base"},
    "archive": {"store", "mime", "config", "base"},
    "backup": {"store", "mime", "config", "base"},
    "telemetry": {"config", "base"},
    "adminproto": set(),
    # admin reaches services through their interfaces; auth is one of them
    # (password hashing for users.add and users.passwd).
    "admin": {"adminproto", "store", "queue", "spam", "archive", "backup", "telemetry", "config", "base", "auth"},
    "adminclient": {"adminproto"},
    "main": None,  # the composition root may include everything
    "ctl": {"adminclient", "adminproto"},
    "widgets": {"adminclient", "adminproto"},
    "app": {"widgets", "adminclient", "adminproto"},
}
WIDGETS = re.compile(r'#\s*include\s*[<"](QtWidgets/|QWidget|QApplication|QMainWindow|QDialog|QtGui/)')
LOCAL = re.compile(r'#\s*include\s*"([a-z0-9_]+)/[^"]+"')


def module_of(root: pathlib.Path, path: pathlib.Path):
    rel = path.relative_to(root).parts
    if rel[0] == "server" and len(rel) > 2:
        return rel[1]
    if rel[0] in ("app", "widgets"):
        return rel[0]
    return None


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = []
    checked = 0
    for path in sorted(list(root.glob("server/**/*")) + list(root.glob("app/**/*")) + list(root.glob("widgets/**/*"))):
        if path.suffix not in (".h", ".cpp") or not path.is_file():
            continue
        module = module_of(root, path)
        if module is None:
            continue
        if module not in ALLOWED:
            problems.append(f"{path.relative_to(root)}: module '{module}' is not in the dependency table")
            continue
        allowed = ALLOWED[module]
        for no, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = LOCAL.match(line.strip())
            if m:
                checked += 1
                dep = m.group(1)
                if dep == module or allowed is None:
                    continue
                # widgets/app include their own subfolders ("models/...", "pages/...")
                if module in ("widgets", "app") and dep not in ALLOWED:
                    continue
                if dep not in allowed:
                    problems.append(f"{path.relative_to(root)}:{no}: {module} may not include {dep} ({line.strip()})")
            if module not in ("widgets", "app") and path.parts[len(root.parts)] == "server" and WIDGETS.match(line.strip()):
                problems.append(f"{path.relative_to(root)}:{no}: the engine side may not use Qt Widgets or Gui")
    for p in problems:
        print(p)
    print(f"layering: {checked} includes checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
