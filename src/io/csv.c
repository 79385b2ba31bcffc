/*
 * libb2bcore — a streaming RFC 4180 CSV reader (include/b2b/csv.h).
 *
 * Input arrives through a fixed 64 KiB buffer refilled by the read
 * callback; the fields of the current record are unquoted into one
 * growable buffer that is reused for every record, so memory follows the
 * longest record, not the file. Runs of ordinary bytes are skipped with a
 * table lookup per byte (a NUL sentinel after the buffer's last byte ends
 * every scan, so the inner loop has one test) and copied with memcpy; only
 * the characters that matter (separators, quotes, line breaks, NUL and
 * non-ASCII bytes, which are validated as UTF-8) leave the fast path.
 * Every state survives a refill at any byte, so a reader that delivers one
 * byte at a time yields the same records and errors as one large read.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/csv.h"
#include "b2b/error.h"
#include "alloc.h"
#include "csv_int.h"
#include "ctx_int.h"

#define CSV_BUFSIZE (64u * 1024u)
/* Bytes after the buffer's sentinel and after a record's last byte that
 * may be read or written, so that a short field is copied with one fixed
 * 16-byte move instead of a memcpy call of variable length. */
#define CSV_SLACK 16u
#define CSV_BUFALLOC (CSV_BUFSIZE + 1u + CSV_SLACK)

/* Byte classes: U ends a run inside an unquoted field, Q inside a quoted
 * one. NUL, LF, CR, '"' and every byte >= 0x80 are in both; ',' only in U. */
#define U 1
#define Q 2
#define B (U | Q)
#define Z8 0, 0, 0, 0, 0, 0, 0, 0
#define B8 B, B, B, B, B, B, B, B
static const unsigned char stop_class[256] = {
	B, 0, 0, 0, 0, 0, 0, 0, 0, 0, B, 0, 0, B, 0, 0,   /* NUL, LF, CR */
	Z8, Z8,
	0, 0, B, 0, 0, 0, 0, 0, 0, 0, 0, 0, U, 0, 0, 0,   /* '"', ',' */
	Z8, Z8, Z8, Z8, Z8, Z8, Z8, Z8, Z8, Z8,
	B8, B8, B8, B8, B8, B8, B8, B8, B8, B8, B8, B8, B8, B8, B8, B8,
};
#undef Z8
#undef B8

/*
 * Skip ordinary bytes: return the first byte at or after p whose class has
 * a bit of `mask`. The NUL sentinel at buf[len] ends every scan. (A 16-byte
 * SSE2 scan was measured too: faster on long text, but slower on the short
 * cells that book files are made of, so the table it is.)
 */
static inline const unsigned char *
scan(const unsigned char *p, unsigned mask)
{
	while (!(stop_class[*p] & mask))
		p++;
	return p;
}

/* Where the parser is inside a record. */
enum {
	ST_RECORD,      /* before the first character of a record */
	ST_FIELD,       /* after a comma: a field starts at the next byte */
	ST_QQ,          /* after a '"' inside a quoted field: end or "" */
	ST_CR,          /* after a CR outside quotes: an LF must follow */
	ST_UNQ,         /* inside an unquoted field (bytes since `run` pending) */
	ST_QUO,         /* inside a quoted field (bytes since `run` pending) */
	ST_QCR          /* after a CR inside a quoted field (pending too) */
};

typedef struct csv_field {
	size_t off, len;        /* in rec */
	long line, col;
} csv_field;

struct b2b_csv {
	b2b_allocator alloc;
	b2b_csv_read_fn fn;
	void *ud;
	FILE *fp;               /* b2b_csv_open only */
	int io_errno;
	char *name;
	size_t name_len;

	unsigned char *buf;     /* CSV_BUFSIZE + 1 bytes; buf[len] == 0 */
	size_t len, pos;
	int64_t base;           /* offset in the input of buf[0] */
	int eof, started, done;

	char *rec;              /* fields of the current record, NUL-terminated */
	size_t rec_len, rec_cap;
	csv_field *fields;
	size_t nfields, fields_cap;
	size_t expect;          /* the header's field count; 0 before it */

	long line;              /* current line, 1-based */
	int64_t line_start;     /* input offset of the line's first byte */
	int64_t line_cont;      /* UTF-8 continuation bytes seen on the line */

	int u8need;             /* continuation bytes still expected */
	unsigned char u8lo, u8hi, u8lead;
	long u8line, u8col;     /* where the sequence started */

