#!/usr/bin/env python3
"""The b2b command's usage: help, version, usage errors, progress.

usage: usage.py B2B   (run from the project's root: it reads examples/data)

- asked-for help (b2b help CMD, b2b CMD --help, b2b CMD -h) is the same
  text for every command, on stdout, exit 0, nothing on stderr;
- every usage error is exactly one line on stderr (the expected text is in
  ERRORS below), nothing on stdout, exit 2;
- b2b --version prints the version of meson.build;
- on a terminal (a pty), a quick load shows no progress and stdout is the
  same as through a pipe.
Standard library only.
"""
import os
import re
import subprocess
import sys

BOOK = "examples/data/book"
QUOTE = "examples/data/quote_request.json"
ORDER = "examples/data/orders/order_valid.json"

# (arguments, the one line on stderr); exit 2, empty stdout
ERRORS = [
    ([], None),  # the usage text on stderr
    (["frobnicate"], "b2b: unknown command 'frobnicate' (see 'b2b --help')"),
    (["--frob"], "b2b: unknown option '--frob' (see 'b2b --help')"),
    (["--version", "x"], "b2b --version: unexpected argument 'x' (see 'b2b --help')"),
    (["--help", "x"], "b2b --help: unexpected argument 'x' (see 'b2b --help')"),
    (["help", "frob"], "b2b help: unknown command 'frob' (see 'b2b --help')"),
    (["help", "book", "x"], "b2b help: unexpected argument 'x' (see 'b2b --help')"),
    (["version", "-x"], "b2b version: unexpected argument '-x' (see 'b2b --help')"),
    (["book"], "b2b book: missing --book DIR (see 'b2b book --help')"),
    (["book", "--book"], "b2b book: option --book needs a value (see 'b2b book --help')"),
    (["book", "--boo", BOOK], "b2b book: unknown option '--boo' (see 'b2b book --help')"),
    (["book", "--book", BOOK, "extra"],
     "b2b book: unexpected argument 'extra' (see 'b2b book --help')"),
    (["lint"], "b2b lint: missing --book DIR (see 'b2b lint --help')"),
    (["lint", "--book", BOOK, "-v"], "b2b lint: unknown option '-v' (see 'b2b lint --help')"),
    (["lint", "--book"], "b2b lint: option --book needs a value (see 'b2b lint --help')"),
    (["lint", "--book", BOOK, "--as-of"],
     "b2b lint: option --as-of needs a value (see 'b2b lint --help')"),
    (["lint", "--book", BOOK, "--as-of", "2026-02-30"],
     "b2b lint: --as-of: expected a date like 2026-06-15 or a date-time like "
     "2026-06-15T10:00:00Z, got \"2026-02-30\" (see 'b2b lint --help')"),
    (["price", "--customer", "C-KRONE"], "b2b price: missing --book DIR (see 'b2b price --help')"),
    (["price", "--book", BOOK, "--qty"],
     "b2b price: option --qty needs a value (see 'b2b price --help')"),
    (["price", "--book", BOOK, "--quantity", "3"],
     "b2b price: unknown option '--quantity' (see 'b2b price --help')"),
    (["price", "--book", BOOK, "--qty", "1", "--qty=2"],
     "b2b price: --qty given twice (see 'b2b price --help')"),
    (["price", "--book", BOOK, "C-KRONE"],
     "b2b price: unexpected argument 'C-KRONE' (see 'b2b price --help')"),
    (["quote", QUOTE], "b2b quote: missing --book DIR (see 'b2b quote --help')"),
    (["quote", "--book", BOOK], "b2b quote: missing REQUEST.json (see 'b2b quote --help')"),
    (["quote", "--book", BOOK, "--pretty", QUOTE],
     "b2b quote: unknown option '--pretty' (see 'b2b quote --help')"),
    (["quote", "--book", BOOK, QUOTE, QUOTE],
     "b2b quote: unexpected argument '%s': one REQUEST.json at a time "
     "(see 'b2b quote --help')" % QUOTE),
    (["quote", "--book", BOOK, "--", QUOTE, "-x"],
     "b2b quote: unexpected argument '-x': one REQUEST.json at a time "
     "(see 'b2b quote --help')"),
    (["quote", "--transition"],
     "b2b quote: option --transition needs a value (see 'b2b quote --help')"),
    (["quote", "--transition", "sbumit", "q.json"],
     "b2b quote: unknown event 'sbumit': not one of submit approve reject send accept "
     "decline order expire cancel (see 'b2b quote --help')"),
    (["quote", "--transition", "submit"],
     "b2b quote: missing QUOTE.json (see 'b2b quote --help')"),
    (["quote", "--reprice", "q.json"],
     "b2b quote: --reprice needs --book DIR (see 'b2b quote --help')"),
    (["quote", "--transition", "submit", "--report", "q.json"],
     "b2b quote: --report needs --reprice (see 'b2b quote --help')"),
    (["quote", "--book", BOOK, "--transition", "submit", "--reprice", "q.json"],
     "b2b quote: --transition and --reprice exclude each other (see 'b2b quote --help')"),
    (["quote", "--transition", "submit", "--force", "q.json"],
     "b2b quote: unknown option '--force' (see 'b2b quote --help')"),
    (["quote", "--transition", "submit", "a.json", "b.json"],
     "b2b quote: unexpected argument 'b.json': one QUOTE.json at a time "
     "(see 'b2b quote --help')"),
    (["quote", "--transition", "submit", "--as-of"],
     "b2b quote: option --as-of needs a value (see 'b2b quote --help')"),
    (["validate", ORDER], "b2b validate: missing --book DIR (see 'b2b validate --help')"),
    (["validate", "--book", BOOK],
     "b2b validate: missing ORDER.json (see 'b2b validate --help')"),
    (["validate", "--book", BOOK, "--strict", ORDER],
     "b2b validate: unknown option '--strict' (see 'b2b validate --help')"),
    (["validate", "--book", BOOK, ORDER, ORDER],
     "b2b validate: unexpected argument '%s': one ORDER.json at a time "
     "(see 'b2b validate --help')" % ORDER),
    (["validate", ORDER, "--book"],
     "b2b validate: option --book needs a value (see 'b2b validate --help')"),
]

