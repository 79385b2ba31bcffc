"""Start examples/storefront/storefront.py on 127.0.0.1, an ephemeral port,
for a test; stop it at the end. Every wait has a timeout."""

import contextlib
import http.client
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.environ.get("B2B_EXAMPLES_DIR", os.path.join(ROOT, "examples"))
SERVER = os.path.join(EXAMPLES, "storefront", "storefront.py")
BOOK = os.path.join(EXAMPLES, "data", "book")


@contextlib.contextmanager
def running(book, *args, log=None):
    """Yields the server's port; the server's stderr goes to `log` (a file)."""
    err = log if log is not None else subprocess.DEVNULL
    p = subprocess.Popen([sys.executable, SERVER, "--book", book, "--host", "127.0.0.1",
                          "--port", "0", "--timeout", "10"] + list(args),
                         stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
    try:
        ready, _, _ = select.select([p.stdout], [], [], 30)
        line = p.stdout.readline().decode() if ready else ""
        if "listening on http://127.0.0.1:" not in line:
            raise RuntimeError("the storefront did not start: %r (exit %r)" % (line, p.poll()))
        yield int(line.split("127.0.0.1:")[1].split("/")[0])
    finally:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)
        p.stdout.close()


def request(port, method, path, body=None, headers=None, conn=None):
    """(status, headers, body bytes) of one request (a new connection unless `conn`)."""
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.headers, r.read()
    finally:
        if conn is None:
            c.close()


def make_books(tmp):
    """Book A (the sample) and B (NUT-M10-934 listed at 8.00, not 7.60), and
    `tmp`/current, a symbolic link to A."""
    a, b = os.path.join(tmp, "book-a"), os.path.join(tmp, "book-b")
    shutil.copytree(BOOK, a)
    shutil.copytree(BOOK, b)
    products = os.path.join(b, "products.csv")
    with open(products, encoding="utf-8") as f:
        text = f.read()
    old = 'box of 200",fasteners/nuts/hex,box,,7.60,'
    assert text.count(old) == 1
    with open(products, "w", encoding="utf-8") as f:
        f.write(text.replace(old, 'box of 200",fasteners/nuts/hex,box,,8.00,'))
    link = os.path.join(tmp, "current")
    os.symlink(a, link)
    return a, b, link


def point(link, target):
    """Point the symbolic link at `target` atomically."""
    tmp = link + ".new"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, link)