	int skip;               /* SK_*: the rest of a bad record is skipped first */
	size_t skip_nf;         /* fields of the bad record so far */

	int err;                /* the error being reported; sticky unless B2B_EPARSE */
	long errline, errcol;
	char errmsg[200];
};

/* Skipping the rest of a record that had an error (see skip_record()). */
enum {
	SK_NONE,        /* nothing to skip */
	SK_FIELD,       /* at the start of a field */
	SK_UNQ,         /* inside an unquoted field (or text after a quote) */
	SK_QUO,         /* inside a quoted field */
	SK_QQ           /* after a '"' inside a quoted field */
};

/*===========================================================================
 * MARK: - Errors
 *===========================================================================*/

static int fail(b2b_csv *r, int code, long line, long col, const char *fmt, ...)
	B2B__PRINTF(5, 6);

static int
fail(b2b_csv *r, int code, long line, long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	b2b__text_vformat(r->errmsg, sizeof(r->errmsg), fmt, ap);
	va_end(ap);
	r->err = code;
	r->errline = line;
	r->errcol = col;
	return code;
}

/* Copy the error to ctx and return it. B2B_EIO and B2B_ENOMEM stay (every
 * later call reports them again); B2B_EPARSE is reported once. */
static int
report(b2b_csv *r, b2b_ctx *ctx)
{
	int code = r->err;

	b2b__ctx_seterr(ctx, code, "%s", r->errmsg);
	b2b__ctx_setloc(ctx, r->name, r->errline, r->errcol, -1);
	r->nfields = 0;
	r->rec_len = 0;
	if (code == B2B_EPARSE)
		r->err = 0;
	return code;
}

/* A B2B_EPARSE found at p inside a record (detail already set by fail()):
 * the next call first skips the rest of the record, from p in state
 * `sk`, then reads the record after it. */
static int
bad_record(b2b_csv *r, b2b_ctx *ctx, const unsigned char *p, int sk)
{
	r->pos = (size_t)(p - r->buf);
	r->skip = sk;
	r->skip_nf = r->nfields;
	return report(r, ctx);
}

/* Fixed English text for the errno values that fopen/fread give, rather
 * than strerror(), which depends on the locale and may use a static
 * buffer. */
static const char *
errno_text(int e)
{
	switch (e) {
	case ENOENT: return "no such file or directory";
	case EACCES: return "permission denied";
	case EPERM: return "operation not permitted";
	case EISDIR: return "is a directory";
	case ENOTDIR: return "a component of the path is not a directory";
	case ENAMETOOLONG: return "file name too long";
	case ELOOP: return "too many symbolic links";
	case EMFILE: return "too many open files";
	case ENFILE: return "too many open files in the system";
	case EIO: return "input/output error";
	case ENOMEM: return "out of memory";
	case EINVAL: return "invalid argument";
	default: return NULL;
	}
}

static int
io_fail(b2b_csv *r, long n)
{
	const char *t;

	if (r->fp == NULL)
		return fail(r, B2B_EIO, r->line, 0, "read error (the read callback returned %ld)", n);
	t = errno_text(r->io_errno);
	if (t != NULL)
		return fail(r, B2B_EIO, r->line, 0, "read error: %s", t);
	return fail(r, B2B_EIO, r->line, 0, "read error (errno %d)", r->io_errno);
}

static int
nomem(b2b_csv *r)
{
	return fail(r, B2B_ENOMEM, r->line, 0, "out of memory reading a record");
}

/*===========================================================================
 * MARK: - Input
 *===========================================================================*/

static long
file_read(void *ud, char *buf, size_t size)
{
	b2b_csv *r = ud;
	size_t n = fread(buf, 1, size, r->fp);

	if (n == 0 && ferror(r->fp)) {
		r->io_errno = errno;
		return -1;
	}
	return (long)n;
}

/* Read more input into buf[len..]; 0 or B2B_EIO. Sets eof at the end. */
static int
read_more(b2b_csv *r)
{
	size_t room = CSV_BUFSIZE - r->len;
	long n;

	if (r->eof)
		return 0;
	n = r->fn(r->ud, (char *)r->buf + r->len, room);
	if (n < 0 || (unsigned long)n > room) {
		r->eof = 1;
		return io_fail(r, n);
	}
	if (n == 0)
		r->eof = 1;
	r->len += (size_t)n;
	r->buf[r->len] = 0;
	return 0;
}

