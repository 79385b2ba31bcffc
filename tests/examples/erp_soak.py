#!/usr/bin/env python3
"""Soak test of examples/erp_host: requests in flight while the book changes.

erp_host runs with WORKERS workers on a copy of the sample book, fed the
sample quote request and the three sample orders in a loop on standard
input for SECONDS seconds, while products.csv is replaced (by rename) every
SWAP_MS milliseconds with one of K variants that differ only in the list
price of a product no request uses, and every 10th swap also sends SIGHUP.

Checked:
  - every request gets exactly one result, with the status and total that
    examples/README.md gives for it (0 failed requests);
  - every result's book is the book erp_host published under that
    generation, is one of the K variants (fingerprints from `b2b book`),
    and is not older than the book already published when the request was
    written (so no request runs on a book retired before it arrived);
  - erp_host exits 0 after the end of input, with no reload failure (under
    ASan, its leak check at exit runs too);
  - resident memory (VmRSS, sampled at every swap) stays flat after the
    warm-up: the last samples exceed the early ones by at most
    max(2 MiB, 10 %). Not asserted in a sanitized build, whose allocator
    quarantines freed memory; the figures are printed either way.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

# (status, total) per request, worked out by hand in examples/README.md
REQUESTS = [
    ('quote_request.json', 'quoted', '3901.76'),
    ('orders/order_valid.json', 'valid', '4043.42'),
    ('orders/order_holds.json', 'valid', '3056.31'),
    ('orders/order_invalid.json', 'invalid', '2431.85'),
]
VARIED_SKU = 'DRL-14V-NIMH'     # in the book, in no request
PUBLISHED = re.compile(r'^erp_host: published book ([0-9a-f]{64}) generation (\d+) ')


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def variants(products, k):
    """k texts of products.csv, the varied product's list price 99.00 + i."""
    lines = products.split('\n')
    idx = [i for i, l in enumerate(lines) if l.startswith(VARIED_SKU + ',')]
    if len(idx) != 1:
        fail('%s not found once in products.csv' % VARIED_SKU)
    row = lines[idx[0]]
    if ',99.00,' not in row:
        fail('unexpected row for %s: %s' % (VARIED_SKU, row))
    out = []
    for i in range(k):
        lines[idx[0]] = row.replace(',99.00,', ',%d.00,' % (99 + i), 1)
        out.append('\n'.join(lines))
    return out


