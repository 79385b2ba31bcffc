/*
 * libb2bcore — lint (SPEC §12): adding findings to a report, shared by
 * lint.c (the load findings) and lint_checks.c (the checks on a book).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <string.h>

#include "arena.h"
#include "dec_int.h"
#include "lint_int.h"
#include "text.h"

int
b2b__lint_severity(int code)
{
	return code == B2B_LINT_LOAD_ERROR ? B2B_LINT_ERROR
	     : code == B2B_LINT_EXPIRED ? B2B_LINT_INFO : B2B_LINT_WARNING;
}

int
b2b__lint_file(b2b_lint *l, const char *name, int is_static)
{
	size_t i;
	const char *copy = name;

	for (i = 0; i < l->nfiles; i++)
		if (l->files[i] == name || strcmp(l->files[i], name) == 0)
			return (int)i;
	if (l->nfiles >= B2B__LINT_MAX_FILES)
		return -1;
	if (l->nfiles == l->files_cap &&
	    b2b__arena_grow(l->ctx, (void **)&l->files, &l->files_cap, l->nfiles + 1,
	                    sizeof(*l->files)) < 0)
		return -1;
	if (!is_static && (copy = b2b__ctx_strndup(l->ctx, name, strlen(name))) == NULL)
		return -1;
	l->files[l->nfiles] = copy;
	return (int)l->nfiles++;
}

static int32_t
clamp_line(long line)
{
	return line < 0 ? 0 : line > INT32_MAX ? INT32_MAX : (int32_t)line;
}

/* Does any of the 8 bytes of w need escaping in JSON? (SWAR: a byte < 0x20,
 * or equal to '"' or '\\'; exact as a yes/no.) */
static int
word_escapes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t q = w ^ (ones * '"'), s = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((s - ones) & ~s)) & highs ? 1 : 0;
}

int
b2b__lint_escapes(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		if (word_escapes(w))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			return 1;
	}
	return 0;
}

static b2b__finding *
add_text(b2b_lint *l, int code, int file, long line, const char *text, size_t len, int plain)
{
	b2b__finding *f;

	if (file < 0 || len > UINT32_MAX)
		return NULL;
	if ((l->n & (B2B__LINT_CHUNK - 1)) == 0) {
		b2b__finding *chunk;

		if (l->nchunks == l->chunks_cap &&
		    b2b__arena_grow(l->ctx, (void **)&l->chunks, &l->chunks_cap, l->nchunks + 1,
		                    sizeof(*l->chunks)) < 0)
			return NULL;
		if ((chunk = b2b__ctx_alloc(l->ctx, B2B__LINT_CHUNK * sizeof(*chunk))) == NULL)
			return NULL;
		l->chunks[l->nchunks++] = chunk;
	}
	f = b2b__lint_at(l, l->n);
	memset(f, 0, sizeof(*f));
	if ((f->message = b2b__ctx_strndup(l->ctx, text, len)) == NULL)
		return NULL;
	f->message_len = (uint32_t)len;
	f->plain = (uint8_t)(plain < 0 ? !b2b__lint_escapes(text, len) : plain);
	f->code = (uint8_t)code;
	f->file = (uint16_t)file;
	f->line = clamp_line(line);
	l->n++;
	if (b2b__lint_severity(code) == B2B_LINT_ERROR)
		l->errors++;
	return f;
}

b2b__finding *
b2b__lint_add(b2b_lint *l, int code, int file, long line, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return add_text(l, code, file, line, buf, len, -1);
}

b2b__finding *
b2b__lint_add_msg(b2b_lint *l, int code, int file, long line, const b2b__lint_msg *m)
{
	return add_text(l, code, file, line, m->buf, m->len, !m->escapes);
}

void
b2b__lint_msg_init(b2b__lint_msg *m)
{
	m->len = 0;
	m->escapes = 0;
	m->buf[0] = '\0';
}

static void
msg_put(b2b__lint_msg *m, const char *s, size_t n)
{
	size_t room = sizeof(m->buf) - 1 - m->len;

	if (n > room)
		n = room;
	memcpy(m->buf + m->len, s, n);
	m->len += n;
	m->buf[m->len] = '\0';
}

void
b2b__lint_msg_s(b2b__lint_msg *m, const char *s)
{
	msg_put(m, s, strlen(s));
}

void
b2b__lint_msg_v(b2b__lint_msg *m, const char *s)
{
	size_t n = strlen(s);

	if (!m->escapes && b2b__lint_escapes(s, n))
		m->escapes = 1;
	msg_put(m, s, n);
}

/*
 * The shortest exact form of a decimal, as b2b_dec_format() writes it;
 * the usual case (|v| < 2^63 × 10^-9, about 9.2 × 10^9) in 64-bit
 * arithmetic, the rest through b2b_dec_format().
 */
void
b2b__lint_msg_d(b2b__lint_msg *m, b2b_dec v)
{
	b2b__i128 c = b2b__dec_to_i128(v);
	char t[48];
	size_t i = sizeof(t), need = 0;

	if (c > -(b2b__i128)INT64_MAX && c < (b2b__i128)INT64_MAX) {
		int neg = c < 0;
		uint64_t u = (uint64_t)(neg ? -c : c), ip = u / 1000000000u;
		uint32_t fp = (uint32_t)(u % 1000000000u);
		int digits = 9;

		while (fp != 0 && fp % 10 == 0) {
			fp /= 10;
			digits--;
		}
		if (fp != 0) {
			while (digits-- > 0) {
				t[--i] = (char)('0' + fp % 10);
				fp /= 10;
			}
			t[--i] = '.';
		}
		do {
			t[--i] = (char)('0' + ip % 10);
			ip /= 10;
		} while (ip > 0);
		if (neg)
			t[--i] = '-';
		msg_put(m, t + i, sizeof(t) - i);
		return;
	}
	if (b2b_dec_format(t, sizeof(t), &need, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP) == 0 &&
	    need > 0)
		msg_put(m, t, need - 1);
}

void
b2b__lint_related(b2b__finding *f, int file, long line)
{
	if (f == NULL || file < 0 || f->nrelated >= B2B__LINT_MAX_RELATED)
		return;
	f->related[f->nrelated].file = (uint16_t)file;
	f->related[f->nrelated].line = clamp_line(line);
	f->nrelated++;
}