/* Replace the consumed buffer with the next piece of input. */
static int
refill(b2b_csv *r)
{
	r->base += (int64_t)r->len;
	r->len = 0;
	r->pos = 0;
	r->buf[0] = 0;
	return read_more(r);
}

/* First read: at least 3 bytes (or all of a shorter input) so that a BOM
 * split over several reads is still recognised and skipped. */
static int
start(b2b_csv *r)
{
	r->started = 1;
	while (r->len < 3 && !r->eof)
		if (read_more(r) < 0)
			return r->err;
	if (r->len >= 3 && r->buf[0] == 0xEF && r->buf[1] == 0xBB && r->buf[2] == 0xBF) {
		r->pos = 3;
		r->line_start = 3;
	}
	return 0;
}

/*===========================================================================
 * MARK: - Record assembly
 *===========================================================================*/

static long
col_at(const b2b_csv *r, const unsigned char *p)
{
	int64_t off = r->base + (int64_t)(p - r->buf);

	return (long)(off - r->line_start - r->line_cont + 1);
}

/* p points at an LF: the next line starts after it. */
static void
newline(b2b_csv *r, const unsigned char *p)
{
	r->line++;
	r->line_start = r->base + (int64_t)(p - r->buf) + 1;
	r->line_cont = 0;
}

static int
rec_reserve(b2b_csv *r, size_t extra)
{
	if (r->rec_cap - r->rec_len >= extra)
		return 0;
	if (extra > SIZE_MAX - r->rec_len)
		return B2B_ENOMEM;
	return b2b__grow(&r->alloc, (void **)&r->rec, &r->rec_cap, r->rec_len + extra, 1);
}

static int
rec_put(b2b_csv *r, const unsigned char *s, size_t n)
{
	if (rec_reserve(r, n) < 0)
		return B2B_ENOMEM;
	memcpy(r->rec + r->rec_len, s, n);
	r->rec_len += n;
	return 0;
}

static inline int
field_begin(b2b_csv *r, const unsigned char *p)
{
	csv_field *f;

	if (r->nfields == r->fields_cap &&
	    b2b__grow(&r->alloc, (void **)&r->fields, &r->fields_cap, r->nfields + 1,
	              sizeof(csv_field)) < 0)
		return B2B_ENOMEM;
	f = &r->fields[r->nfields++];
	f->off = r->rec_len;
	f->line = r->line;
	f->col = col_at(r, p);
	return 0;
}

/* Append the last `n` pending bytes at s (inside buf), then end the
 * field with a NUL. */
static inline int
field_end(b2b_csv *r, const unsigned char *s, size_t n)
{
	csv_field *f = &r->fields[r->nfields - 1];
	char *d;

	if (r->rec_cap - r->rec_len < n + 1 + CSV_SLACK &&
	    rec_reserve(r, n + 1 + CSV_SLACK) < 0)
		return B2B_ENOMEM;
	d = r->rec + r->rec_len;
	if (n <= CSV_SLACK)
		memcpy(d, s, CSV_SLACK);     /* both buffers have the slack */
	else
		memcpy(d, s, n);
	d[n] = '\0';
	r->rec_len += n + 1;
	f->len = r->rec_len - 1 - f->off;
	return 0;
}

/*===========================================================================
 * MARK: - UTF-8
 *===========================================================================*/

/* A byte >= 0x80 where a character starts (Unicode 15, table 3-7). */
static int
u8_lead(b2b_csv *r, unsigned c, long col)
{
	r->u8lead = (unsigned char)c;
	r->u8line = r->line;
	r->u8col = col;
	r->u8lo = 0x80;
	r->u8hi = 0xBF;
	if (c < 0xC0)
		return fail(r, B2B_EPARSE, r->line, col,
		            "invalid UTF-8: unexpected continuation byte 0x%02X", c);
	if (c < 0xC2)
		return fail(r, B2B_EPARSE, r->line, col, "invalid UTF-8: overlong encoding");
	if (c < 0xE0) {
		r->u8need = 1;
	} else if (c < 0xF0) {
		r->u8need = 2;
		if (c == 0xE0)
			r->u8lo = 0xA0;          /* below: overlong */
		else if (c == 0xED)
			r->u8hi = 0x9F;          /* above: surrogates */
	} else if (c < 0xF5) {
		r->u8need = 3;
		if (c == 0xF0)
			r->u8lo = 0x90;          /* below: overlong */
		else if (c == 0xF4)
			r->u8hi = 0x8F;          /* above: past U+10FFFF */
	} else if (c < 0xF8) {
		return fail(r, B2B_EPARSE, r->line, col, "invalid UTF-8: code point past U+10FFFF");
	} else {
		return fail(r, B2B_EPARSE, r->line, col,
		            "invalid UTF-8: byte 0x%02X never appears in UTF-8", c);
	}
	return 0;
}

