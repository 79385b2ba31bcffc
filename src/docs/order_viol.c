/*
 * libb2bcore — the violations of an order validation run (SPEC §7): one
 * recorded with its message, the strings of a violation (paths, decimals,
 * times as text; one that cannot be allocated marks the run), and the
 * order they are reported in (SPEC §9.20).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <string.h>

#include "arena.h"
#include "dec_int.h"
#include "order_run.h"

int
b2b__ov_viol(vrun *r, const char *code, int sev, long line, const char *path,
             const char *expected,
             const char *actual, const char *fmt, ...)
{
	b2b__violation v;
	char buf[512];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	len = b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memset(&v, 0, sizeof(v));
	v.code = code;
	v.severity = sev;
	v.line = line;
	v.path = path;
	v.expected = expected;
	v.actual = actual;
	v.message = b2b__ctx_strndup(r->ctx, buf, len);
	if (v.message == NULL)
		return B2B_ENOMEM;
	return b2b__violation_push(r->ctx, &r->res->v, &r->res->n, &r->cap, &v);
}

/* The strings of a violation (paths, expected, actual) are built before
 * b2b__ov_viol() records it; one that could not be allocated marks the run, and
 * b2b_order_validate() then fails with B2B_ENOMEM instead of reporting a
 * violation with a missing part. */
static const char *
oom_check(vrun *r, const char *s)
{
	if (s == NULL)
		r->oom = 1;
	return s;
}

/* "lines[i].name" in the arena. */
const char *
b2b__ov_lpath(vrun *r, size_t i, const char *name)
{
	char buf[64];
	b2b__tbuf t;

	b2b__tbuf_init(&t, buf, sizeof(buf));
	b2b__tbuf_put(&t, "lines[", 6);
	b2b__tbuf_put_uint(&t, i);
	b2b__tbuf_put(&t, "].", 2);
	b2b__tbuf_puts(&t, name);
	if (t.cut)
		return oom_check(r, b2b__arena_printf(r->ctx, "lines[%zu].%s", i, name));
	return b2b__ov_str_dup(r, buf, t.len);
}

const char *
b2b__ov_str_dup(vrun *r, const char *s, size_t len)
{
	return oom_check(r, b2b__ctx_strndup(r->ctx, s, len));
}

/* printf into the arena, for the strings of a violation. */
const char *
b2b__ov_printf(vrun *r, const char *fmt, ...)
{
	char buf[512];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	len = b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return b2b__ov_str_dup(r, buf, len);
}

/* A decimal as text at `scale` (B2B_DEC_SCALE_EXACT: shortest form). */
const char *
b2b__ov_dec_str(vrun *r, b2b_dec v, int scale)
{
	char buf[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(buf, sizeof(buf), NULL, v, scale, r->mode) < 0)
		buf[0] = '\0';
	return b2b__ov_str_dup(r, buf, strlen(buf));
}

/* A decimal of the order as given: canonical integer part, fractional
 * digits as written ("10.50" → "10.50", 1.5E1 → "15"). */
const char *
b2b__ov_given_str(vrun *r, const b2b__ofield *f)
{
	return b2b__ov_dec_str(r, f->v, b2b__written_scale(f->s, f->len, f->number));
}

const char *
b2b__ov_time_str(vrun *r, b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof(buf), NULL, t) < 0)
		buf[0] = '\0';
	return b2b__ov_str_dup(r, buf, strlen(buf));
}

/* Natural path order: bytes, but array indexes as numbers. NULL first. */
static int
path_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : a == NULL ? -1 : 1;
	while (*a != '\0' && *b != '\0') {
		if (*a == '[' && *b == '[' && a[1] >= '0' && a[1] <= '9' && b[1] >= '0' &&
		    b[1] <= '9') {
			const char *pa = a + 1, *pb = b + 1;
			size_t na, nb;

			while (*pa == '0' && pa[1] >= '0' && pa[1] <= '9')
				pa++;
			while (*pb == '0' && pb[1] >= '0' && pb[1] <= '9')
				pb++;
			for (na = 0; pa[na] >= '0' && pa[na] <= '9'; na++)
				;
			for (nb = 0; pb[nb] >= '0' && pb[nb] <= '9'; nb++)
				;
			if (na != nb)
				return na < nb ? -1 : 1;
			{
				int c = memcmp(pa, pb, na);
				if (c != 0)
					return c < 0 ? -1 : 1;
			}
			a = pa + na;
			b = pb + nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a == *b ? 0 : (unsigned char)*a < (unsigned char)*b ? -1 : 1;
}

int
b2b__ov_viol_cmp(const void *pa, const void *pb)
{
	const b2b__violation *a = pa, *b = pb;
	int c;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = path_cmp(a->path, b->path)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}
