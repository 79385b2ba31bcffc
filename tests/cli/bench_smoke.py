#!/usr/bin/env python3
"""`b2b bench` runs end to end on tiny workloads, and its deterministic
figures are right (timings are never checked: benchmarks are not timed
tests).

- bench csv: records, fields and bytes of the three files, computed here
  from the row format independently of the C code;
- bench price: on a small full-profile book, no problems, and the checksum
  of the batch prices as it was when the checksum was computed with the
  library's internal SHA-256 (a pin: it changes only if pricing or the
  synthetic book change, which must not happen silently); on a small
  basic-profile book, its checksum pinned too, the dense floor's price
  equal to the library's on every line, and the batch run on 1 and 2
  threads with the same results.

usage: bench_smoke.py B2B
"""
import json
import subprocess
import sys

HEADER = ('sku,name,category,list_price,currency,cost,pack_size,min_qty,max_qty,status,'
          'tax_class,on_hand,daily_demand,baseline_demand,competitor_price,prev_price\n')


def csv_bytes(rows, kind):
    n = len(HEADER.encode())
    for i in range(rows):
        name = {'ascii': f'Widget {i}', 'quoted': f'"Widget, ""large"" {i}"',
                'utf8': f'Schraube M\u00fc\u00df {i}'}[kind]
        row = (f'SKU-{i:07d},{name},tools/hand/screws,{i % 1000}.{i % 10000:04d},EUR,'
               f'{i % 700}.{i % 100:02d},10,1,1000,active,standard,{i % 5000},3.5,3.1,'
               f'{i % 1000}.99,{i % 1000}.50\n')
        n += len(row.encode())
    return n


def run(b2b, *args):
    p = subprocess.run([b2b, 'bench', *args], capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        sys.exit(f'b2b bench {" ".join(args)}: exit {p.returncode}\n{p.stderr}')
    return json.loads(p.stdout)


def main():
    b2b = sys.argv[1]
    bad = []
    d = run(b2b, 'csv', '--rows', '257', '--runs', '2')
    for kind in ('ascii', 'quoted', 'utf8'):
        got = d[kind]
        want = {'records': 258, 'fields': 258 * 16, 'bytes': csv_bytes(257, kind)}
        for k, v in want.items():
            if got[k] != v:
                bad.append(f'bench csv {kind} {k}: {got[k]}, expected {v}')
    if (d['bench'], d['rows'], d['runs']) != ('csv', 257, 2):
        bad.append(f'bench csv header: {d}')
    d = run(b2b, 'price', '--profile', 'full', '--products', '300', '--customers', '20',
            '--contract-items', '100', '--lines', '2000', '--runs', '1', '--quote-runs', '20')
    want = {'products': 300, 'lines': 2000, 'problems': 0, 'quote20_errors': 0,
            'checksum_sha256': 'da723aaf71c49aa5343dc5c4cac5d11c06cd6bcb97a3daab36ee758ea0471eb7',
            'sum_unit_prices': '833429.4570', 'checksum_matches_expected': None}
    for k, v in want.items():
        if d.get(k) != v:
            bad.append(f'bench price {k}: {d.get(k)!r}, expected {v!r}')
    # the dense floor runs only on a basic-profile book, and gives the
    # library's price on every line there
    if d.get('floor_dense_ns_per_line') is not None or 'floor_dense_not_run' not in d:
        bad.append(f'bench price full: the dense floor ran: {d.get("floor_dense_ns_per_line")!r}')
    d = run(b2b, 'price', '--profile', 'basic', '--products', '300', '--customers', '20',
            '--contract-items', '100', '--lines', '2000', '--runs', '1', '--quote-runs', '20',
            '--threads', '2')
    want = {'products': 300, 'lines': 2000, 'problems': 0, 'floor_dense_mismatches': 0,
            'checksum_sha256': 'dff4adb74caddf1c3ef1ba91961153645409a8550492acd238c56a6591b816ff',
            'sum_unit_prices': '926048.9200', 'threads_results_match': True}
    for k, v in want.items():
        if d.get(k) != v:
            bad.append(f'bench price basic {k}: {d.get(k)!r}, expected {v!r}')
    if [t['threads'] for t in d.get('threads', [])] != [1, 2]:
        bad.append(f'bench price basic threads: {d.get("threads")!r}')
    if d.get('floor_dense_ns_per_line') is None:
        bad.append(f'bench price basic: no dense floor ({d.get("floor_dense_not_run")!r})')
    for b in bad:
        print(b)
    print('bench smoke:', 'ok' if not bad else f'{len(bad)} problems')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