/* The next byte of a sequence started by u8_lead(). */
static int
u8_cont(b2b_csv *r, unsigned c)
{
	if (c < 0x80 || c > 0xBF)
		return fail(r, B2B_EPARSE, r->u8line, r->u8col,
		            "invalid UTF-8: truncated sequence (lead byte 0x%02X)", r->u8lead);
	if (c < r->u8lo)
		return fail(r, B2B_EPARSE, r->u8line, r->u8col, "invalid UTF-8: overlong encoding");
	if (c > r->u8hi) {
		if (r->u8lead == 0xED)
			return fail(r, B2B_EPARSE, r->u8line, r->u8col,
			            "invalid UTF-8: surrogate code point (U+D800 to U+DFFF)");
		return fail(r, B2B_EPARSE, r->u8line, r->u8col,
		            "invalid UTF-8: code point past U+10FFFF");
	}
	r->u8lo = 0x80;
	r->u8hi = 0xBF;
	r->u8need--;
	r->line_cont++;
	return 0;
}

/* The continuation bytes still expected, from *pp up to end. On an error
 * *pp is left at the offending byte. */
static inline int
u8_rest(b2b_csv *r, const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;

	while (r->u8need > 0 && p < end) {
		if (u8_cont(r, *p) < 0) {
			*pp = p;
			return r->err;
		}
		p++;
	}
	*pp = p;
	return 0;
}

/* A NUL or a byte >= 0x80 at *pp inside a field: step over a well-formed
 * character (or as much of it as the buffer holds), or fail with *pp at
 * the offending byte. The common 2- and 3-byte sequences that lie whole
 * in the buffer are taken in one step (p[1] and p[2] are at most the
 * sentinel and the slack). */
static inline int
u8_char(b2b_csv *r, const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	unsigned c = *p;

	if (c >= 0xC2 && c <= 0xDF && (p[1] & 0xC0) == 0x80) {
		*pp = p + 2;
		r->line_cont++;
		return 0;
	}
	if (c >= 0xE1 && c <= 0xEF && c != 0xED && (p[1] & 0xC0) == 0x80 &&
	    (p[2] & 0xC0) == 0x80) {
		*pp = p + 3;
		r->line_cont += 2;
		return 0;
	}
	if (c == 0)
		return fail(r, B2B_EPARSE, r->line, col_at(r, p), "NUL byte");
	if (u8_lead(r, c, col_at(r, p)) < 0)
		return r->err;
	*pp = p + 1;
	return u8_rest(r, pp, end);
}

/*===========================================================================
 * MARK: - Public API
 *===========================================================================*/

static int
csv_create(b2b_csv **out, const b2b_allocator *a, b2b_csv_read_fn fn, void *ud,
           const char *name)
{
	b2b_allocator al;
	b2b_csv *r;
	size_t nlen = name != NULL ? strlen(name) : 0;

	b2b__alloc_init(&al, a);
	r = b2b__malloc(&al, sizeof(*r));
	if (r == NULL)
		return B2B_ENOMEM;
	memset(r, 0, sizeof(*r));
	r->alloc = al;
	r->fn = fn;
	r->ud = ud;
	r->line = 1;
	r->name_len = nlen;
	r->name = b2b__strndup(&al, name != NULL ? name : "", nlen);
	r->buf = b2b__malloc(&al, CSV_BUFALLOC);
	if (r->name == NULL || r->buf == NULL) {
		b2b_csv_free(r);
		return B2B_ENOMEM;
	}
	memset(r->buf, 0, CSV_BUFALLOC);
	*out = r;
	return 0;
}

