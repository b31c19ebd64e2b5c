#!/usr/bin/env python3
"""Refuses an #include that crosses a layer the build does not declare.

Reads the manifest CMake writes (cmake/PingyiLayers.cmake): every target of crypto/, core/,
app/, gui/, kiosk/ and admin/ with its sources and the targets it links. A header belongs to the
target that lists it, or that lists the .cpp beside it, or (crypto/: one target) to the only
target of its folder. An include of our header ("core/x.hpp") from a source of target T must
belong to T or to a target T reaches through its links. Outside crypto/, no source may include
crypto/single_decrypt.hpp (the decryption of any one ciphertext) nor reach a key's secret()
scalar: the rest of the program decrypts only aggregates (DecryptAggregate, DecryptPartial).
Only the wx layers (gui/, the glue; kiosk/ and admin/gui/, the screens) may include a wx
header: crypto/, core/, app/ and the console stay widget-free.
Exit 1 with one line per violation.
"""
import json
import os
import re
import sys

SINGLE_DECRYPT = "crypto/single_decrypt.hpp"
SECRET_CALL = re.compile(r"\.secret\(\)|->secret\(\)")
WX_INCLUDE = re.compile(r'^\s*#\s*include\s+<wx/', re.M)
WX_DIRS = ("gui", os.path.join("admin", "gui"), "kiosk")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+(?:/[a-z_]+)*/[a-z0-9_]+\.hpp)"', re.M)


def main(manifest_path, source_root):
    with open(manifest_path, encoding="utf-8") as f:
        targets = json.load(f)
    owner = {}    # repo-relative header path -> target
    by_dir = {}   # repo-relative dir -> [targets]
    files = {}    # target -> [repo-relative source paths]
    for name, t in targets.items():
        rel_dir = os.path.relpath(t["dir"], source_root)
        by_dir.setdefault(rel_dir, []).append(name)
        paths = []
        for s in t["sources"]:
            p = s if os.path.isabs(s) else os.path.join(t["dir"], s)
            rel = os.path.relpath(p, source_root)
            if rel.startswith("..") or not rel.endswith((".cpp", ".hpp")) or not os.path.exists(p):
                continue  # generated files in the build tree
            paths.append(rel)
            if rel.endswith(".hpp"):
                owner[rel] = name
        files[name] = paths
    for name, paths in files.items():
        for rel in paths:
            if rel.endswith(".cpp"):
                owner.setdefault(rel[:-4] + ".hpp", name)

    def owner_of(header):
        if header in owner:
            return owner[header]
        candidates = by_dir.get(os.path.dirname(header), [])
        return candidates[0] if len(candidates) == 1 else None

    def reach(name, seen):
        if name in seen or name not in targets:
            return seen
        seen.add(name)
        for dep in targets[name]["links"]:
            reach(dep, seen)
        return seen

    problems = []
    checked = 0
    for name, paths in files.items():
        allowed = reach(name, set())
        for rel in paths:
            with open(os.path.join(source_root, rel), encoding="utf-8") as f:
                text = f.read()
            if not rel.startswith("crypto" + os.sep):
                if SINGLE_DECRYPT in INCLUDE.findall(text):
                    problems.append(f"{rel} ({name}): includes {SINGLE_DECRYPT}: only crypto/ may decrypt "
                                    "a single ciphertext; use DecryptAggregate")
                if SECRET_CALL.search(text):
                    problems.append(f"{rel} ({name}): reads a key's secret(): only crypto/ may")
            if WX_INCLUDE.search(text) and os.path.dirname(rel) not in WX_DIRS:
                problems.append(f"{rel} ({name}): includes a wx header: only gui/, kiosk/ and admin/gui/ may")
            for header in INCLUDE.findall(text):
                if not os.path.exists(os.path.join(source_root, header)):
                    continue  # not ours (e.g. a generated or third-party header)
                checked += 1
                o = owner_of(header)
                if o is None:
                    problems.append(f"{rel}: {header} belongs to no target")
                elif o not in allowed:
                    problems.append(f"{rel} ({name}): includes {header} of {o}, "
                                    f"which {name} does not link")
    for p in problems:
        print(p)
    print(f"{checked} includes checked in {len(files)} targets, {len(problems)} violations")
    return 1 if problems else 0


def selftest():
    """The check must catch a violation: a tiny tree where a includes b's header unlinked."""
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "core"))
        with open(os.path.join(root, "core", "a.cpp"), "w") as f:
            f.write('#include "core/b.hpp"\n')
        with open(os.path.join(root, "core", "b.hpp"), "w") as f:
            f.write("#pragma once\n")
        manifest = os.path.join(root, "m.json")
        d = os.path.join(root, "core")
        for linked, expect in (([], 1), (["b"], 0)):
            with open(manifest, "w") as f:
                json.dump({"a": {"dir": d, "sources": ["a.cpp"], "links": linked},
                           "b": {"dir": d, "sources": ["b.hpp"], "links": []}}, f)
            got = main(manifest, root)
            if got != expect:
                print(f"selftest: links {linked}: exit {got}, expected {expect}")
                return 1
        # A core source that decrypts one ciphertext is refused even with the link declared.
        os.makedirs(os.path.join(root, "crypto"))
        with open(os.path.join(root, "crypto", "single_decrypt.hpp"), "w") as f:
            f.write("#pragma once\n")
        with open(os.path.join(root, "core", "a.cpp"), "w") as f:
            f.write('#include "crypto/single_decrypt.hpp"\n')
        with open(manifest, "w") as f:
            json.dump({"a": {"dir": d, "sources": ["a.cpp"], "links": ["c"]},
                       "c": {"dir": os.path.join(root, "crypto"), "sources": ["single_decrypt.hpp"], "links": []}}, f)
        if main(manifest, root) != 1:
            print("selftest: core including crypto/single_decrypt.hpp was not refused")
            return 1
        # A wx header: refused in core/, accepted in gui/ (the glue) with its target linked.
        os.makedirs(os.path.join(root, "gui"))
        for folder, expect in (("core", 1), ("gui", 0)):
            with open(os.path.join(root, folder, "w.cpp"), "w") as f:
                f.write("#include <wx/string.h>\n")
            with open(manifest, "w") as f:
                json.dump({"w": {"dir": os.path.join(root, folder), "sources": ["w.cpp"], "links": []}}, f)
            got = main(manifest, root)
            if got != expect:
                print(f"selftest: a wx include in {folder}/: exit {got}, expected {expect}")
                return 1
    print("selftest: an undeclared include is refused, a declared one passes, a single decryption outside "
          "crypto/ is refused, a wx header outside the wx layers is refused")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--selftest"]:
        sys.exit(selftest())
    sys.exit(main(sys.argv[1], sys.argv[2]))
