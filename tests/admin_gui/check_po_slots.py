#!/usr/bin/env python3
"""Fails when a translation drops, adds or renumbers a slot of its msgid: the core phrases
(core/phrase.hpp) fill {0}, {1}... with names and numbers, and a translation that loses a
slot would lose what the check line says. Usage: check_po_slots.py file.po..."""
import re
import sys


def entries(path):
    """(msgid, msgstr) pairs of a .po file, strings joined, escapes kept."""
    key, parts, out = None, {}, []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        m = re.match(r'^(msgid|msgstr) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid" and "msgid" in parts:
                out.append((parts.get("msgid", ""), parts.get("msgstr", "")))
                parts = {}
            key = m.group(1)
            parts[key] = m.group(2)
        elif line.startswith('"') and key:
            parts[key] += line[1:-1]
        elif not line or line.startswith("#"):
            key = None if not line else key
    if "msgid" in parts:
        out.append((parts.get("msgid", ""), parts.get("msgstr", "")))
    return out


def main():
    bad = 0
    for path in sys.argv[1:]:
        n = 0
        for msgid, msgstr in entries(path):
            if not msgid or not msgstr:
                continue
            slots = sorted(re.findall(r"\{\d+\}", msgid))
            if slots != sorted(re.findall(r"\{\d+\}", msgstr)):
                print(f"{path}: slots differ:\n  msgid  {msgid}\n  msgstr {msgstr}")
                bad += 1
            n += 1 if slots else 0
        print(f"{path}: {n} messages with slots checked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