int
b2b_csv_new(b2b_csv **out, b2b_ctx *ctx, const b2b_allocator *a, b2b_csv_read_fn fn,
            void *ud, const char *name)
{
	int rc;

	if (out == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_csv_new: out is NULL");
	*out = NULL;
	if (fn == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_csv_new: fn is NULL");
	if ((rc = csv_create(out, a, fn, ud, name)) < 0)
		return b2b__ctx_seterr(ctx, rc, "out of memory");
	return 0;
}

int
b2b_csv_open(b2b_csv **out, b2b_ctx *ctx, const b2b_allocator *a, const char *path,
             const char *name)
{
	const char *t;
	b2b_csv *r;
	FILE *fp;
	int rc;

	if (out == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_csv_open: out is NULL");
	*out = NULL;
	if (path == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_csv_open: path is NULL");
	if (name == NULL)
		name = path;
	if ((rc = csv_create(&r, a, file_read, NULL, name)) < 0)
		return b2b__ctx_seterr(ctx, rc, "out of memory opening %s", path);
	r->ud = r;
	errno = 0;
	fp = fopen(path, "rb");
	if (fp == NULL) {
		int e = errno;

		b2b_csv_free(r);
		t = errno_text(e);
		if (t != NULL)
			b2b__ctx_seterr(ctx, B2B_EIO, "cannot open %s: %s", path, t);
		else
			b2b__ctx_seterr(ctx, B2B_EIO, "cannot open %s (errno %d)", path, e);
		b2b__ctx_setloc(ctx, name, 0, 0, -1);
		return B2B_EIO;
	}
	/* The reader has its own 64 KiB buffer: skip stdio's copy. */
	setvbuf(fp, NULL, _IONBF, 0);
	r->fp = fp;
	/* Read the first bytes now, so that an unreadable file (a directory)
	 * fails here rather than at the first record. */
	if (start(r) < 0) {
		rc = report(r, ctx);
		b2b_csv_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void
b2b_csv_free(b2b_csv *r)
{
	b2b_allocator a;

	if (r == NULL)
		return;
	a = r->alloc;
	if (r->fp != NULL)
		fclose(r->fp);
	b2b__free(&a, r->name, r->name_len + 1);
	b2b__free(&a, r->buf, CSV_BUFALLOC);
	b2b__free(&a, r->rec, r->rec_cap);
	b2b__free(&a, r->fields, r->fields_cap * sizeof(csv_field));
	b2b__free(&a, r, sizeof(*r));
}

void
b2b__csv_swap_text(b2b_csv *r, char **text, size_t *cap)
{
	char *t = r->rec;
	size_t c = r->rec_cap;

	r->rec = *text;
	r->rec_cap = *cap;
	r->rec_len = 0;
	*text = t;
	*cap = c;
}

void
b2b__csv_text_free(const b2b_csv *r, char *text, size_t cap)
{
	b2b__free(&r->alloc, text, cap);
}

/* Printable text for the byte c in a message. */
static const char *
show(char tmp[8], unsigned c)
{
	if (c >= 0x20 && c < 0x7F)
		snprintf(tmp, 8, "'%c'", (char)c);
	else
		snprintf(tmp, 8, "0x%02X", c);
	return tmp;
}

/* The record just ended: check its width against the header. */
static int
record_done(b2b_csv *r, long rline, long rcol)
{
	if (r->expect == 0) {
		r->expect = r->nfields;
	} else if (r->nfields != r->expect) {
		return fail(r, B2B_EPARSE, rline, rcol,
		            "expected %zu field%s (as the header), found %zu",
		            r->expect, r->expect == 1 ? "" : "s", r->nfields);
	}
	return 1;
}

/*
 * Skip the rest of a record that had an error: from r->pos in state
 * r->skip, through the line break that ends the record outside quotes, or
 * to the end of input. Quoting is followed as RFC 4180 has it, so a
 * quoted field of the bad record is skipped whole, line breaks included;
 * nothing else is checked. When the bad record was the first, its width
 * (fields so far plus the separators skipped) is the header's. Returns 0
 * or B2B_EIO.
 */
static int
skip_record(b2b_csv *r)
{
	const unsigned char *p = r->buf + r->pos, *end = r->buf + r->len;
	size_t nf = r->skip_nf;
	int sk = r->skip;
	unsigned c;

	r->skip = SK_NONE;
	r->u8need = 0;
	for (;;) {
		if (p == end) {
			if (refill(r) < 0)
				return r->err;
			p = r->buf;
			end = p + r->len;
			if (p == end) {
				r->done = 1;
				break;
			}
		}
		c = *p++;
		if (sk == SK_QUO) {
			if (c == '"')
				sk = SK_QQ;
			else if (c == '\n')
				newline(r, p - 1);
			continue;
		}
		if (c == '"' && (sk == SK_FIELD || sk == SK_QQ)) {
			sk = SK_QUO;            /* a quoted field, or "" inside one */
			continue;
		}
		if (c == ',') {
			nf++;
			sk = SK_FIELD;
		} else if (c == '\n') {
			newline(r, p - 1);
			break;
		} else {
			sk = SK_UNQ;
		}
	}
	r->pos = (size_t)(p - r->buf);
	if (r->expect == 0)
		r->expect = nf;
	return 0;
}

/* Where the current record, its open quote and its last CR are. */
typedef struct rec_marks {
	long rline, rcol;       /* the record's first character */
	long qline, qcol;       /* the opening quote of the current field */
	long crline, crcol;     /* the last CR */
} rec_marks;

/*
 * The input ended in state `st` at p: end the last record (1), or report
 * the end of input (0) or an error. Nothing is read after this.
 */
static int
next_at_end(b2b_csv *r, int st, const unsigned char *p, const rec_marks *m)
{
	r->done = 1;
	if (r->u8need > 0)
		return fail(r, B2B_EPARSE, r->u8line, r->u8col,
		            "invalid UTF-8: truncated sequence (lead byte 0x%02X) at the end of input",
		            r->u8lead);
	switch (st) {
	case ST_RECORD:
		return 0;
	case ST_FIELD:                       /* "a,<EOF>": one more empty field */
		if (field_begin(r, p) < 0 || field_end(r, p, 0) < 0)
			return nomem(r);
		break;
	case ST_UNQ:
	case ST_QQ:
		if (field_end(r, p, 0) < 0)
			return nomem(r);
		break;
	case ST_QUO:
		return fail(r, B2B_EPARSE, m->qline, m->qcol,
		            "unterminated quoted field: no closing '\"' before the end of input");
	default:                             /* ST_CR, ST_QCR */
		return fail(r, B2B_EPARSE, m->crline, m->crcol,
		            "carriage return (CR) not followed by a line feed (LF)");
	}
	/* a last record without a line break */
	r->pos = (size_t)(p - r->buf);
	return record_done(r, m->rline, m->rcol);
}

int
b2b_csv_next(b2b_csv *r, b2b_ctx *ctx)
{
	const unsigned char *p, *end, *run;
	rec_marks m = { 0, 0, 0, 0, 0, 0 };
	char tmp[8];
	unsigned c;
	int st = ST_RECORD, rc;

	if (r == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_csv_next: reader is NULL");
	if (r->err)
		return report(r, ctx);
	r->nfields = 0;
	r->rec_len = 0;
	if (r->skip != SK_NONE && skip_record(r) < 0)
		return report(r, ctx);
	if (r->done)
		return 0;
	if (!r->started && start(r) < 0)
		return report(r, ctx);
	p = run = r->buf + r->pos;
	end = r->buf + r->len;

	for (;;) {
		if (p == end) {
			if (st >= ST_UNQ && p != run && rec_put(r, run, (size_t)(p - run)) < 0)
				goto oom;
			if (refill(r) < 0)
				return report(r, ctx);
			p = run = r->buf;
			end = p + r->len;
			if (p == end) {
				rc = next_at_end(r, st, p, &m);
				return rc < 0 ? report(r, ctx) : rc;
			}
			/* a UTF-8 sequence split by the refill */
			if (u8_rest(r, &p, end) < 0)
				return bad_record(r, ctx, p, st == ST_QUO ? SK_QUO : SK_UNQ);
			if (p == end)
				continue;
		}
		switch (st) {
		case ST_RECORD:
			m.rline = r->line;
			m.rcol = col_at(r, p);
			/* fall through */
		case ST_FIELD:
			if (field_begin(r, p) < 0)
				goto oom;
			if (*p == '"') {
				m.qline = r->line;
				m.qcol = col_at(r, p);
				run = ++p;
				st = ST_QUO;
				continue;
			}
			run = p;
			st = ST_UNQ;
			/* fall through */
		case ST_UNQ:
		unquoted:
			p = scan(p, U);
			c = *p;
			if (c == ',') {
				/* the common case stays here: next field, unquoted */
				if (field_end(r, run, (size_t)(p - run)) < 0)
					goto oom;
				if (++p == end) {
					st = ST_FIELD;
					continue;
				}
				if (field_begin(r, p) < 0)
					goto oom;
				if (*p != '"') {
					run = p;
					goto unquoted;
				}
				m.qline = r->line;
				m.qcol = col_at(r, p);
				run = ++p;
				st = ST_QUO;
				continue;
			}
			if (p == end)
				continue;
			if (c == '\n') {
				if (field_end(r, run, (size_t)(p - run)) < 0)
					goto oom;
				newline(r, p);
				p++;
				goto record_end;
			}
			if (c == '\r') {
				if (field_end(r, run, (size_t)(p - run)) < 0)
					goto oom;
				m.crline = r->line;
				m.crcol = col_at(r, p);
				p++;
				st = ST_CR;
				continue;
			}
			if (c == '"') {
				/* A quote inside an unquoted field is kept as text
				 * (what spreadsheets and csv-spectrum expect):
				 * 37°36'37.8"N is one field. Only a field that starts
				 * with '"' is a quoted field. */
				p++;
				continue;
			}
			break;                       /* NUL or a byte >= 0x80 */
		case ST_QUO:
			p = scan(p, Q);
			if (p == end)
				continue;
			c = *p;
			if (c == '"') {
				if (p != run && rec_put(r, run, (size_t)(p - run)) < 0)
					goto oom;
				p++;
				st = ST_QQ;
				continue;
			}
			if (c == '\n') {
				newline(r, p);
				p++;
				continue;
			}
			if (c == '\r') {
				m.crline = r->line;
				m.crcol = col_at(r, p);
				p++;
				st = ST_QCR;
				continue;
			}
			break;                       /* NUL or a byte >= 0x80 */
		case ST_QQ:
			c = *p;
			if (c == '"') {          /* "" stands for one quote */
				run = p++;
				st = ST_QUO;
				continue;
			}
			if (c == ',' || c == '\n' || c == '\r') {
				if (field_end(r, p, 0) < 0)
					goto oom;
				if (c == ',') {
					st = ST_FIELD;
				} else if (c == '\n') {
					newline(r, p);
					p++;
					goto record_end;
				} else {
					m.crline = r->line;
					m.crcol = col_at(r, p);
					st = ST_CR;
				}
				p++;
				continue;
			}
			fail(r, B2B_EPARSE, r->line, col_at(r, p),
			     "unexpected %s after the closing quote of a field; expected ',', "
			     "a line break or the end of input", show(tmp, c));
			return bad_record(r, ctx, p, SK_UNQ);
		default:                     /* ST_CR, ST_QCR */
			if (*p != '\n') {
				fail(r, B2B_EPARSE, m.crline, m.crcol,
				     "carriage return (CR) not followed by a line feed (LF)");
				return bad_record(r, ctx, p, st == ST_QCR ? SK_QUO : SK_UNQ);
			}
			newline(r, p);
			p++;
			if (st == ST_CR)
				goto record_end;
			st = ST_QUO;
			continue;
		}
		/* NUL or a byte >= 0x80 inside a field (ST_UNQ or ST_QUO) */
		if (u8_char(r, &p, end) < 0)
			return bad_record(r, ctx, p, st == ST_QUO ? SK_QUO : SK_UNQ);
	}

record_end:
	r->pos = (size_t)(p - r->buf);
	rc = record_done(r, m.rline, m.rcol);
	if (rc < 0)
		return report(r, ctx);
	return rc;
oom:
	nomem(r);
	return report(r, ctx);
}

size_t
b2b_csv_field_count(const b2b_csv *r)
{
	return r != NULL ? r->nfields : 0;
}

const char *
b2b_csv_field(const b2b_csv *r, size_t i, size_t *len)
{
	if (r == NULL || i >= r->nfields) {
		if (len != NULL)
			*len = 0;
		return "";
	}
	if (len != NULL)
		*len = r->fields[i].len;
	return r->rec + r->fields[i].off;
}

long
b2b_csv_field_line(const b2b_csv *r, size_t i)
{
	return r != NULL && i < r->nfields ? r->fields[i].line : 0;
}

long
b2b_csv_field_col(const b2b_csv *r, size_t i)
{
	return r != NULL && i < r->nfields ? r->fields[i].col : 0;
}

const char *
b2b_csv_name(const b2b_csv *r)
{
	return r != NULL ? r->name : "";
}
