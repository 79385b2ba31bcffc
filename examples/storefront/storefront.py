#!/usr/bin/env python3
"""storefront: a small HTTP JSON backend over libb2bcore (standard library only).

    python3 examples/storefront/storefront.py --book examples/data/book --port 8080

Endpoints (examples/storefront/README.md has the bodies and an example session):

    POST /quote     a quote request (SPEC §4)   -> the quote document
    POST /price     a price request (below)     -> the price document
    POST /validate  an order (SPEC §4, §7)      -> the validation document
    GET  /health    the book's fingerprint, when it was loaded, its counts
    POST /reload    load the book again and publish it (also SIGHUP, --watch)

A response body is the JSON text the library wrote, byte for byte what the
`b2b` command writes for the same input; the status follows the command's
exit status: 200 for exit 0, 422 for exit 1 (an error document, or the
validation document of an invalid order), 400 for exit 2 (text that is not
JSON). The server's own errors are documents of the same shape,
{"errors": [{"code", "message", ...}]}: 404 unknown route, 405 wrong method,
411 no Content-Length, 413 body over --max-body, 500 reload failed.

The price request, as JSON: {"customer", "sku", "qty", "as_of",
"currency"?, "channel"?, "codes"?: [str]}, the options of `b2b price`
(`--as-of` is `as_of`, one `--code` per element of `codes`). Values are
strings, as the command line has them; `qty` may also be a JSON number,
passed on as written. A missing field is left unset, as a missing option is.

Reloading never drops a request: a request takes the book published when it
starts and keeps it to the end; a reload loads the new book aside and then
publishes it with one assignment. A book that fails to load is not
published: the old one keeps serving. When --book is a symbolic link, it is
resolved once per load, so pointing the link at a new directory and
reloading switches books atomically.
"""

import argparse
import datetime
import http.server
import json
import os
import re
import signal
import sys
import threading
import urllib.parse

import b2bcore

JSON_TYPE = "application/json; charset=utf-8"

# method allowed on each route
ROUTES = {"/quote": "POST", "/price": "POST", "/validate": "POST", "/reload": "POST",
          "/health": "GET"}

# the price request: field -> required (b2b price's options)
PRICE_FIELDS = {"customer": True, "sku": True, "qty": True, "as_of": True,
                "currency": False, "channel": False, "codes": False}

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def now_text():
    """The current UTC time as 2026-06-15T08:30:00Z."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def document(obj):
    """JSON text laid out as the library writes its documents."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def error_document(code, message, **more):
    item = {"code": code, "message": message}
    item.update(more)
    return document({"errors": [item]})


class Published:
    """One loaded book and what /health says of it (never changed)."""

    __slots__ = ("book", "loaded_at", "directory", "generation", "signature")

    def __init__(self, book, loaded_at, directory, generation, signature):
        self.book = book
        self.loaded_at = loaded_at
        self.directory = directory
        self.generation = generation
        self.signature = signature       # of the files, taken before loading them

    def health(self):
        return document({"status": "ok", "fingerprint": self.book.fingerprint,
                         "loaded_at": self.loaded_at, "book": self.directory,
                         "generation": self.generation, "counts": self.book.counts})


class BookHolder:
    """The published book. Readers take `current` once per request (one
    attribute read); a reload builds the new Published aside and swaps it in
    with one assignment, so a request in flight keeps the book it started
    with, and the old book is freed when its last request drops it."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()     # one reload at a time
        self.current = self._load(1)

    def _load(self, generation):
        signature = self.signature()
        directory = os.path.realpath(self.path)
        return Published(b2bcore.Book.load(directory), now_text(), directory, generation,
                         signature)

    def reload(self):
        """Load the book again and publish it; raises (b2bcore.BookError,
        b2bcore.Error, OSError) and keeps the old one when it cannot be loaded."""
        with self._lock:
            new = self._load(self.current.generation + 1)
            self.current = new
            return new

    def signature(self):
        """What changes when the book's files change (for --watch)."""
        directory = os.path.realpath(self.path)
        try:
            if os.path.isdir(directory):
                entries = []
                with os.scandir(directory) as it:
                    for e in it:
                        st = e.stat()
                        entries.append((e.name, st.st_mtime_ns, st.st_size))
                return directory, tuple(sorted(entries))
            st = os.stat(directory)
            return directory, st.st_mtime_ns, st.st_size
        except OSError:
            return None


def book_error_text(exc):
    """A load failure as `file:line:col: message` lines."""
    problems = getattr(exc, "problems", None)
    if problems:
        lines = []
        for file, line, column, severity, message in problems:
            where = file or "book"
            if line:
                where += ":%d" % line + (":%d" % column if column else "")
            lines.append("%s: %s: %s" % (where, severity, message))
        return "\n".join(lines)
    return str(exc)


