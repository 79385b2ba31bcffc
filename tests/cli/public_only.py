#!/usr/bin/env python3
"""The b2b program is a host like any other: it uses the public API only.

1. Every #include "x" of src/cli/ names a file of src/cli/ itself or a
   public header (b2b.h, b2b/*.h); the build already refuses the others
   (src/cli sees only include/), this says which line broke it.
2. Every library symbol its objects use is a public function: declared
   with B2B_API in include/ (so none of the library's b2b__ functions,
   which a hand-written prototype could otherwise reach in the static
   library).

usage: public_only.py SRC_CLI_DIR INCLUDE_DIR OBJECTS_DIR NM
"""
import os
import re
import subprocess
import sys


def includes(cli, inc):
    bad = []
    for name in sorted(os.listdir(cli)):
        if not name.endswith(('.c', '.h')):
            continue
        path = os.path.join(cli, name)
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                h = m.group(1)
                public = (h == 'b2b.h' or h.startswith('b2b/')) and (
                    os.path.exists(os.path.join(inc, h)) or h == 'b2b/version.h')
                if not public and not os.path.exists(os.path.join(cli, h)):
                    bad.append(f'{path}:{n}: "{h}" is neither in src/cli/ nor a public header')
    return bad


def public_api(inc):
    names = set()
    for root, _, files in os.walk(inc):
        for name in files:
            if name.endswith(('.h', '.h.in')):
                with open(os.path.join(root, name), encoding='utf-8') as f:
                    text = f.read()
                names.update(re.findall(r'B2B_API\b[^;(]*?\b(b2b_\w+)\s*\(', text))
    return names


def symbols(objs, nm, api):
    bad, used = [], 0
    for name in sorted(os.listdir(objs)):
        if not name.endswith('.o'):
            continue
        out = subprocess.run([nm, os.path.join(objs, name)], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) != 2 or parts[0] != 'U' or not parts[1].startswith('b2b_'):
                continue
            used += 1
            if parts[1] not in api:
                bad.append(f'{name}: uses {parts[1]}, which is not a public function')
    return bad, used


def main():
    cli, inc, objs, nm = sys.argv[1:5]
    api = public_api(inc)
    bad = includes(cli, inc)
    sbad, used = symbols(objs, nm, api)
    bad += sbad
    for b in bad:
        print(b)
    print(f'{used} uses of {len(api)} public functions: '
          f'{"0 problems" if not bad else str(len(bad)) + " problems"}')
    return 1 if bad or used == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
