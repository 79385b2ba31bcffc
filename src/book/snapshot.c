/*
 * libb2bcore — book snapshots (SPEC §14): the writer, the opener (a
 * read-only shared mapping, or a host buffer) and the checksum. The file
 * format is documented in snapshot_int.h and README.md ("Snapshots");
 * the checks of every record are in snapshot_check.c.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1   /* MAP_POPULATE */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b2b/snapshot.h"
#include "b2b/error.h"
#include "b2b/version.h"
#include "ctx_int.h"
#include "snapshot_int.h"

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

/*===========================================================================
 * MARK: - the sections: THE list
 *===========================================================================*/

enum { OWN_BOOK, OWN_INDEX, OWN_PLAN };
enum {
	N_SIZE,     /* the owner's size_t count at `nfield` is set from the section */
	N_U32,      /* the owner's uint32_t count at `nfield` is set from the section */
	N_BOOK      /* the count must equal the book's size_t at `nfield`, plus `add` */
};

typedef struct snap_desc {
	uint32_t kind;
	uint8_t owner, ntype, add;
	uint32_t elem;
	size_t ptr, nfield;
	const char *name;
} snap_desc;

#define SB(k, f, nf) \
	{ k, OWN_BOOK, N_SIZE, 0, sizeof *((struct b2b_book *)0)->f, \
	  offsetof(struct b2b_book, f), offsetof(struct b2b_book, nf), #f }
#define SH(k, h) \
	{ k, OWN_INDEX, N_U32, 0, sizeof(uint32_t), offsetof(struct b2b__index, h.slots), \
	  offsetof(struct b2b__index, h.n), "index." #h }
#define SI(k, f, nf) \
	{ k, OWN_INDEX, N_SIZE, 0, sizeof *((struct b2b__index *)0)->f, \
	  offsetof(struct b2b__index, f), offsetof(struct b2b__index, nf), "index." #f }
#define SIB(k, f, bookn) \
	{ k, OWN_INDEX, N_BOOK, 0, sizeof *((struct b2b__index *)0)->f, \
	  offsetof(struct b2b__index, f), offsetof(struct b2b_book, bookn), "index." #f }
#define SP(k, f, nf) \
	{ k, OWN_PLAN, N_SIZE, 0, sizeof *((struct b2b__plan *)0)->f, \
	  offsetof(struct b2b__plan, f), offsetof(struct b2b__plan, nf), "plan." #f }
#define SPB(k, f, bookn, add) \
	{ k, OWN_PLAN, N_BOOK, add, sizeof *((struct b2b__plan *)0)->f, \
	  offsetof(struct b2b__plan, f), offsetof(struct b2b_book, bookn), "plan." #f }

#define KIND_META 1u

/* Every array of struct b2b_book, b2b__index and b2b__plan. Kinds never
 * change meaning; a new array takes the next free number. */
static const snap_desc snap_sections[] = {
	SB(2, strings, strings_len),
	SB(3, currencies, ncurrencies),
	SB(4, fx, nfx),
	SB(5, categories, ncategories),
	SB(6, products, nproducts),
	SB(7, product_ext, nproduct_ext),
	SB(8, customers, ncustomers),
	SB(9, lists, nlists),
	SB(10, items, nitems),
	SB(11, contracts, ncontracts),
	SB(12, citems, ncitems),
	SB(13, rules, nrules),
	SB(14, points, npoints),
	SB(15, promos, npromos),
	SB(16, taxes, ntaxes),
	SB(17, tax_classes, ntax_classes),
	SB(18, approvals, napprovals),
	SB(19, u32, nu32),
	SB(20, strs, nstrs),
	SB(21, scopes, nscopes),
	SB(22, applies, napplies),
	SB(23, product_lines, nproduct_lines),
	SB(24, agreements, nagreements),
	SB(25, tiers, ntiers),
	SB(26, cvolumes, ncvolumes),
	SB(27, va_cust, nva_cust),
	SB(28, va_idx, nva_idx),
	SB(29, item_ext, nitem_ext),
	SH(40, products),
	SH(41, customers),
	SH(42, lists),
	SH(43, contracts),
	SH(44, currencies),
	SH(45, taxes),
	SH(46, items),
	SH(47, citems),
	SIB(48, list_kinds, nlists),
	SIB(49, contract_kinds, ncontracts),
	SI(50, agroups, nagroups),
	SH(51, ahash),
	SI(52, rules.groups, rules.ngroups),
	SH(53, rules.hash),
	SI(54, rules.elems, rules.nelems),
	SI(55, promos.groups, promos.ngroups),
	SH(56, promos.hash),
	SI(57, promos.elems, promos.nelems),
	SPB(70, prod_off, nproducts, 1),
	SP(71, cells, ncells),
	SPB(72, cust, ncustomers, 0),
	SP(73, clists, nclists),
	SPB(74, list_flags, nlists, 0),
	SP(75, slots, nslots),
};
#define NSECTIONS (sizeof snap_sections / sizeof snap_sections[0])

static char *
owner_of(const snap_desc *d, const b2b_book *b)
{
	switch (d->owner) {
	case OWN_BOOK: return (char *)b;
	case OWN_INDEX: return (char *)b->index;
	default: return (char *)b->plan;
	}
}

static size_t
book_size_field(const b2b_book *b, size_t off)
{
	size_t v;

	memcpy(&v, (const char *)b + off, sizeof v);
	return v;
}

/* The element count of a section of book `b` (what the writer writes). */
static size_t
desc_count(const snap_desc *d, const b2b_book *b)
{
	const char *o = owner_of(d, b);
	uint32_t n32;
	size_t n;

	if (o == NULL)
		return 0;
	switch (d->ntype) {
	case N_SIZE:
		memcpy(&n, o + d->nfield, sizeof n);
		return n;
	case N_U32:
		memcpy(&n32, o + d->nfield, sizeof n32);
		return n32;
	default:
		return book_size_field(b, d->nfield) + d->add;
	}
}

static const void *
desc_ptr(const snap_desc *d, const b2b_book *b)
{
	const char *o = owner_of(d, b);
	const void *p;

	if (o == NULL)
		return NULL;
	memcpy(&p, o + d->ptr, sizeof p);
	return p;
}

/*===========================================================================
 * MARK: - options
 *===========================================================================*/

int
b2b_snapshot_options_init(b2b_snapshot_options *opts, unsigned int version)
{
	if (opts == NULL)
		return B2B_EINVAL;
	if (version != B2B_SNAPSHOT_OPTIONS_VERSION)
		return B2B_EVERSION;
	opts->version = version;
	opts->flags = 0;
	return 0;
}

static int
read_options(b2b_ctx *ctx, const b2b_snapshot_options *opts, unsigned *flags)
{
	*flags = 0;
	if (opts == NULL)
		return 0;
	if (opts->version != B2B_SNAPSHOT_OPTIONS_VERSION)
		return b2b__ctx_seterr(ctx, B2B_EVERSION,
		                       "snapshot options: version %u unknown (this build: %u)",
		                       opts->version, B2B_SNAPSHOT_OPTIONS_VERSION);
	if (opts->flags & ~B2B_SNAPSHOT_NO_CHECKSUM)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "snapshot options: unknown flags 0x%x",
		                       opts->flags & ~B2B_SNAPSHOT_NO_CHECKSUM);
	*flags = opts->flags;
	return 0;
}

static const char *
errno_text(int e)
{
	switch (e) {
	case ENOENT: return "no such file or directory";
	case EACCES: return "permission denied";
	case EISDIR: return "is a directory";
	case ENOSPC: return "no space left on device";
	case EROFS: return "read-only file system";
	case ENOTDIR: return "a component of the path is not a directory";
	case ENOMEM: return "out of memory";
	case EDQUOT: return "disk quota exceeded";
	default: return "input/output error";
	}
}

/*===========================================================================
 * MARK: - writing
 *===========================================================================*/

static size_t
align_up(size_t x)
{
	return (x + (B2B__SNAP_ALIGN - 1)) & ~(size_t)(B2B__SNAP_ALIGN - 1);
}

typedef struct wr {
	FILE *f;
	b2b__snap_sum sum;
	int summing;     /* feed the checksum (first pass) or write (second) */
	int err;
} wr;

static void
put(wr *w, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (w->summing)
		b2b__snap_sum_update(&w->sum, p, n);
	else if (!w->err && fwrite(p, 1, n, w->f) != n)
		w->err = errno != 0 ? errno : EIO;
}

static void
put_zeros(wr *w, size_t n)
{
	static const unsigned char z[B2B__SNAP_ALIGN];

	while (n > 0) {
		size_t k = n < sizeof z ? n : sizeof z;

		put(w, z, k);
		n -= k;
	}
}

/* The whole file after the first 24 bytes, in order (both passes). */
static void
emit_body(wr *w, const b2b__snap_header *h, const b2b__snap_section *tab, size_t ntab,
          const void *const *ptrs)
{
	size_t pos, i;

	put(w, (const char *)h + 24, sizeof *h - 24);
	put(w, tab, ntab * sizeof *tab);
	pos = sizeof *h + ntab * sizeof *tab;
	for (i = 0; i < ntab; i++) {
		put_zeros(w, (size_t)tab[i].offset - pos);
		put(w, ptrs[i], (size_t)tab[i].count * tab[i].elem);
		pos = (size_t)tab[i].offset + (size_t)tab[i].count * tab[i].elem;
	}
	put_zeros(w, (size_t)h->length - pos);
}

int
b2b_book_write_snapshot(const b2b_book *book, b2b_ctx *ctx, const char *path)
{
	b2b__snap_header h;
	b2b__snap_section tab[NSECTIONS + 1];
	const void *ptrs[NSECTIONS + 1];
	b2b__snap_meta meta;
	size_t pos, i, ntab, plen;
	char *tmp;
	wr w;
	int fd, e;

	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || path == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_write_snapshot: NULL %s",
		                       book == NULL ? "book" : "path");
	if (book->index == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_write_snapshot: book has no index");

	memset(&meta, 0, sizeof meta);
	meta.settings = book->settings;
	for (i = 0; i < B2B_TABLE_COUNT; i++)
		meta.counts[i] = book->counts[i];
	meta.memory = book->memory;
	meta.max_approval_level = book->max_approval_level;
	meta.u32_base = book->index->u32_base;
	meta.index_bytes = book->index->bytes;
	meta.rules_kinds = book->index->rules.kinds;
	meta.promos_kinds = book->index->promos.kinds;
	meta.order_promos_off = book->index->order_promos.off;
	meta.order_promos_n = book->index->order_promos.n;
	meta.has_plan = book->plan != NULL;
	meta.plan_bytes = book->plan != NULL ? book->plan->bytes : 0;

	/* the table: meta, then every array that is not empty */
	memset(tab, 0, sizeof tab);
	tab[0].kind = KIND_META;
	tab[0].elem = (uint16_t)sizeof meta;
	tab[0].count = 1;
	ptrs[0] = &meta;
	ntab = 1;
	for (i = 0; i < NSECTIONS; i++) {
		const snap_desc *d = &snap_sections[i];
		size_t n = desc_count(d, book);

		if (n == 0)
			continue;
		if (n > UINT32_MAX)
			return b2b__ctx_seterr(ctx, B2B_EINVAL,
			                       "b2b_book_write_snapshot: %s: %zu elements, more than "
			                       "a snapshot holds", d->name, n);
		tab[ntab].kind = (uint16_t)d->kind;
		tab[ntab].elem = (uint16_t)d->elem;
		tab[ntab].count = (uint32_t)n;
		ptrs[ntab] = desc_ptr(d, book);
		if (ptrs[ntab] == NULL)
			return b2b__ctx_seterr(ctx, B2B_EINVAL,
			                       "b2b_book_write_snapshot: %s: %zu elements, no array",
			                       d->name, n);
		ntab++;
	}
	pos = align_up(sizeof h + ntab * sizeof tab[0]);
	for (i = 0; i < ntab; i++) {
		tab[i].offset = pos;
		pos = align_up(pos + (size_t)tab[i].count * tab[i].elem);
	}

	memset(&h, 0, sizeof h);
	memcpy(h.magic, B2B__SNAP_MAGIC, 8);
	h.format = B2B__SNAP_FORMAT;
	h.bom = B2B__SNAP_BOM;
	h.nsections = (uint32_t)ntab;
	h.header_size = B2B__SNAP_HEADER;
	snprintf(h.library, sizeof h.library, "%s", b2b_version_string());
	memcpy(h.fingerprint, book->fingerprint, 64);
	h.length = pos;

	memset(&w, 0, sizeof w);
	w.summing = 1;
	b2b__snap_sum_init(&w.sum);
	emit_body(&w, &h, tab, ntab, ptrs);
	h.checksum = b2b__snap_sum_final(&w.sum);

	/* write PATH.tmp.PID, then rename: a reader never sees half a file */
	plen = strlen(path);
	tmp = b2b__malloc(&ctx->alloc, plen + 32);
	if (tmp == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "snapshot %s: out of memory", path);
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (w.f = fdopen(fd, "wb")) == NULL) {
		e = errno;
		if (fd >= 0)
			close(fd);
		b2b__free(&ctx->alloc, tmp, plen + 32);
		b2b__ctx_seterr(ctx, B2B_EIO, "snapshot %s: cannot create: %s", path, errno_text(e));
		b2b__ctx_setloc(ctx, path, 0, 0, -1);
		return B2B_EIO;
	}
	w.summing = 0;
	put(&w, &h, 24);
	emit_body(&w, &h, tab, ntab, ptrs);
	if (fflush(w.f) != 0 && !w.err)
		w.err = errno != 0 ? errno : EIO;
	if (fsync(fileno(w.f)) != 0 && !w.err && errno != EINVAL)
		w.err = errno;
	if (fclose(w.f) != 0 && !w.err)
		w.err = errno != 0 ? errno : EIO;
	if (!w.err && rename(tmp, path) != 0)
		w.err = errno != 0 ? errno : EIO;
	if (w.err) {
		unlink(tmp);
		b2b__free(&ctx->alloc, tmp, plen + 32);
		b2b__ctx_seterr(ctx, B2B_EIO, "snapshot %s: cannot write: %s", path,
		                errno_text(w.err));
		b2b__ctx_setloc(ctx, path, 0, 0, -1);
		return B2B_EIO;
	}
	b2b__free(&ctx->alloc, tmp, plen + 32);
	return 0;
}

/*===========================================================================
 * MARK: - opening
 *===========================================================================*/

/* Refuse the snapshot: B2B_EBOOK with the message and the byte offset. */
static int
refuse(b2b_ctx *ctx, const char *file, long offset, const char *fmt, ...) B2B__PRINTF(4, 5);

static int
refuse(b2b_ctx *ctx, const char *file, long offset, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (offset >= 0)
		b2b__ctx_seterr(ctx, B2B_EBOOK, "snapshot %s: %s (at byte %ld)", file, msg, offset);
	else
		b2b__ctx_seterr(ctx, B2B_EBOOK, "snapshot %s: %s", file, msg);
	b2b__ctx_setloc(ctx, file, 0, 0, offset);
	return B2B_EBOOK;
}

/* This machine's byte order, or the other one. */
static const char *
order_name(int other)
{
	const uint32_t one = 1;
	int little = *(const unsigned char *)&one == 1;

	return little != (other != 0) ? "little-endian" : "big-endian";
}

/* Finish the checksum: 0, or B2B_EBOOK (mismatch) with the message. */
static int
checksum_bad(b2b_ctx *ctx, const char *file, b2b__snap_feed *f, size_t len, uint64_t want)
{
	uint64_t got;

	b2b__snap_feed_to(f, len);
	got = b2b__snap_sum_final(&f->sum);
	if (got == want)
		return 0;
	return refuse(ctx, file, 16,
	              "checksum mismatch: the header says %016llx, the file sums to %016llx "
	              "(corrupted or truncated)",
	              (unsigned long long)want, (unsigned long long)got);
}

static const snap_desc *
find_desc(uint32_t kind)
{
	size_t i;

	for (i = 0; i < NSECTIONS; i++)
		if (snap_sections[i].kind == kind)
			return &snap_sections[i];
	return NULL;
}

static long
tab_off(size_t i)
{
	return (long)(B2B__SNAP_HEADER + i * sizeof(b2b__snap_section));
}

static int
open_mem(b2b_book **out, b2b_ctx *ctx, const char *file, const unsigned char *data,
         size_t len, unsigned flags, int mapped)
{
	b2b__snap_header h;
	const b2b__snap_section *tab;
	const b2b__snap_section *by_desc[NSECTIONS];
	b2b__snap_meta meta;
	b2b_book *b = NULL;
	size_t i, j, prev_end, need;
	uint64_t slen;
	b2b__snap_feed feed;
	int rc, have_meta = 0;

	if (len < 8 || memcmp(data, B2B__SNAP_MAGIC, 8) != 0) {
		if (len < 8 && memcmp(data, B2B__SNAP_MAGIC, len) == 0)
			return refuse(ctx, file, (long)len,
			              "truncated: %zu bytes, shorter than the %u-byte header", len,
			              B2B__SNAP_HEADER);
		return refuse(ctx, file, 0, "not a snapshot: no \"B2BSNAP\" magic at the start");
	}
	if (len < B2B__SNAP_HEADER)
		return refuse(ctx, file, (long)len,
		              "truncated: %zu bytes, shorter than the %u-byte header", len,
		              B2B__SNAP_HEADER);
	memcpy(&h, data, sizeof h);
	if (h.bom != B2B__SNAP_BOM) {
		if (h.bom == 0x04030201u)
			return refuse(ctx, file, 12,
			              "byte order: the snapshot is %s, this machine is %s",
			              order_name(1), order_name(0));
		return refuse(ctx, file, 12, "corrupt header: byte-order mark 0x%08x is not 0x%08x",
		              (unsigned)h.bom, B2B__SNAP_BOM);
	}
	h.library[sizeof h.library - 1] = '\0';
	if (h.format != B2B__SNAP_FORMAT)
		return refuse(ctx, file, 8,
		              "format version %u (written by libb2bcore %s), this library "
		              "(libb2bcore %s) reads format version %u",
		              (unsigned)h.format, h.library, b2b_version_string(), B2B__SNAP_FORMAT);
	if (h.header_size != B2B__SNAP_HEADER)
		return refuse(ctx, file, 36, "corrupt header: header size %u, expected %u",
		              (unsigned)h.header_size, B2B__SNAP_HEADER);
	if (h.length != len) {
		if (h.length > len)
			return refuse(ctx, file, (long)len,
			              "truncated: %zu bytes, the header says %llu", len,
			              (unsigned long long)h.length);
		return refuse(ctx, file, 24, "corrupt header: length %llu, the file has %zu bytes",
		              (unsigned long long)h.length, len);
	}
	if (len % B2B__SNAP_ALIGN != 0)
		return refuse(ctx, file, 24, "corrupt header: length %zu is not a multiple of %u",
		              len, B2B__SNAP_ALIGN);
	/* the checksum is fed from here on in file order (b2b__snap_feed_to),
	 * and compared before any structural error is reported, so that a
	 * corrupted file is named as such */
	b2b__snap_sum_init(&feed.sum);
	feed.base = data;
	feed.pos = 24;
	feed.on = !(flags & B2B_SNAPSHOT_NO_CHECKSUM);
/* A structural refusal; with the checksum on, a mismatch is reported instead. */
#define REFUSE(...)                                                                   \
	(feed.on && checksum_bad(ctx, file, &feed, len, h.checksum) < 0 ? B2B_EBOOK        \
	                                                                 : refuse(ctx, file, __VA_ARGS__))
	if (memchr(h.library, '\0', sizeof h.library) == h.library)
		return REFUSE(40, "corrupt header: no library version");
	for (i = 0; i < 64; i++) {
		char c = h.fingerprint[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return REFUSE((long)(72 + i),
			              "corrupt header: the fingerprint is not 64 hex digits");
	}
	if (h.fingerprint[64] != '\0')
		return REFUSE(72 + 64, "corrupt header: the fingerprint is not 64 hex digits");
	if (h.nsections == 0 || h.nsections > B2B__SNAP_MAX_SECTIONS ||
	    B2B__SNAP_HEADER + (size_t)h.nsections * sizeof *tab > len)
		return REFUSE(32, "corrupt header: %u sections do not fit the file",
		              (unsigned)h.nsections);

	/* the section table */
	tab = (const b2b__snap_section *)(const void *)(data + B2B__SNAP_HEADER);
	for (i = 0; i < NSECTIONS; i++)
		by_desc[i] = NULL;
	prev_end = B2B__SNAP_HEADER + (size_t)h.nsections * sizeof *tab;
	for (i = 0; i < h.nsections; i++) {
		const b2b__snap_section *s = &tab[i];
		const snap_desc *d = NULL;
		uint32_t elem;
		const char *name;

		if (s->kind == KIND_META) {
			if (have_meta)
				return REFUSE(tab_off(i), "section table: meta appears twice");
			have_meta = 1;
			elem = (uint32_t)sizeof meta;
			name = "meta";
		} else {
			d = find_desc(s->kind);
			if (d == NULL)
				return REFUSE(tab_off(i),
				              "section table: entry %zu has kind %u, unknown to this "
				              "library", i, (unsigned)s->kind);
			if (by_desc[d - snap_sections] != NULL)
				return REFUSE(tab_off(i), "section table: %s appears twice",
				              d->name);
			by_desc[d - snap_sections] = s;
			elem = d->elem;
			name = d->name;
		}
		if (s->elem != elem)
			return REFUSE(tab_off(i) + 2,
			              "section %s: element size %u, this library's is %u", name,
			              (unsigned)s->elem, (unsigned)elem);
		if (s->offset % B2B__SNAP_ALIGN != 0)
			return REFUSE(tab_off(i) + 8,
			              "section %s: offset %llu is not a multiple of %u", name,
			              (unsigned long long)s->offset, B2B__SNAP_ALIGN);
		slen = (uint64_t)s->count * elem;
		if (s->offset < prev_end || s->offset > len || slen > len - s->offset)
			return REFUSE(tab_off(i) + 4,
			              "section %s: %u elements of %u bytes at offset %llu are not "
			              "inside the file (%zu bytes) after the previous section (ends "
			              "at %zu)", name, (unsigned)s->count, (unsigned)elem,
			              (unsigned long long)s->offset, len, prev_end);
		if (s->kind == KIND_META && s->count != 1)
			return REFUSE(tab_off(i) + 4, "section meta: count %u, not 1",
			              (unsigned)s->count);
		if (s->kind == KIND_META)
			memcpy(&meta, data + s->offset, sizeof meta);
		prev_end = (size_t)(s->offset + slen);
	}
	if (!have_meta)
		return REFUSE(tab_off(0), "section table: no meta section");

	/* the book: the struct, the index and plan records on the heap,
	 * every array in the file */
	b = b2b__calloc(&ctx->alloc, 1, sizeof *b);
	if (b == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "snapshot %s: out of memory", file);
	atomic_init(&b->refs, 1);
	b->alloc = ctx->alloc;
	b->snap_base = data;
	b->snap_len = len;
	b->snap_mapped = 0;
	b->index = b2b__calloc(&ctx->alloc, 1, sizeof *b->index);
	if (b->index == NULL || (meta.has_plan &&
	                         (b->plan = b2b__calloc(&ctx->alloc, 1, sizeof *b->plan)) == NULL)) {
		b2b__snapshot_free(b);
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "snapshot %s: out of memory", file);
	}
	memcpy(b->fingerprint, h.fingerprint, 64);
	b->fingerprint[64] = '\0';
	b->settings = meta.settings;
	for (i = 0; i < B2B_TABLE_COUNT; i++)
		b->counts[i] = (size_t)meta.counts[i];
	b->memory = (size_t)meta.memory;
	if (meta.max_approval_level < 0 || meta.max_approval_level > INT32_MAX)
		goto bad_meta;
	b->max_approval_level = (int)meta.max_approval_level;
	b->index->u32_base = (size_t)meta.u32_base;
	b->index->bytes = (size_t)meta.index_bytes;
	b->index->rules.kinds = meta.rules_kinds;
	b->index->promos.kinds = meta.promos_kinds;
	b->index->order_promos.off = meta.order_promos_off;
	b->index->order_promos.n = meta.order_promos_n;
	if (b->plan != NULL)
		b->plan->bytes = (size_t)meta.plan_bytes;
	if (meta.has_plan > 1)
		goto bad_meta;

	/* two passes: the counts that are set, then those that must agree */
	for (j = 0; j < 2; j++) {
		for (i = 0; i < NSECTIONS; i++) {
			const snap_desc *d = &snap_sections[i];
			const b2b__snap_section *s = by_desc[i];   /* NULL: empty */
			char *o = owner_of(d, b);
			size_t n = s != NULL ? (size_t)s->count : 0;
			const void *p = n > 0 ? (const void *)(data + s->offset) : NULL;
			uint32_t n32 = (uint32_t)n;
			long at = s != NULL ? (long)s->offset : tab_off(0);

			if ((d->ntype == N_BOOK) != (j == 1))
				continue;
			if (o == NULL) {  /* no plan: its sections are empty */
				if (n != 0)
					return b2b__snapshot_free(b),
					       REFUSE(at,
					              "section %s: %zu elements in a book without a plan",
					              d->name, n);
				continue;
			}
			if (d->ntype == N_SIZE)
				memcpy(o + d->nfield, &n, sizeof n);
			else if (d->ntype == N_U32)
				memcpy(o + d->nfield, &n32, sizeof n32);
			else if (n != (need = book_size_field(b, d->nfield) + d->add))
				return b2b__snapshot_free(b),
				       REFUSE(at, "section %s: %zu elements, the book needs %zu",
				              d->name, n, need);
			memcpy(o + d->ptr, &p, sizeof p);
		}
	}
	rc = b2b__snap_check(b, ctx, file, data, &feed);
	if (feed.on) {
		int bad_sum = checksum_bad(ctx, file, &feed, len, h.checksum);

		rc = bad_sum < 0 ? bad_sum : rc;
	}
	if (rc < 0) {
		b2b__snapshot_free(b);
		return rc;
	}
	b->snap_mapped = mapped;
	*out = b;
	return 0;

bad_meta:
	b2b__snapshot_free(b);
	return REFUSE((long)tab[0].offset, "section meta: a field is out of range");
#undef REFUSE
}

void
b2b__snapshot_free(b2b_book *b)
{
	b2b_allocator a = b->alloc;

	if (b->snap_mapped)
		munmap((void *)(uintptr_t)b->snap_base, b->snap_len);
	b2b__free(&a, b->index, sizeof *b->index);
	b2b__free(&a, b->plan, sizeof *b->plan);
	b2b__free(&a, b, sizeof *b);
}

int
b2b_book_open_snapshot_buffer(b2b_book **out, b2b_ctx *ctx, const void *data, size_t len,
                              const b2b_snapshot_options *opts)
{
	unsigned flags;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	b2b__ctx_clearerr(ctx);
	if (out == NULL || (data == NULL && len > 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_open_snapshot_buffer: NULL %s",
		                       out == NULL ? "out" : "data");
	if ((uintptr_t)data % 8 != 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL,
		                       "b2b_book_open_snapshot_buffer: data is not 8-byte aligned");
	if ((rc = read_options(ctx, opts, &flags)) < 0)
		return rc;
	if (len == 0)
		return refuse(ctx, "(buffer)", 0, "empty: 0 bytes");
	return open_mem(out, ctx, "(buffer)", data, len, flags, 0);
}

int
b2b_book_open_snapshot(b2b_book **out, b2b_ctx *ctx, const char *path,
                       const b2b_snapshot_options *opts)
{
	struct stat st;
	unsigned flags;
	void *map;
	int fd, rc, e;

	if (out != NULL)
		*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	b2b__ctx_clearerr(ctx);
	if (out == NULL || path == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_open_snapshot: NULL %s",
		                       out == NULL ? "out" : "path");
	if ((rc = read_options(ctx, opts, &flags)) < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		b2b__ctx_seterr(ctx, B2B_EIO, "snapshot %s: cannot open: %s", path, errno_text(e));
		b2b__ctx_setloc(ctx, path, 0, 0, -1);
		return B2B_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		b2b__ctx_seterr(ctx, B2B_EIO, "snapshot %s: not a regular file: %s", path,
		                errno_text(e));
		b2b__ctx_setloc(ctx, path, 0, 0, -1);
		return B2B_EIO;
	}
	if (st.st_size < (off_t)B2B__SNAP_HEADER || (uint64_t)st.st_size > SIZE_MAX) {
		unsigned char head[B2B__SNAP_HEADER] = { 0 };
		ssize_t got = st.st_size > 0 ? read(fd, head, sizeof head) : 0;

		close(fd);
		return open_mem(out, ctx, path, head, got > 0 ? (size_t)got : 0, flags, 0);
	}
	/* the checksum reads every page: map them all at once */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ,
	           MAP_SHARED | ((flags & B2B_SNAPSHOT_NO_CHECKSUM) ? 0 : MAP_POPULATE), fd, 0);
	e = errno;
	close(fd);
	if (map == MAP_FAILED) {
		b2b__ctx_seterr(ctx, B2B_EIO, "snapshot %s: cannot map: %s", path, errno_text(e));
		b2b__ctx_setloc(ctx, path, 0, 0, -1);
		return B2B_EIO;
	}
	rc = open_mem(out, ctx, path, map, (size_t)st.st_size, flags, 1);
	if (rc < 0)
		munmap(map, (size_t)st.st_size);
	return rc;
}

int
b2b_snapshot_probe(const char *path)
{
	unsigned char head[8];
	struct stat st;
	ssize_t got;
	int fd;

	if (path == NULL)
		return B2B_EINVAL;
	if (stat(path, &st) != 0)
		return B2B_EIO;
	if (!S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return B2B_EIO;
	got = read(fd, head, sizeof head);
	close(fd);
	if (got < 0)
		return B2B_EIO;
	return got == 8 && memcmp(head, B2B__SNAP_MAGIC, 8) == 0;
}