class _Number(str):
    """A JSON number kept as the text it was written with."""


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def _json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, _Number):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _key_path(key):
    if NAME.match(key):
        return key
    if len(key) > 64:
        key = key[:64] + "..."
    return "$[%s]" % json.dumps(key)


def read_price_request(body):
    """The price request body -> (kwargs for Book.price_json, None), or
    (None, (status, text)) when the body is not JSON (400) or not of the
    request's shape (422, every problem, ordered by path)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, (400, error_document("UNREADABLE", "the body is not UTF-8 (byte %d)"
                                          % e.start))
    try:
        req = json.loads(text, parse_int=_Number, parse_float=_Number,
                         parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        return None, (400, error_document("UNREADABLE", e.msg, line=e.lineno, column=e.colno))
    except ValueError as e:
        return None, (400, error_document("UNREADABLE", str(e)))
    if not isinstance(req, dict):
        return None, (422, malformed([("$", "$: expected an object, got " + _json_type(req))]))
    problems, args = [], {}
    for key, v in req.items():
        if key not in PRICE_FIELDS:
            path = _key_path(key)
            problems.append((path, path + ": unknown field"))
        elif v is None and not PRICE_FIELDS[key]:
            pass                                        # an optional field given as null
        elif key == "codes":
            if not isinstance(v, list):
                problems.append(("codes", "codes: expected an array of strings, got "
                                 + _json_type(v)))
                continue
            for i, c in enumerate(v):
                if _json_type(c) != "string":
                    problems.append(("codes[%d]" % i, "codes[%d]: expected a string, got %s"
                                     % (i, _json_type(c))))
                elif "\0" in c:
                    problems.append(("codes[%d]" % i, "codes[%d]: contains a NUL character" % i))
            args["codes"] = [str(c) for c in v]
        elif key == "qty" and _json_type(v) in ("string", "number"):
            args[key] = str(v)
        elif _json_type(v) != "string":
            want = "a decimal (a string or a number)" if key == "qty" else "a string"
            problems.append((key, "%s: expected %s, got %s" % (key, want, _json_type(v))))
        else:
            args[key] = v
        if isinstance(args.get(key), str) and "\0" in args[key]:
            problems.append((key, "%s: contains a NUL character" % key))
    if problems:
        return None, (422, malformed(problems))
    return args, None


def _path_order(path):
    # natural order: array indexes as numbers
    return [int(p) if p.isdigit() else p for p in re.split(r"\[(\d+)\]", path)]


def malformed(problems):
    problems.sort(key=lambda p: _path_order(p[0]))
    return document({"errors": [{"code": "MALFORMED", "message": m, "path": p}
                                for p, m in problems]})


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"          # keep-alive: every response has a Content-Length
    server_version = "b2b-storefront/" + b2bcore.version()
    # headers and body go out in two writes: without TCP_NODELAY the second
    # waits for the client's delayed ACK (~40 ms a request on keep-alive)
    disable_nagle_algorithm = True

    def setup(self):
        self.timeout = self.server.config.timeout    # socket timeout: a silent client
        super().setup()

    # --- responses ---

    def send_json(self, status, text, published=None, allow=None):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(body)))
        if published is not None:
            self.send_header("B2B-Book-Fingerprint", published.book.fingerprint)
        if allow is not None:
            self.send_header("Allow", allow)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, fmt, *args):
        if self.server.config.access_log:
            super().log_message(fmt, *args)

    def log_error(self, fmt, *args):
        super().log_message(fmt, *args)

    # --- the request ---

    def handle_expect_100(self):
        # "Expect: 100-continue" with a body too large: 413 at once, not 100
        length = self.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) > self.server.config.max_body:
            self.read_body()
            return False
        return super().handle_expect_100()

    def read_body(self):
        """The body (bytes), or None after an error response was sent."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self.send_json(411, error_document("LENGTH_REQUIRED",
                                               "send the body with a Content-Length"))
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            self.close_connection = True
            self.send_json(400, error_document("UNREADABLE", "bad Content-Length %r" % length))
            return None
        n = int(length)
        if n > self.server.config.max_body:
            self.close_connection = True                 # the body is not read
            self.send_json(413, error_document(
                "TOO_LARGE", "the body has %d bytes, more than the %d accepted"
                % (n, self.server.config.max_body)))
            return None
        body = self.rfile.read(n)
        if len(body) != n:
            self.close_connection = True                 # the client went away
            return None
        return body

    def discard_body(self):
        """Read a body no route wants, or close the connection after the answer."""
        length = self.headers.get("Content-Length", "0").strip()
        if "Transfer-Encoding" in self.headers or not length.isdigit() or \
                int(length) > self.server.config.max_body:
            self.close_connection = True
        elif int(length) > 0:
            self.rfile.read(int(length))

    def dispatch(self):
        path = urllib.parse.urlsplit(self.path).path
        method = ROUTES.get(path)
        if method is None:
            self.discard_body()
            self.send_json(404, error_document("NOT_FOUND", "no route %s" % path))
            return
        if self.command != method:
            self.discard_body()
            self.send_json(405, error_document(
                "METHOD_NOT_ALLOWED", "%s takes %s, not %s" % (path, method, self.command)),
                allow=method)
            return
        holder = self.server.holder
        if path == "/health":
            published = holder.current
            self.send_json(200, published.health(), published)
            return
        body = self.read_body()
        if body is None:
            return
        if path == "/reload":
            try:
                published = holder.reload()
            except (b2bcore.Error, OSError) as e:
                self.log_error("reload failed, the book %s stays: %s",
                               holder.current.book.fingerprint[:12], book_error_text(e))
                self.send_json(500, error_document("BOOK_ERROR", book_error_text(e)),
                               holder.current)
                return
            self.send_json(200, published.health(), published)
            return
        published = holder.current        # this request's book, to its end
        try:
            status, text = getattr(self, "do_" + path[1:])(published.book, body)
        except b2bcore.RequestError as e:
            status, text = 422, e.text
        except b2bcore.Error as e:
            # the b2b command's exit 2: the text cannot be read at all
            more = {}
            if getattr(e, "line", 0):
                more = {"line": e.line, "column": e.column}
            status, text = 400, error_document("UNREADABLE", str(e), **more)
        self.send_json(status, text, published)

    def do_quote(self, book, body):
        return 200, book.quote_json(body)

    def do_validate(self, book, body):
        valid, text = book.validate_json(body)
        return (200 if valid else 422), text

    def do_price(self, book, body):
        args, failed = read_price_request(body)
        if failed is not None:
            return failed
        return 200, book.price_json(args.get("customer"), args.get("sku"), args.get("qty"),
                                    args.get("as_of"), args.get("currency"),
                                    args.get("channel"), args.get("codes", ()))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = dispatch


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, holder, config):
        self.holder = holder
        self.config = config
        super().__init__(address, Handler)