COMMANDS = ["book", "price", "quote", "validate", "lint", "bench"]


def run(b2b, args, stdin=None):
    return subprocess.run([b2b, *args], stdin=stdin or subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def on_pty(b2b, args):
    """stdout through a pipe and stderr on a terminal: (exit, stdout, stderr)."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([b2b, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:   # EIO: the other side is closed
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    return p.returncode, out, err


def main():
    b2b = os.path.abspath(sys.argv[1])
    problems = []

    def check(cond, what):
        if not cond:
            problems.append(what)

    top = run(b2b, ["--help"])
    check(top.returncode == 0 and top.stdout.startswith(b"usage: b2b ") and not top.stderr,
          "b2b --help: exit %d" % top.returncode)
    for args in (["-h"], ["help"], ["help", "help"], ["help", "--help"]):
        p = run(b2b, args)
        check((p.returncode, p.stdout, p.stderr) == (0, top.stdout, b""),
              "b2b %s differs from b2b --help" % " ".join(args))
    for c in COMMANDS:
        ref = run(b2b, ["help", c])
        check(ref.returncode == 0 and ref.stdout.startswith(b"usage: b2b " + c.encode())
              and not ref.stderr, "b2b help %s: exit %d, %r" % (c, ref.returncode, ref.stderr))
        forms = [[c, "--help"], [c, "-h"]]
        if c != "bench":
            forms.append([c, "--book", BOOK, "--help"])
        for args in forms:
            p = run(b2b, args)
            check((p.returncode, p.stdout, p.stderr) == (0, ref.stdout, b""),
                  "b2b %s differs from b2b help %s" % (" ".join(args), c))
    for args in (["quote", "--transition", "submit", "--help"], ["bench", "price", "--help"]):
        p = run(b2b, args)
        check(p.returncode == 0 and p.stdout == run(b2b, ["help", args[0]]).stdout,
              "b2b %s: not the command's help" % " ".join(args))

    with open("meson.build", encoding="utf-8") as f:
        version = re.search(r"version: '([0-9.]+)'", f.read()).group(1)
    for args in (["--version"], ["version"]):
        p = run(b2b, args)
        check((p.returncode, p.stdout, p.stderr) == (0, b"b2b %s\n" % version.encode(), b""),
              "b2b %s: %r" % (args[0], p.stdout))

    usage_text = top.stdout.decode()
    for args, line in ERRORS:
        p = run(b2b, args)
        err = p.stderr.decode("utf-8", "replace")
        want = usage_text if line is None else line + "\n"
        check(p.returncode == 2, "b2b %s: exit %d, not 2" % (" ".join(args), p.returncode))
        check(p.stdout == b"", "b2b %s: stdout %r" % (" ".join(args), p.stdout[:80]))
        check(err == want, "b2b %s: stderr\n  %r\nexpected\n  %r" % (" ".join(args), err, want))

    # '--' ends the options: '-' after it is still standard input
    with open(ORDER, "rb") as f:
        p = run(b2b, ["validate", "--book", BOOK, "--", "-"], stdin=f)
    check(p.returncode == 0 and p.stdout.startswith(b"{") and not p.stderr,
          "b2b validate --book DIR -- -: exit %d %r" % (p.returncode, p.stderr))

    # a terminal on stderr: a quick load shows nothing; stdout unchanged
    for args in (["quote", "--book", BOOK, QUOTE], ["lint", "--book", BOOK]):
        piped = run(b2b, args)
        rc, out, err = on_pty(b2b, args)
        check((rc, out) == (piped.returncode, piped.stdout),
              "b2b %s: stdout differs with stderr on a terminal" % " ".join(args))
        check(err == b"", "b2b %s: stderr on a terminal: %r" % (" ".join(args), err[:200]))

    for p in problems:
        print(p)
    print("%d usage errors, %d commands' help checked; %d problems"
          % (len(ERRORS), len(COMMANDS), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
