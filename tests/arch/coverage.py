#!/usr/bin/env python3
"""Line and branch coverage of the library, per layer (src/<layer>/) and in total.

Runs Debian's gcovr (5.x) on a build configured with -Db_coverage=true whose
tests have run, and prints one row per layer of the library:

    layer      lines                 branches
    core       1,234/1,250  98.7 %   ...

usage: coverage.py [BUILD_DIR]        (default build-cov; run from the source root)
       coverage.py --json FILE        (read the output of `gcovr --json` instead)
       add --files to list every file under its layer

Lines and branches are counted as gcovr counts them (its --json-summary gives
the same totals): a line is covered when it ran once, a branch when it was
taken once; exception branches are left out (--exclude-throw-branches).
"""
import json
import os
import subprocess
import sys

LAYERS = ['core', 'num', 'io', 'book', 'pricing', 'docs']
FILTER = 'src/(' + '|'.join(LAYERS) + ')/'


def gcovr_json(build_dir):
    cmd = ['gcovr', '-r', '.', '--filter', FILTER, '--exclude-throw-branches', '--json',
           '-o', '-', build_dir]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    return json.loads(out)


def count(doc):
    """{file: [lines, covered lines, branches, covered branches]}"""
    per_file = {}
    for f in doc['files']:
        c = per_file.setdefault(f['file'], [0, 0, 0, 0])
        for line in f['lines']:
            if line.get('gcovr/noncode') or line.get('gcovr/excluded'):
                continue
            c[0] += 1
            c[1] += line['count'] > 0
            for b in line['branches']:
                c[2] += 1
                c[3] += b['count'] > 0
    return per_file


def layer_of(path):
    parts = path.replace(os.sep, '/').split('/')
    return parts[1] if len(parts) > 2 and parts[0] == 'src' else '?'


def cell(done, total):
    pct = '   - ' if total == 0 else '%5.1f' % (100.0 * done / total)
    return '%13s %s %%' % ('{:,}/{:,}'.format(done, total), pct)


def main(argv):
    files = '--files' in argv
    argv = [a for a in argv if a != '--files']
    if argv[:1] == ['--json'] and len(argv) == 2:
        with open(argv[1], encoding='utf-8') as f:
            doc = json.load(f)
    elif len(argv) <= 1 and not (argv and argv[0].startswith('-')):
        doc = gcovr_json(argv[0] if argv else 'build-cov')
    else:
        sys.stderr.write(__doc__)
        return 2
    per_file = count(doc)
    rows = {}
    for path, c in per_file.items():
        r = rows.setdefault(layer_of(path), [0, 0, 0, 0])
        for i in range(4):
            r[i] += c[i]
    print('%-10s %-21s %-21s' % ('layer', 'lines', 'branches'))
    order = LAYERS + sorted(set(rows) - set(LAYERS))
    for layer in order:
        if layer not in rows:
            continue
        r = rows[layer]
        print('%-10s %s %s' % (layer, cell(r[1], r[0]), cell(r[3], r[2])))
        if files:
            for path in sorted(p for p in per_file if layer_of(p) == layer):
                c = per_file[path]
                print('  %-24s %s %s' % (os.path.basename(path)[:24], cell(c[1], c[0]),
                                         cell(c[3], c[2])))
    t = [sum(r[i] for r in rows.values()) for i in range(4)]
    print('%-10s %s %s' % ('total', cell(t[1], t[0]), cell(t[3], t[2])))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
