#!/usr/bin/env python3
"""The library's layering, checked on its sources and its objects.

1. Every #include "x" of src/<layer>/ resolves in that layer or a lower one
   (or in include/): the build already enforces this with per-layer include
   directories; this says which file broke it.
2. Symbols: an object of one layer uses internal functions (b2b_*, b2b__*)
   defined only in its own or lower layers, and the files of the library
   form no cycle of calls (file A uses B, B uses A, directly or not).

usage: layers.py SRC_DIR BUILD_SRC_DIR NM
"""
import os
import re
import subprocess
import sys

LAYERS = ['core', 'num', 'io', 'book', 'pricing', 'docs']


def includes(src):
    bad = []
    for li, layer in enumerate(LAYERS):
        d = os.path.join(src, layer)
        for name in sorted(os.listdir(d)):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(d, name)
            with open(path, encoding='utf-8') as f:
                for n, line in enumerate(f, 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m or m.group(1).startswith('b2b/') or m.group(1) == 'b2b.h':
                        continue
                    inc = m.group(1)
                    where = [lj for lj, l2 in enumerate(LAYERS)
                             if os.path.exists(os.path.join(src, l2, inc))]
                    if not where:
                        bad.append(f'{path}:{n}: "{inc}" is in no layer')
                    elif min(where) > li:
                        bad.append(f'{path}:{n}: "{inc}" is in {LAYERS[min(where)]}/, '
                                   f'above {layer}/')
    return bad


def symbols(build, nm):
    defs, uses = {}, {}
    for layer in LAYERS:
        d = os.path.join(build, f'libb2b_{layer}.a.p')
        for name in sorted(os.listdir(d)):
            if not name.endswith('.o'):
                continue
            unit = f'{layer}/{name[len(layer) + 1:-4]}'
            out = subprocess.run([nm, os.path.join(d, name)], check=True,
                                 capture_output=True, text=True).stdout
            uses[unit] = set()
            for line in out.splitlines():
                parts = line.split()
                if len(parts) < 2 or not parts[-1].startswith('b2b_'):
                    continue
                if parts[-2] == 'U':
                    uses[unit].add(parts[-1])
                elif parts[-2] in 'TtDdBbRr':
                    defs[parts[-1]] = unit
    bad = []
    graph = {u: set() for u in uses}
    for unit, syms in uses.items():
        for s in sorted(syms):
            other = defs.get(s)
            if other is None or other == unit:
                continue
            graph[unit].add(other)
            if LAYERS.index(other.split('/')[0]) > LAYERS.index(unit.split('/')[0]):
                bad.append(f'{unit} uses {s} from {other}, a higher layer')
    # cycles: Tarjan's strongly connected components
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for c in comps:
        bad.append('cycle between ' + ', '.join(c))
    return bad, len(uses)


def main():
    src, build, nm = sys.argv[1:4]
    bad = includes(src)
    sbad, nunits = symbols(build, nm)
    bad += sbad
    for b in bad:
        print(b)
    print(f'{nunits} objects in {len(LAYERS)} layers: '
          f'{"0 problems" if not bad else str(len(bad)) + " problems"}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
