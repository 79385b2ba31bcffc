#!/usr/bin/env python3
"""Golden-file test for the b2b command: run it, compare stdout with a file.

usage: golden_cli.py --expect FILE [--exit N] [--stdin FILE] [--cwd DIR]
                     [--args-file FILE] -- B2B ARGS...

Passes when the exit status is N (default 0) and stdout equals FILE byte
for byte. On a difference it prints a unified diff. With --update it
writes stdout to FILE instead (for regenerating after a reviewed change;
every regenerated file must be checked by hand against examples/README.md).
--args-file appends the whitespace-separated words of FILE to ARGS (e.g.
examples/data/price_request.txt). --stderr-match REGEX requires standard
error to match REGEX (re.search, multi-line).
Standard library only.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", required=True)
    ap.add_argument("--exit", type=int, default=0)
    ap.add_argument("--stdin")
    ap.add_argument("--cwd")
    ap.add_argument("--args-file")
    ap.add_argument("--stderr-match")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    if os.sep in cmd[0]:
        cmd[0] = os.path.abspath(cmd[0])   # meson passes it relative to the build dir
    if a.args_file:
        with open(a.args_file, encoding="utf-8") as f:
            cmd = cmd + f.read().split()
    stdin = open(a.stdin, "rb") if a.stdin else subprocess.DEVNULL
    p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       cwd=a.cwd)
    if a.update:
        with open(a.expect, "wb") as f:
            f.write(p.stdout)
        print("wrote", a.expect)
        return 0
    ok = True
    if p.returncode != a.exit:
        print("exit status %d, expected %d" % (p.returncode, a.exit))
        ok = False
    with open(a.expect, "rb") as f:
        want = f.read()
    if p.stdout != want:
        ok = False
        print("stdout differs from %s:" % a.expect)
        sys.stdout.writelines(difflib.unified_diff(
            want.decode("utf-8", "replace").splitlines(True),
            p.stdout.decode("utf-8", "replace").splitlines(True),
            "expected", "got"))
    err = p.stderr.decode("utf-8", "replace")
    if a.stderr_match and not re.search(a.stderr_match, err, re.M):
        print("stderr does not match %r" % a.stderr_match)
        ok = False
    if p.stderr:
        print("stderr:")
        print(p.stderr.decode("utf-8", "replace"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