def watch(holder, seconds, stop):
    """Reload when the book's files differ from those of the published book
    (checked every `seconds`); a book that failed to load is tried again
    only when its files change again."""
    failed = None
    while not stop.wait(seconds):
        sig = holder.signature()
        if sig is None or sig == holder.current.signature or sig == failed:
            continue
        try:
            p = holder.reload()
            print("storefront: reloaded, book %s" % p.book.fingerprint, file=sys.stderr,
                  flush=True)
        except (b2bcore.Error, OSError) as e:
            failed = sig
            print("storefront: reload failed, the old book stays:\n" + book_error_text(e),
                  file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="HTTP JSON backend over libb2bcore")
    ap.add_argument("--book", required=True, help="book directory (or a link to one)")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    ap.add_argument("--port", type=int, default=8080, help="port (8080; 0: any free port)")
    ap.add_argument("--max-body", type=int, default=1 << 20, metavar="BYTES",
                    help="largest request body accepted, else 413 (1048576)")
    ap.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                    help="close a connection silent for this long (30)")
    ap.add_argument("--watch", type=float, default=0.0, metavar="SECONDS",
                    help="reload when the book's files change, checked this often (0: off)")
    ap.add_argument("--access-log", action="store_true", help="log every request on stderr")
    config = ap.parse_args(argv)
    if config.max_body < 0 or config.timeout <= 0 or config.watch < 0:
        ap.error("--max-body, --timeout and --watch take positive values")

    try:
        holder = BookHolder(config.book)
    except (b2bcore.Error, OSError) as e:
        print("storefront: %s: cannot load the book:\n%s" % (config.book, book_error_text(e)),
              file=sys.stderr)
        return 2
    server = Server((config.host, config.port), holder, config)
    stop = threading.Event()

    def on_signal(signum, frame):
        if signum == signal.SIGHUP:
            threading.Thread(target=reload_quietly, daemon=True).start()
        else:
            stop.set()

    def reload_quietly():
        try:
            holder.reload()
        except (b2bcore.Error, OSError) as e:
            print("storefront: reload failed, the old book stays:\n" + book_error_text(e),
                  file=sys.stderr, flush=True)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               daemon=True)
    serving.start()
    if config.watch > 0:
        threading.Thread(target=watch, args=(holder, config.watch, stop), daemon=True).start()
    host, port = server.server_address[:2]
    print("storefront: listening on http://%s:%d/ (book %s)"
          % (host, port, holder.current.book.fingerprint), flush=True)
    while not stop.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
