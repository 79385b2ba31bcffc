#!/usr/bin/env python3
"""Differential test of b2b_dec against Python's decimal module.

Generates seeded random cases over add, sub, mul, div, percent, round,
round_multiple, allocate, fmt and units in every rounding mode, with values
from 10^-9 up to the limit (|x| < 10^28), feeds them to tests/dec_driver
through one pipe, computes the expected results with `decimal` at 100
digits (quantize with the matching ROUND_* constant; an exact result whose
magnitude is >= 10^28 is EOVERFLOW) and compares line by line.

Usage: dec_diff.py DRIVER [--cases N] [--seed S] [--show K]
Prints "N cases, M mismatches"; exits 1 on any mismatch. Stdlib only,
Python 3.9+.
"""
import argparse
import decimal
import random
import subprocess
import sys
from decimal import Decimal

decimal.getcontext().prec = 100
decimal.getcontext().Emax = 999999
decimal.getcontext().Emin = -999999

MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}
LIMIT = Decimal(10) ** 28
COEF_LIMIT = 10 ** 37
ONE = 10 ** 9


def coef(d):
    """The b2b_dec coefficient of an exact Decimal with <= 9 fractional digits."""
    c = d.scaleb(9)
    assert c == c.to_integral_value(), d
    return int(c)


def fmt_coef(c, scale=None):
    """Format a coefficient like b2b_dec_format (EXACT when scale is None)."""
    neg = c < 0
    m = -c if neg else c
    ip, fp = divmod(m, ONE)
    frac = "%09d" % fp
    if scale is None:
        frac = frac.rstrip("0")
    else:
        frac = frac[:scale]
    s = str(ip) + ("." + frac if frac else "")
    return ("-" + s) if neg and m != 0 else s


def fmt_dec(d):
    if abs(d) >= LIMIT:
        return "EOVERFLOW"
    return fmt_coef(coef(d))


def q(d, scale, mode):
    return d.quantize(Decimal(1).scaleb(-scale), rounding=MODES[mode])


def rounded(d, scale, mode):
    r = q(d, scale, mode)
    return "EOVERFLOW" if abs(r) >= LIMIT else fmt_coef(coef(r))


class Gen:
    def __init__(self, rng):
        self.r = rng

    def digits(self, n):
        if n <= 0:
            return ""
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def value(self, max_int=28, allow_neg=True):
        r = self.r
        k = r.random()
        if k < 0.10:      # tiny
            s = "0." + "0" * r.randint(0, 8)
            s += str(r.randint(1, 9))
            s = s[:11]
        elif k < 0.25:    # small integer
            s = str(r.randint(0, 1000))
        elif k < 0.45:    # price-like, few fractional digits (ties)
            s = str(r.randint(0, 10 ** r.randint(1, 7))) + "." + self.digits(r.randint(1, 4))
            if r.random() < 0.5:
                s += "5"
        elif k < 0.55:    # near the limit
            n = min(max_int, 28)
            s = "9" * n if r.random() < 0.5 else str(10 ** n - r.randint(1, min(1000, 10 ** n - 1)))
            if r.random() < 0.5:
                s += "." + ("9" * 9 if r.random() < 0.5 else self.digits(9))
        elif k < 0.60:    # exact tie at some position
            ip = str(r.randint(0, 10 ** r.randint(0, 12)))
            s = ip + "." + self.digits(r.randint(0, 8)) + "5"
        else:             # anything
            s = self.digits(r.randint(1, max_int)).lstrip("0") or "0"
            if r.random() < 0.7:
                s += "." + self.digits(r.randint(1, 9))
        if allow_neg and r.random() < 0.4:
            s = "-" + s
        return s

    def small_int_digits(self):
        return self.r.randint(0, 14)


def expected_allocate(total, scale, weights):
    t = coef(Decimal(total))
    unit = 10 ** (9 - scale)
    if t % unit != 0:
        return "EINVAL"
    neg = t < 0
    T = abs(t) // unit
    W = 0
    ws = []
    for w in weights:
        c = coef(Decimal(w))
        if c < 0:
            return "EINVAL"
        W += c
        if W >= COEF_LIMIT:
            return "EOVERFLOW"
        ws.append(c)
    if W == 0:
        if T != 0:
            return "EINVAL"
        return " ".join("0" for _ in ws)
    shares = [divmod(T * c, W) for c in ws]
    left = T - sum(s[0] for s in shares)
    order = sorted(range(len(ws)), key=lambda i: (-shares[i][1], i))
    extra = set(order[:left])
    out = []
    for i, (qq, _) in enumerate(shares):
        n = qq + (1 if i in extra else 0)
        c = n * unit
        out.append(fmt_coef(-c if neg else c))
    return " ".join(out)