def fingerprint(b2b, book):
    r = subprocess.run([b2b, 'book', '--book', book], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        fail('b2b book %s: exit %d: %s' % (book, r.returncode, r.stderr))
    return json.loads(r.stdout)['fingerprint']


def rss_kib(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host', required=True)
    ap.add_argument('--b2b', required=True)
    ap.add_argument('--examples', required=True)
    ap.add_argument('--seconds', type=float, default=10)
    ap.add_argument('--workers', type=int, default=4)
    ap.add_argument('--swap-ms', type=int, default=100)
    ap.add_argument('--poll-ms', type=int, default=20)
    ap.add_argument('--variants', type=int, default=10)
    ap.add_argument('--sanitized', action='store_true')
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix='erp-soak-')
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp):
    src_book = os.path.join(args.examples, 'data', 'book')
    book = os.path.join(tmp, 'book')
    shutil.copytree(src_book, book)
    with open(os.path.join(book, 'products.csv'), newline='') as f:
        texts = variants(f.read(), args.variants)
    # each variant as a book of its own, for its fingerprint
    fps = []
    for i, text in enumerate(texts):
        d = os.path.join(tmp, 'v%d' % i)
        os.mkdir(d)
        for name in os.listdir(src_book):
            if name != 'products.csv':
                os.symlink(os.path.abspath(os.path.join(src_book, name)), os.path.join(d, name))
        with open(os.path.join(d, 'products.csv'), 'w', newline='') as f:
            f.write(text)
        fps.append(fingerprint(args.b2b, d))
    if len(set(fps)) != len(fps):
        fail('variants share a fingerprint')
    known = set(fps)

    def install(i):
        part = os.path.join(book, '.products.csv.new')
        with open(part, 'w', newline='') as f:
            f.write(texts[i])
        os.replace(part, os.path.join(book, 'products.csv'))

    install(0)
    lines = []
    for name, _, _ in REQUESTS:
        with open(os.path.join(args.examples, 'data', name), encoding='utf-8') as f:
            # JSON strings hold no raw newline: this keeps the document exact
            lines.append((f.read().replace('\n', ' ').strip() + '\n').encode())

    proc = subprocess.Popen([args.host, '-w', str(args.workers), '-i', str(args.poll_ms),
                             book, '-'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    published = {}          # generation -> fingerprint
    observed = [0]          # highest generation seen published so far
    summary = {}
    log = []
    results = []
    sent_gen = []           # per request: observed[0] when it was written

    def read_stderr():
        for raw in proc.stderr:
            line = raw.decode('utf-8', 'replace').rstrip('\n')
            log.append(line)
            m = PUBLISHED.match(line)
            if m:
                g = int(m.group(2))
                published[g] = m.group(1)
                observed[0] = max(observed[0], g)
            elif line.startswith('erp_host: summary '):
                summary.update(json.loads(line[len('erp_host: summary '):]))

    def read_stdout():
        for raw in proc.stdout:
            results.append(raw)

    deadline = [None]

    def write_requests():
        n = 0
        try:
            while time.monotonic() < deadline[0]:
                batch = []
                for _ in range(8):
                    sent_gen.append(observed[0])
                    batch.append(lines[n % len(lines)])
                    n += 1
                proc.stdin.write(b''.join(batch))
                proc.stdin.flush()
        except BrokenPipeError:
            pass
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    t_err = threading.Thread(target=read_stderr)
    t_out = threading.Thread(target=read_stdout)
    t_err.start()
    t_out.start()
    # wait for the first book before sending, so that start-up is not timed
    t0 = time.monotonic()
    while 1 not in published and proc.poll() is None and time.monotonic() - t0 < 30:
        time.sleep(0.01)
    if 1 not in published:
        proc.kill()
        t_err.join()
        fail('erp_host did not start: ' + '\n'.join(log))
    start = time.monotonic()
    deadline[0] = start + args.seconds
    t_in = threading.Thread(target=write_requests)
    t_in.start()

    samples = []            # (seconds since start, VmRSS KiB)
    swaps = 0
    k = 0
    next_swap = start + args.swap_ms / 1000
    while True:
        now = time.monotonic()
        if now >= deadline[0]:
            break
        if now < next_swap:
            time.sleep(min(next_swap, deadline[0]) - now)
            continue
        next_swap += args.swap_ms / 1000
        k = (k + 1) % len(texts)
        install(k)
        swaps += 1
        if swaps % 10 == 0:
            proc.send_signal(signal.SIGHUP)
        r = rss_kib(proc.pid)
        if r is not None:
            samples.append((now - start, r))
    t_in.join()
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        fail('erp_host did not exit after the end of its input')
    t_out.join()
    t_err.join()
    elapsed = time.monotonic() - start

    problems = []
    if rc != 0:
        problems.append('erp_host exited %d' % rc)
    sent = len(sent_gen)
    if len(results) != sent:
        problems.append('%d requests written, %d results' % (sent, len(results)))
    seen = set()
    used = set()
    bad = 0
    for raw in results:
        r = json.loads(raw)
        seq = r['request']
        if seq in seen or not 1 <= seq <= sent:
            problems.append('request %r answered twice or never sent' % seq)
            continue
        seen.add(seq)
        _, status, total = REQUESTS[(seq - 1) % len(REQUESTS)]
        g = r.get('generation')
        why = None
        if r.get('status') != status or r.get('total') != total:
            why = 'expected %s %s' % (status, total)
        elif published.get(g) != r.get('book'):
            why = 'generation %r was published as %s' % (g, published.get(g))
        elif r['book'] not in known:
            why = 'a book that was never written'
        elif g < sent_gen[seq - 1]:
            why = 'generation %d was retired before the request was written (%d was out)' % (
                g, sent_gen[seq - 1])
        if why:
            bad += 1
            if bad <= 5:
                problems.append('result %s: %s' % (raw.decode().strip(), why))
        else:
            used.add(g)
    if bad:
        problems.append('%d bad results' % bad)
    if summary.get('failed') != 0 or summary.get('reloads_failed') != 0:
        problems.append('summary: %r' % summary)
    if summary.get('requests') != sent:
        problems.append('summary counts %r requests, %d written' % (summary.get('requests'), sent))
    gens = len(published)
    if gens - 1 < swaps // 2:
        problems.append('only %d books published for %d swaps' % (gens - 1, swaps))
    if len(used) < min(10, gens):
        problems.append('results used only %d generations' % len(used))

    warm = [r for t, r in samples if 2.0 <= t < 4.0]
    late = [r for t, r in samples if t >= args.seconds - 2.0]
    rss = ''
    if warm and late:
        base, top = median(warm), max(late)
        grow = top - base
        rss = ('VmRSS KiB: first sample %d, median 2-4 s %d, max last 2 s %d, growth %+d '
               '(%.1f %%), overall max %d' % (samples[0][1], base, top, grow,
                                              100.0 * grow / base, max(r for _, r in samples)))
        if not args.sanitized and grow > max(2048, base // 10):
            problems.append('resident memory grew after warm-up: ' + rss)
    elif not args.sanitized:
        problems.append('too few VmRSS samples: %r' % samples)

    print('%d requests in %.1f s (%.0f/s) with %d workers; %d swaps, %d books published, '
          '%d generations used by results' % (sent, elapsed, sent / elapsed, args.workers,
                                              swaps, gens - 1, len(used)))
    print(rss)
    if problems:
        for p in problems:
            print('FAIL: ' + p)
        print('erp_host stderr (last 20 lines):')
        for line in log[-20:]:
            print('  ' + line)
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