def make_cases(n, seed):
    rng = random.Random(seed)
    g = Gen(rng)
    ops = ["add", "sub", "mul", "mul", "div", "div", "percent", "round", "round_multiple",
           "allocate", "fmt", "units"]
    modes = list(MODES)
    for _ in range(n):
        op = rng.choice(ops)
        mode = rng.choice(modes)
        scale = rng.randint(0, 9)
        if op in ("add", "sub"):
            a, b = g.value(), g.value()
            da, db = Decimal(a), Decimal(b)
            r = da + db if op == "add" else da - db
            yield "%s %s %s" % (op, a, b), fmt_dec(r)
        elif op in ("mul", "percent"):
            a = g.value(max_int=rng.randint(1, 28))
            b = g.value(max_int=rng.randint(1, 28))
            r = Decimal(a) * Decimal(b)
            if op == "percent":
                r = r / 100
            yield "%s %s %s %d %s" % (op, a, b, scale, mode), rounded(r, scale, mode)
        elif op == "div":
            a = g.value()
            b = g.value(max_int=rng.randint(1, 28))
            if rng.random() < 0.02:
                b = "0"
            if Decimal(b) == 0:
                exp = "EDIVZERO"
            else:
                exp = rounded(Decimal(a) / Decimal(b), scale, mode)
            yield "div %s %s %d %s" % (a, b, scale, mode), exp
        elif op == "round":
            a = g.value()
            yield "round %s %d %s" % (a, scale, mode), rounded(Decimal(a), scale, mode)
        elif op == "fmt":
            a = g.value()
            r = q(Decimal(a), scale, mode)
            if abs(r) >= LIMIT:
                exp = "EOVERFLOW"
            else:
                exp = fmt_coef(coef(r), scale)
            if rng.random() < 0.1:
                yield "fmt %s -1 %s" % (a, mode), fmt_dec(Decimal(a))
            else:
                yield "fmt %s %d %s" % (a, scale, mode), exp
        elif op == "units":
            a = g.value()
            r = q(Decimal(a), scale, mode)
            if abs(r) >= LIMIT:
                exp = "EOVERFLOW"
            else:
                u = int(r.scaleb(scale))
                exp = str(u) if -2 ** 63 <= u < 2 ** 63 else "EOVERFLOW"
            yield "units %s %d %s" % (a, scale, mode), exp
        elif op == "round_multiple":
            a = g.value()
            m = g.value(max_int=rng.randint(1, 28), allow_neg=False)
            if rng.random() < 0.02:
                m = rng.choice(["0", "-0.05"])
            dm = Decimal(m)
            if dm <= 0:
                exp = "EINVAL"
            else:
                k = (Decimal(a) / dm).quantize(Decimal(1), rounding=MODES[mode])
                exp = fmt_dec(k * dm)
            yield "round_multiple %s %s %s" % (a, m, mode), exp
        else:
            n_parts = rng.choice([0, 1, 2, 3, 3, 5, 7, 12, 40])
            kind = rng.random()
            if kind < 0.6:
                total = Decimal(rng.randint(-10 ** 8, 10 ** 8)).scaleb(-scale)
            else:
                total = Decimal(g.value()).quantize(Decimal(1).scaleb(-scale),
                                                    rounding=decimal.ROUND_DOWN)
            if rng.random() < 0.05:
                total += Decimal(1).scaleb(-9)   # not a multiple of 10^-scale
                if abs(total) >= LIMIT:
                    total = Decimal("0.000000001")
            ws = []
            for _ in range(n_parts):
                k = rng.random()
                if k < 0.3:
                    ws.append(str(rng.randint(0, 5)))
                elif k < 0.6:
                    ws.append(g.value(max_int=8, allow_neg=False))
                elif k < 0.98:
                    ws.append(g.value(max_int=rng.randint(1, 27), allow_neg=False))
                else:
                    ws.append(rng.choice(["-1", "0"]))
            ts = fmt_coef(coef(total))
            wl = ",".join(ws) if ws else "-"
            yield "allocate %s %d %s" % (ts, scale, wl), expected_allocate(ts, scale, ws)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("driver")
    ap.add_argument("--cases", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args()

    cases = list(make_cases(args.cases, args.seed))
    text = "".join(c + "\n" for c, _ in cases)
    proc = subprocess.run([args.driver], input=text, capture_output=True, text=True)
    if proc.returncode != 0:
        print("driver failed (%d): %s" % (proc.returncode, proc.stderr), file=sys.stderr)
        return 1
    got = proc.stdout.split("\n")
    mismatches = 0
    for i, (line, exp) in enumerate(cases):
        g = got[i] if i < len(got) else "<missing>"
        if g != exp:
            mismatches += 1
            if mismatches <= args.show:
                print("MISMATCH: %s\n  expected %s\n  got      %s" % (line, exp, g))
    print("%d cases, %d mismatches" % (len(cases), mismatches))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
