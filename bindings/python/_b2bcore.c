/*
 * libb2bcore — the CPython extension module `b2bcore._b2bcore`: a thin,
 * one-to-one layer over the C API. The Pythonic façade (Decimal in and
 * out, result objects) is b2bcore/__init__.py.
 *
 * Built the way CPython's own _zstd module is: module state, heap types
 * from specs, multi-phase initialisation, one exception class per
 * expected error. The GIL is released around loading, pricing, quoting
 * and validating; a Book is immutable and may be shared by threads. Each
 * call takes a b2b_ctx from a small per-Book pool (under a lock), so
 * concurrent calls never share a ctx. Status codes become exceptions in
 * errors.c. The module holds no timing or test code: the benchmarks time
 * the C calls from tests/python/_b2bcore_test.c.
 * SPDX-License-Identifier: MIT
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>
#include <string.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/price.h"
#include "b2b/quote.h"
#include "b2b/order.h"
#include "b2b/snapshot.h"
#include "b2b/diff.h"

#include "errors.h"

typedef struct {
	PyTypeObject *book_type;
	PyTypeObject *builder_type;
	b2bpy_errors err;            /* exception classes (strong references) */
} module_state;

#define POOL_MAX 16

typedef struct {
	PyObject_HEAD
	b2b_book *book;
	PyThread_type_lock lock;     /* guards pool */
	b2b_ctx *pool[POOL_MAX];
	int npool;
	PyObject *fingerprint;       /* str of b2b_book_fingerprint(), shared by results */
} BookObject;

typedef struct {
	PyObject_HEAD
	b2b_book_builder *b;
	b2b_ctx *ctx;                /* collects the builder's diagnostics */
	int finished;
} BuilderObject;

static module_state *
get_state(PyObject *module)
{
	return (module_state *)PyModule_GetState(module);
}

static module_state *
state_of_type(PyTypeObject *tp)
{
	return (module_state *)PyType_GetModuleState(tp);
}


/* The request could not be priced: the result holds its error list (a
 * marker of this module, not a library status). */
#define B2BPY_REJECTED 1

/*==== the ctx pool ====*/

static b2b_ctx *
ctx_take(BookObject *self)
{
	b2b_ctx *ctx = NULL;

	PyThread_acquire_lock(self->lock, WAIT_LOCK);
	if (self->npool > 0)
		ctx = self->pool[--self->npool];
	PyThread_release_lock(self->lock);
	if (ctx == NULL) {
		b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;

		o.arena_initial = 32 * 1024;
		if (b2b_ctx_new(&ctx, &o) < 0) {
			PyErr_NoMemory();
			return NULL;
		}
	}
	return ctx;
}

static void
ctx_give(BookObject *self, b2b_ctx *ctx)
{
	b2b_ctx_reset(ctx);
	PyThread_acquire_lock(self->lock, WAIT_LOCK);
	if (self->npool < POOL_MAX) {
		self->pool[self->npool++] = ctx;
		ctx = NULL;
	}
	PyThread_release_lock(self->lock);
	b2b_ctx_free(ctx);
}

/*==== Book ====*/

static BookObject *
book_wrap(PyTypeObject *tp, b2b_book *book)
{
	BookObject *self = (BookObject *)tp->tp_alloc(tp, 0);

	if (self == NULL) {
		b2b_book_unref(book);
		return NULL;
	}
	self->lock = PyThread_allocate_lock();
	if (self->lock == NULL) {
		b2b_book_unref(book);
		Py_DECREF(self);
		return (BookObject *)PyErr_NoMemory();
	}
	self->book = book;
	if ((self->fingerprint = PyUnicode_FromString(b2b_book_fingerprint(book))) == NULL) {
		Py_DECREF(self);
		return NULL;
	}
	return self;
}

static void
book_dealloc(BookObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);
	int i;

	for (i = 0; i < self->npool; i++)
		b2b_ctx_free(self->pool[i]);
	if (self->lock != NULL)
		PyThread_free_lock(self->lock);
	b2b_book_unref(self->book);
	Py_XDECREF(self->fingerprint);
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

PyDoc_STRVAR(load_doc,
"load(path, /)\n--\n\n"
"Load the book directory `path` (SPEC §3). Raises BookError listing\n"
"every problem (file, line, column, severity, message) when the book\n"
"has errors, OSError-like Error when it cannot be read.");

static PyObject *
book_load(PyTypeObject *tp, PyObject *arg)
{
	module_state *st = state_of_type(tp);
	PyObject *bytes = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	int rc;

	if (!PyUnicode_FSConverter(arg, &bytes))
		return NULL;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		Py_DECREF(bytes);
		return PyErr_NoMemory();
	}
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_load_dir(&book, ctx, NULL, PyBytes_AS_STRING(bytes));
	Py_END_ALLOW_THREADS
	Py_DECREF(bytes);
	if (rc < 0) {
		b2bpy_raise_book_error(&st->err, rc, ctx);
		b2b_ctx_free(ctx);
		return NULL;
	}
	b2b_ctx_free(ctx);
	return (PyObject *)book_wrap(tp, book);
}

PyDoc_STRVAR(open_snapshot_doc,
"open_snapshot(path, verify=True, /)\n--\n\n"
"Open the snapshot file `path` (SPEC §14): mapped read-only, every offset\n"
"and index checked, and the whole-file checksum unless verify is false.\n"
"Raises Error (status B2B_EBOOK: not a snapshot, another format version\n"
"or byte order, truncated or corrupted; B2B_EIO: cannot be read).");

static PyObject *
book_open_snapshot(PyTypeObject *tp, PyObject *args)
{
	module_state *st = state_of_type(tp);
	b2b_snapshot_options o = B2B_SNAPSHOT_OPTIONS_INIT;
	PyObject *path, *bytes = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	int verify = 1, rc;

	if (!PyArg_ParseTuple(args, "O|p:open_snapshot", &path, &verify))
		return NULL;
	if (!PyUnicode_FSConverter(path, &bytes))
		return NULL;
	if (!verify)
		o.flags |= B2B_SNAPSHOT_NO_CHECKSUM;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		Py_DECREF(bytes);
		return PyErr_NoMemory();
	}
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_open_snapshot(&book, ctx, PyBytes_AS_STRING(bytes), &o);
	Py_END_ALLOW_THREADS
	Py_DECREF(bytes);
	if (rc < 0) {
		b2bpy_raise_status(&st->err, rc, ctx);
		b2b_ctx_free(ctx);
		return NULL;
	}
	b2b_ctx_free(ctx);
	return (PyObject *)book_wrap(tp, book);
}

PyDoc_STRVAR(write_snapshot_doc,
"write_snapshot(path, /)\n--\n\n"
"Write the book to the snapshot file `path` (written aside, then renamed\n"
"over it). Raises Error (status B2B_EIO) when it cannot be written.");

static PyObject *
book_write_snapshot(BookObject *self, PyObject *arg)
{
	module_state *st = state_of_type(Py_TYPE(self));
	PyObject *bytes = NULL;
	b2b_ctx *ctx;
	int rc;

	if (!PyUnicode_FSConverter(arg, &bytes))
		return NULL;
	if ((ctx = ctx_take(self)) == NULL) {
		Py_DECREF(bytes);
		return NULL;
	}
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_write_snapshot(self->book, ctx, PyBytes_AS_STRING(bytes));
	Py_END_ALLOW_THREADS
	Py_DECREF(bytes);
	if (rc < 0) {
		b2bpy_raise_status(&st->err, rc, ctx);
		ctx_give(self, ctx);
		return NULL;
	}
	ctx_give(self, ctx);
	Py_RETURN_NONE;
}

static PyObject *
book_get_unit_price_decimals(BookObject *self, void *closure)
{
	(void)closure;
	return PyLong_FromLong(b2b_book_unit_price_decimals(self->book));
}

static PyObject *
book_get_fingerprint(BookObject *self, void *closure)
{
	(void)closure;
	return Py_NewRef(self->fingerprint);
}

static PyObject *
book_get_base_currency(BookObject *self, void *closure)
{
	(void)closure;
	return PyUnicode_FromString(b2b_book_base_currency(self->book));
}

static PyObject *
book_get_memory(BookObject *self, void *closure)
{
	(void)closure;
	return PyLong_FromSize_t(b2b_book_memory(self->book));
}

static PyObject *
book_get_counts(BookObject *self, void *closure)
{
	PyObject *d = PyDict_New();
	int t;

	(void)closure;
	if (d == NULL)
		return NULL;
	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		PyObject *v = PyLong_FromSize_t(b2b_book_count(self->book, (b2b_book_table)t));

		if (v == NULL || PyDict_SetItemString(d, b2b_book_table_name((b2b_book_table)t), v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(d);
			return NULL;
		}
		Py_DECREF(v);
	}
	return d;
}

/* (status, text): status 0 ok, 1 rejected (text is the error document). */
static PyObject *
doc_result(module_state *st, int rc, b2b_ctx *ctx, const char *json, size_t len)
{
	if (rc < 0 && rc != B2BPY_REJECTED)
		return b2bpy_raise_status(&st->err, rc, ctx);
	return Py_BuildValue("(is#)", rc == B2BPY_REJECTED ? 1 : 0, json, (Py_ssize_t)len);
}

PyDoc_STRVAR(quote_json_doc,
"quote_json(request, /)\n--\n\n"
"Price the quote request given as JSON text (str or bytes). Returns\n"
"(status, text): (0, quote document) or (1, error document).");

static PyObject *
book_quote_json(BookObject *self, PyObject *arg)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const char *text, *out = NULL;
	Py_ssize_t tlen;
	size_t olen = 0;
	const b2b_quote *q = NULL;
	b2b_ctx *ctx;
	PyObject *res;
	int rc;

	if (PyUnicode_Check(arg)) {
		text = PyUnicode_AsUTF8AndSize(arg, &tlen);
		if (text == NULL)
			return NULL;
	} else if (PyBytes_Check(arg)) {
		text = PyBytes_AS_STRING(arg);
		tlen = PyBytes_GET_SIZE(arg);
	} else {
		PyErr_SetString(PyExc_TypeError, "quote_json() takes str or bytes");
		return NULL;
	}
	if ((ctx = ctx_take(self)) == NULL)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_quote_from_json(&q, ctx, self->book, text, (size_t)tlen, NULL);
	if (rc == 0 && !b2b_quote_ok(q))
		rc = B2BPY_REJECTED;
	if (rc == 0 || rc == B2BPY_REJECTED) {
		int rc2 = b2b_quote_to_json(&out, &olen, ctx, q);
		if (rc2 < 0)
			rc = rc2;
	}
	Py_END_ALLOW_THREADS
	res = doc_result(st, rc, ctx, out, olen);
	ctx_give(self, ctx);
	return res;
}

/* b2b_price_compute(), with a result that holds errors (the request
 * could not be priced) reported as B2BPY_REJECTED. */
static int
price_compute(const b2b_price **out, b2b_ctx *ctx, const b2b_book *book,
              const b2b_price_request *req)
{
	int rc = b2b_price_compute(out, ctx, book, req, NULL);

	if (rc == 0 && !b2b_price_ok(*out))
		rc = B2BPY_REJECTED;
	return rc;
}

PyDoc_STRVAR(price_json_doc,
"price_json(customer, sku, qty, as_of, currency, channel, codes, /)\n--\n\n"
"Price one line (SPEC §4 Price). Every argument is str or None (not set:\n"
"the library reports a missing customer, sku, qty or as_of as MALFORMED);\n"
"codes a sequence of str. Returns (status, text).");

static PyObject *
book_price_json(BookObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const char *customer, *sku, *qty, *as_of, *currency = NULL, *channel = NULL;
	const char *out = NULL;
	size_t olen = 0;
	PyObject *codes, *seq = NULL, *res = NULL;
	const char **cv = NULL;
	Py_ssize_t nc = 0, i;
	b2b_price_request *req = NULL;
	const b2b_price *p = NULL;
	b2b_ctx *ctx;
	int rc;

	if (!PyArg_ParseTuple(args, "zzzzzzO:price_json", &customer, &sku, &qty, &as_of,
	                      &currency, &channel, &codes))
		return NULL;
	seq = PySequence_Fast(codes, "codes must be a sequence of str");
	if (seq == NULL)
		return NULL;
	nc = PySequence_Fast_GET_SIZE(seq);
	cv = PyMem_Calloc((size_t)(nc > 0 ? nc : 1), sizeof(*cv));
	if (cv == NULL) {
		Py_DECREF(seq);
		return PyErr_NoMemory();
	}
	for (i = 0; i < nc; i++) {
		cv[i] = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(seq, i));
		if (cv[i] == NULL)
			goto done;
	}
	if ((ctx = ctx_take(self)) == NULL)
		goto done;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_price_request_new(&req, ctx);
	if (rc == 0 && customer != NULL) rc = b2b_price_request_set_customer(req, customer);
	if (rc == 0 && sku != NULL) rc = b2b_price_request_set_sku(req, sku);
	if (rc == 0 && qty != NULL) rc = b2b_price_request_set_qty(req, qty);
	if (rc == 0 && as_of != NULL) rc = b2b_price_request_set_as_of(req, as_of);
	if (rc == 0 && currency != NULL) rc = b2b_price_request_set_currency(req, currency);
	if (rc == 0 && channel != NULL) rc = b2b_price_request_set_channel(req, channel);
	for (i = 0; rc == 0 && i < nc; i++)
		rc = b2b_price_request_add_code(req, cv[i]);
	if (rc == 0)
		rc = price_compute(&p, ctx, self->book, req);
	if (rc == 0 || rc == B2BPY_REJECTED) {
		int rc2 = b2b_price_to_json(&out, &olen, ctx, p);
		if (rc2 < 0)
			rc = rc2;
	}
	Py_END_ALLOW_THREADS
	res = doc_result(st, rc, ctx, out, olen);
	ctx_give(self, ctx);
done:
	PyMem_Free(cv);
	Py_DECREF(seq);
	return res;
}

/*==== results read through the accessors ====*/

/* `v` at `scale` decimals, as str (the text the JSON documents hold). */
static PyObject *
dec_str(b2b_dec v, int scale)
{
	char buf[B2B_DEC_FORMAT_MAX];
	size_t need = 0;
	int rc = b2b_dec_format(buf, sizeof(buf), &need, v, scale, B2B_ROUND_HALF_UP);

	if (rc < 0) {
		PyErr_Format(PyExc_SystemError, "b2b_dec_format: %s", b2b_strerror(rc));
		return NULL;
	}
	return PyUnicode_FromStringAndSize(buf, (Py_ssize_t)need - 1);
}

static PyObject *
time_str(b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof(buf), NULL, t) < 0)
		buf[0] = '\0';
	return PyUnicode_FromString(buf);
}

/* str of text the result always has (a NULL would be a library bug:
 * SystemError rather than a crash). */
static PyObject *
res_str(const char *s)
{
	if (s == NULL) {
		PyErr_SetString(PyExc_SystemError, "libb2bcore: a result field is missing");
		return NULL;
	}
	return PyUnicode_FromString(s);
}

/* str, or None for NULL. */
static PyObject *
opt_str(const char *s)
{
	if (s == NULL)
		Py_RETURN_NONE;
	return PyUnicode_FromString(s);
}

/* A tuple of n items made by item(p, i); NULL with an exception set. */
static PyObject *
tuple_of(const b2b_price *p, size_t n, PyObject *(*item)(const b2b_price *, size_t))
{
	PyObject *t = PyTuple_New((Py_ssize_t)n);
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		PyObject *v = item(p, i);

		if (v == NULL) {
			Py_DECREF(t);
			return NULL;
		}
		PyTuple_SET_ITEM(t, (Py_ssize_t)i, v);
	}
	return t;
}

/* The step and candidate accessors, one helper each: the only lines that
 * name them. */
static size_t
price_nsteps(const b2b_price *p)
{
	return b2b_price_step_count(p);
}

/* (step, source, before, after) of waterfall step j; figures at 9 decimals. */
static PyObject *
price_step(const b2b_price *p, size_t j)
{
	const b2b_step *st = b2b_price_step(p, j);
	PyObject *before = dec_str(b2b_step_before(st), B2B_DEC_SCALE), *after;

	if (before == NULL)
		return NULL;
	if ((after = dec_str(b2b_step_after(st), B2B_DEC_SCALE)) == NULL) {
		Py_DECREF(before);
		return NULL;
	}
	/* N: the tuple takes both references (released by Py_BuildValue on failure) */
	return Py_BuildValue("(ssNN)", b2b_step_name(st), b2b_step_source(st), before, after);
}

static size_t
price_ncandidates(const b2b_price *p)
{
	return b2b_price_candidate_count(p);
}

/* (step, source, outcome, reason): outcome "applied" or "passed"; reason
 * None when there is none (an applied candidate). */
static PyObject *
price_candidate(const b2b_price *p, size_t j)
{
	const b2b_candidate *c = b2b_price_candidate(p, j);
	const char *reason = b2b_candidate_reason(c);

	return Py_BuildValue("(sssz)", b2b_candidate_step(c), b2b_candidate_source(c),
	                     b2b_candidate_applied(c) ? "applied" : "passed",
	                     reason != NULL && reason[0] != '\0' ? reason : NULL);
}

/* (kind, message, ((name, text), ...)) of hint j (SPEC §11): the fields
 * after kind and message, as the document writes them. */
static PyObject *
price_hint(const b2b_price *p, size_t j)
{
	const b2b_hint *h = b2b_price_hint(p, j);
	size_t k, n = b2b_hint_field_count(h);
	PyObject *fields = PyTuple_New((Py_ssize_t)n);

	if (fields == NULL)
		return NULL;
	for (k = 0; k < n; k++) {
		PyObject *f = Py_BuildValue("(ss)", b2b_hint_field_name(h, k),
		                            b2b_hint_field_text(h, k));

		if (f == NULL) {
			Py_DECREF(fields);
			return NULL;
		}
		PyTuple_SET_ITEM(fields, (Py_ssize_t)k, f);
	}
	return Py_BuildValue("(ssN)", b2b_hint_kind_name((b2b_hint_kind)b2b_hint_get_kind(h)),
	                     b2b_hint_message(h), fields);
}

/* (code, message) of warning i. */
static PyObject *
price_warning(const b2b_price *p, size_t i)
{
	return Py_BuildValue("(ss)", b2b_price_warning_code(p, i), b2b_price_warning_message(p, i));
}

/* (code, message, path) of problem i. */
static PyObject *
price_error(const b2b_price *p, size_t i)
{
	return Py_BuildValue("(sss)", b2b_price_error_code(p, i), b2b_price_error_message(p, i),
	                     b2b_price_error_path(p, i));
}

/*
 * The fields of a priced line in the order of the price document (SPEC
 * §4): customer, sku, qty, currency, as_of, channel, list_price,
 * unit_price, amount, discount_percent, protected, below_floor, floor,
 * waterfall, candidates, fingerprint, warnings; then hints (SPEC §11,
 * written after candidates in the document). Money as the document's
 * text at the document's scales (b2b_price_to_json()); floor and channel
 * None when there is none.
 */
#define PRICE_NFIELDS 18

static PyObject *
price_fields(BookObject *self, const b2b_price *p)
{
	const char *fp = b2b_price_fingerprint(p);
	int upd = b2b_book_unit_price_decimals(self->book);
	PyObject *t = PyTuple_New(PRICE_NFIELDS), *v;
	b2b_dec floor;

	if (t == NULL)
		return NULL;
#define FIELD(k, expr)                     \
	if ((v = (expr)) == NULL)          \
		goto fail;                 \
	PyTuple_SET_ITEM(t, k, v);
	FIELD(0, res_str(b2b_price_customer(p)))
	FIELD(1, res_str(b2b_price_sku(p)))
	FIELD(2, res_str(b2b_price_qty_text(p)))
	FIELD(3, res_str(b2b_price_currency(p)))
	FIELD(4, time_str(b2b_price_as_of(p)))
	FIELD(5, opt_str(b2b_price_channel(p)))
	FIELD(6, dec_str(b2b_price_list_price(p), upd))
	FIELD(7, dec_str(b2b_price_unit_price(p), upd))
	FIELD(8, dec_str(b2b_price_amount(p), b2b_price_minor_units(p)))
	FIELD(9, dec_str(b2b_price_discount_percent(p), 2))
	FIELD(10, PyBool_FromLong(b2b_price_protected(p)))
	FIELD(11, PyBool_FromLong(b2b_price_below_floor(p)))
	FIELD(12, b2b_price_floor(&floor, p) == 0 ? dec_str(floor, B2B_DEC_SCALE) : Py_NewRef(Py_None))
	FIELD(13, tuple_of(p, price_nsteps(p), price_step))
	FIELD(14, tuple_of(p, price_ncandidates(p), price_candidate))
	/* the book's own fingerprint: one str per Book */
	FIELD(15, fp == b2b_book_fingerprint(self->book) ? Py_NewRef(self->fingerprint)
	                                                 : PyUnicode_FromString(fp))
	FIELD(16, tuple_of(p, b2b_price_warning_count(p), price_warning))
	FIELD(17, tuple_of(p, b2b_price_hint_count(p), price_hint))
#undef FIELD
	return t;
fail:
	Py_DECREF(t);   /* the fields not set yet are NULL: the tuple skips them */
	return NULL;
}

/* A NUL-terminated UTF-8 argument: str without NUL characters. */
static const char *
str_arg(PyObject *arg, const char *what)
{
	Py_ssize_t len;
	const char *s;

	if (!PyUnicode_Check(arg)) {
		PyErr_Format(PyExc_TypeError, "%s: expected str, got %.100s", what,
		             Py_TYPE(arg)->tp_name);
		return NULL;
	}
	if ((s = PyUnicode_AsUTF8AndSize(arg, &len)) == NULL)
		return NULL;
	if (strlen(s) != (size_t)len) {
		PyErr_Format(PyExc_ValueError, "%s: embedded null character", what);
		return NULL;
	}
	return s;
}

PyDoc_STRVAR(price_doc,
"price(customer, sku, qty, as_of, currency, channel, codes, /)\n--\n\n"
"Price one line (SPEC §4 Price), as price_json(), read through the\n"
"accessors. Returns (0, fields): the document's values in its order,\n"
"money as str (waterfall, candidates, warnings, hints as tuples of tuples); or\n"
"(1, errors): a tuple of (code, message, path).");

static PyObject *
book_price(BookObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	static const char *const names[6] = { "customer", "sku", "qty", "as_of", "currency",
	                                      "channel" };
	module_state *st = state_of_type(Py_TYPE(self));
	const char *text[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
	const char *small[8], **cv = small;
	PyObject *seq = NULL, *res = NULL, *payload;
	b2b_price_request *req = NULL;
	const b2b_price *p = NULL;
	Py_ssize_t nc, i;
	b2b_ctx *ctx;
	int rc;

	if (nargs != 7) {
		PyErr_Format(PyExc_TypeError, "price() takes 7 arguments (%zd given)", nargs);
		return NULL;
	}
	for (i = 0; i < 6; i++)
		if (!(i >= 4 && args[i] == Py_None) && (text[i] = str_arg(args[i], names[i])) == NULL)
			return NULL;
	if ((seq = PySequence_Fast(args[6], "codes must be a sequence of str")) == NULL)
		return NULL;
	nc = PySequence_Fast_GET_SIZE(seq);
	if (nc > (Py_ssize_t)(sizeof(small) / sizeof(small[0])) &&
	    (cv = PyMem_Calloc((size_t)nc, sizeof(*cv))) == NULL) {
		Py_DECREF(seq);
		return PyErr_NoMemory();
	}
	for (i = 0; i < nc; i++)
		if ((cv[i] = str_arg(PySequence_Fast_GET_ITEM(seq, i), "codes[]")) == NULL)
			goto done;
	if ((ctx = ctx_take(self)) == NULL)
		goto done;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_price_request_new(&req, ctx);
	if (rc == 0) rc = b2b_price_request_set_customer(req, text[0]);
	if (rc == 0) rc = b2b_price_request_set_sku(req, text[1]);
	if (rc == 0) rc = b2b_price_request_set_qty(req, text[2]);
	if (rc == 0) rc = b2b_price_request_set_as_of(req, text[3]);
	if (rc == 0 && text[4] != NULL) rc = b2b_price_request_set_currency(req, text[4]);
	if (rc == 0 && text[5] != NULL) rc = b2b_price_request_set_channel(req, text[5]);
	for (i = 0; rc == 0 && i < nc; i++)
		rc = b2b_price_request_add_code(req, cv[i]);
	if (rc == 0)
		rc = price_compute(&p, ctx, self->book, req);
	Py_END_ALLOW_THREADS
	if (rc == 0)
		payload = price_fields(self, p);
	else if (rc == B2BPY_REJECTED)
		payload = tuple_of(p, b2b_price_error_count(p), price_error);
	else
		payload = b2bpy_raise_status(&st->err, rc, ctx);
	ctx_give(self, ctx);
	if (payload != NULL) {
		res = PyTuple_New(2);
		if (res == NULL) {
			Py_DECREF(payload);
		} else {
			PyTuple_SET_ITEM(res, 0, PyLong_FromLong(rc == 0 ? 0 : 1));   /* small int: cannot fail */
			PyTuple_SET_ITEM(res, 1, payload);
		}
	}
done:
	if (cv != small)
		PyMem_Free(cv);
	Py_DECREF(seq);
	return res;
}

/* Text argument: str or bytes → pointer and length (borrowed from arg). */
static const char *
text_arg(PyObject *arg, Py_ssize_t *len, const char *what)
{
	if (PyUnicode_Check(arg))
		return PyUnicode_AsUTF8AndSize(arg, len);
	if (PyBytes_Check(arg)) {
		*len = PyBytes_GET_SIZE(arg);
		return PyBytes_AS_STRING(arg);
	}
	PyErr_Format(PyExc_TypeError, "%s takes str or bytes, not %.100s", what,
	             Py_TYPE(arg)->tp_name);
	return NULL;
}

PyDoc_STRVAR(validate_json_doc,
"validate_json(order, /)\n--\n\n"
"Validate the order given as JSON text (SPEC §7). Returns (valid, text)\n"
"with the validation document; raises InvalidValue when the text is\n"
"not JSON at all.");

static PyObject *
book_validate_json(BookObject *self, PyObject *arg)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const b2b_validation *v = NULL;
	const char *text, *out = NULL;
	Py_ssize_t tlen;
	size_t olen = 0;
	b2b_ctx *ctx;
	PyObject *res;
	int rc, valid = 0;

	if ((text = text_arg(arg, &tlen, "validate_json()")) == NULL)
		return NULL;
	if ((ctx = ctx_take(self)) == NULL)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_order_validate_json(&v, ctx, self->book, text, (size_t)tlen, NULL);
	if (rc == 0) {
		valid = b2b_validation_valid(v);
		rc = b2b_validation_to_json(&out, &olen, ctx, v);
	}
	Py_END_ALLOW_THREADS
	if (rc < 0)
		res = b2bpy_raise_status(&st->err, rc, ctx);
	else
		res = Py_BuildValue("(Os#)", valid ? Py_True : Py_False, out, (Py_ssize_t)olen);
	ctx_give(self, ctx);
	return res;
}

/* d[key] = value, consuming the new reference `value` (NULL: failed). */
static int
dict_set_steal(PyObject *d, const char *key, PyObject *value)
{
	int rc;

	if (value == NULL)
		return -1;
	rc = PyDict_SetItemString(d, key, value);
	Py_DECREF(value);
	return rc;
}

/* Violation i as the validation document has it: code, severity, line
 * (when the violation has one), path (idem), message, expected, actual
 * (idem), in that order. */
static PyObject *
violation_dict(const b2b_validation *v, size_t i)
{
	PyObject *d = PyDict_New();
	const char *path = b2b_validation_path(v, i), *expected = b2b_validation_expected(v, i);
	const char *actual = b2b_validation_actual(v, i);
	long line = b2b_validation_line(v, i);

	if (d == NULL)
		return NULL;
	if (dict_set_steal(d, "code", res_str(b2b_validation_code(v, i))) < 0 ||
	    dict_set_steal(d, "severity", PyUnicode_FromString(
	                                      b2b_order_severity_name(b2b_validation_severity(v, i)))) < 0 ||
	    (line >= 0 && dict_set_steal(d, "line", PyLong_FromLong(line)) < 0) ||
	    (path != NULL && dict_set_steal(d, "path", PyUnicode_FromString(path)) < 0) ||
	    dict_set_steal(d, "message", res_str(b2b_validation_message(v, i))) < 0 ||
	    (expected != NULL && dict_set_steal(d, "expected", PyUnicode_FromString(expected)) < 0) ||
	    (actual != NULL && dict_set_steal(d, "actual", PyUnicode_FromString(actual)) < 0)) {
		Py_DECREF(d);
		return NULL;
	}
	return d;
}

/* The validation document (SPEC §7) as a dict: valid, total (str at the
 * currency's minor units), violations. */
static PyObject *
validation_dict(const b2b_validation *v)
{
	size_t i, n = b2b_validation_count(v);
	PyObject *d = PyDict_New(), *list = NULL;

	if (d == NULL)
		return NULL;
	if (dict_set_steal(d, "valid", PyBool_FromLong(b2b_validation_valid(v))) < 0 ||
	    dict_set_steal(d, "total", dec_str(b2b_validation_total(v),
	                                       b2b_validation_minor_units(v))) < 0 ||
	    (list = PyList_New((Py_ssize_t)n)) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		PyObject *x = violation_dict(v, i);

		if (x == NULL)
			goto fail;
		PyList_SET_ITEM(list, (Py_ssize_t)i, x);
	}
	if (dict_set_steal(d, "violations", list) < 0) {
		list = NULL;   /* consumed */
		goto fail;
	}
	return d;
fail:
	Py_XDECREF(list);
	Py_DECREF(d);
	return NULL;
}

PyDoc_STRVAR(validate_doc,
"validate(order, /)\n--\n\n"
"Validate the order given as JSON text (SPEC §7). Returns the validation\n"
"document as a dict, read through the accessors (as validate_json()'s\n"
"text, parsed); raises InvalidValue when the text is not JSON at all.");

static PyObject *
book_validate(BookObject *self, PyObject *arg)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const b2b_validation *v = NULL;
	const char *text;
	Py_ssize_t tlen;
	b2b_ctx *ctx;
	PyObject *res;
	int rc;

	if ((text = text_arg(arg, &tlen, "validate()")) == NULL)
		return NULL;
	if ((ctx = ctx_take(self)) == NULL)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_order_validate_json(&v, ctx, self->book, text, (size_t)tlen, NULL);
	Py_END_ALLOW_THREADS
	if (rc < 0)
		res = b2bpy_raise_status(&st->err, rc, ctx);
	else
		res = validation_dict(v);
	ctx_give(self, ctx);
	return res;
}

PyDoc_STRVAR(reprice_json_doc,
"reprice_json(quote, as_of, /)\n--\n\n"
"Reprice an open quote document (JSON text) against this book (SPEC §6\n"
"revisions). as_of is None or a date text. Returns (status, quote_text,\n"
"changes_text); status 1 means the quote cannot be priced (quote_text is\n"
"the error document, changes_text None).");

static PyObject *
book_reprice_json(BookObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const b2b_quote_repricing *rev = NULL;
	const b2b_quote_doc *doc = NULL;
	const char *text, *as_of_text = NULL, *qout = NULL, *cout = NULL;
	Py_ssize_t tlen;
	size_t qlen = 0, clen = 0;
	b2b_time as_of, *asp = NULL;
	PyObject *arg, *res;
	b2b_ctx *ctx;
	int rc;

	if (!PyArg_ParseTuple(args, "Oz:reprice_json", &arg, &as_of_text))
		return NULL;
	if ((text = text_arg(arg, &tlen, "reprice_json()")) == NULL)
		return NULL;
	if (as_of_text != NULL) {
		if (b2b_time_parse(&as_of, NULL, as_of_text, strlen(as_of_text)) < 0) {
			return b2bpy_raise_format(&st->err, B2B_EINVAL, "as_of: expected YYYY-MM-DD or "
			                          "YYYY-MM-DDThh:mm:ssZ, got \"%s\"", as_of_text);
		}
		asp = &as_of;
	}
	if ((ctx = ctx_take(self)) == NULL)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_quote_doc_parse(&doc, ctx, text, (size_t)tlen);
	if (rc == 0)
		rc = b2b_quote_doc_reprice(&rev, ctx, self->book, doc, asp, NULL);
	if (rc == 0 && b2b_quote_repricing_ok(rev)) {
		rc = b2b_quote_doc_to_json(&qout, &qlen, ctx, b2b_quote_repricing_doc(rev));
		if (rc == 0)
			rc = b2b_quote_repricing_changes_to_json(&cout, &clen, ctx, rev);
	} else if (rc == 0 && b2b_quote_repricing_quote(rev) != NULL) {
		rc = b2b_quote_to_json(&qout, &qlen, ctx, b2b_quote_repricing_quote(rev));
	}
	Py_END_ALLOW_THREADS
	if (rc < 0)
		res = b2bpy_raise_status(&st->err, rc, ctx);
	else if (b2b_quote_repricing_path(rev) != NULL)   /* the state refuses repricing */
		res = b2bpy_raise_detail(&st->err, B2B_EMISUSE, b2b_quote_repricing_message(rev),
		                         b2b_quote_repricing_path(rev));
	else if (!b2b_quote_repricing_ok(rev))
		res = Py_BuildValue("(is#O)", 1, qout, (Py_ssize_t)qlen, Py_None);
	else
		res = Py_BuildValue("(is#s#)", 0, qout, (Py_ssize_t)qlen, cout, (Py_ssize_t)clen);
	ctx_give(self, ctx);
	return res;
}

/* Handles for a sequence of keys (str) or a buffer of uint32 handles. */
static uint32_t *
handles_arg(module_state *st, const b2b_book *book, PyObject *obj, Py_ssize_t n, int products,
            Py_buffer *view, int *have_view)
{
	uint32_t *h;
	Py_ssize_t i;
	PyObject *seq;

	*have_view = 0;
	if (PyObject_CheckBuffer(obj)) {
		if (PyObject_GetBuffer(obj, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
			return NULL;
		*have_view = 1;
		if (view->itemsize != 4 || view->format == NULL ||
		    (strcmp(view->format, "I") != 0 && strcmp(view->format, "=I") != 0 &&
		     strcmp(view->format, "<I") != 0 && strcmp(view->format, "L") != 0) ||
		    view->len / 4 != n) {
			PyErr_Format(PyExc_TypeError, "%s: a buffer must hold %zd uint32 handles "
			             "(array('I', ...) from find_%s())", products ? "skus" : "customers",
			             n, products ? "products" : "customers");
			return NULL;
		}
		return (uint32_t *)view->buf;
	}
	seq = PySequence_Fast(obj, products ? "skus must be a sequence of str or a buffer"
	                                    : "customers must be a sequence of str or a buffer");
	if (seq == NULL)
		return NULL;
	if (PySequence_Fast_GET_SIZE(seq) != n) {
		PyErr_SetString(PyExc_ValueError, "customers, skus and qtys differ in length");
		Py_DECREF(seq);
		return NULL;
	}
	h = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(*h));
	if (h == NULL) {
		Py_DECREF(seq);
		PyErr_NoMemory();
		return NULL;
	}
	for (i = 0; i < n; i++) {
		PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
		Py_ssize_t len;
		const char *k;
		int rc;

		if (!PyUnicode_Check(item)) {
			PyErr_Format(PyExc_TypeError, "%s[%zd]: expected str", products ? "skus" : "customers", i);
			goto fail;
		}
		if ((k = PyUnicode_AsUTF8AndSize(item, &len)) == NULL)
			goto fail;
		rc = products ? b2b_book_find_product(&h[i], book, k, (size_t)len)
		              : b2b_book_find_customer(&h[i], book, k, (size_t)len);
		if (rc < 0)
			h[i] = UINT32_MAX;  /* priced as an unknown key: a per-line problem */
	}
	Py_DECREF(seq);
	return h;
fail:
	(void)st;
	PyMem_Free(h);
	Py_DECREF(seq);
	return NULL;
}

#define CHUNK 4096

/* One quantity of a Python sequence: int, or str holding a decimal. */
static int
qty_item(module_state *st, PyObject *item, Py_ssize_t i, b2b_dec *out)
{
	const char *t;
	Py_ssize_t len;
	int rc;

	if (PyLong_Check(item) && !PyBool_Check(item)) {
		long long v = PyLong_AsLongLong(item);

		if (v == -1 && PyErr_Occurred())
			return -1;
		b2b_dec_from_units(out, v, 0);
		return 0;
	}
	if (!PyUnicode_Check(item)) {
		PyErr_Format(PyExc_TypeError, "qtys[%zd]: expected str, int or Decimal%s", i,
		             PyFloat_Check(item) ? " (a float cannot hold a quantity exactly)" : "");
		return -1;
	}
	if ((t = PyUnicode_AsUTF8AndSize(item, &len)) == NULL)
		return -1;
	if ((rc = b2b_dec_parse(out, NULL, t, (size_t)len, 0)) < 0) {
		b2bpy_raise_format(&st->err, B2B_EINVAL,
		                   "qtys[%zd]: expected a decimal like 12.5, got \"%s\" (%s)", i, t,
		                   b2b_strerror(rc));
		return -1;
	}
	return 0;
}

/* Bytes of one integer of struct format character `f`; 0 when `f` is not
 * an integer format (a buffer whose items do not have that size is
 * refused: "2i" or a float format would be read wrongly). */
static Py_ssize_t
int_item_size(char f)
{
	switch (f) {
	case 'b': case 'B': return 1;
	case 'h': case 'H': return (Py_ssize_t)sizeof(short);
	case 'i': case 'I': return (Py_ssize_t)sizeof(int);
	case 'l': case 'L': return (Py_ssize_t)sizeof(long);
	case 'q': case 'Q': return (Py_ssize_t)sizeof(long long);
	default: return 0;
	}
}

PyDoc_STRVAR(price_many_doc,
"price_many(customers, skus, qtys, as_of, currency, /)\n--\n\n"
"Price n lines without waterfall (b2b_price_batch). customers and skus:\n"
"sequences of str or buffers of uint32 handles; qtys: a sequence of str\n"
"(exact decimals) or a buffer of integers (whole quantities). Returns\n"
"(units: bytes of int64 unit prices × 10^unit_price_decimals, problems:\n"
"bytes of uint8 b2b_batch_problem codes, decimals).");

static PyObject *
book_price_many(BookObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	PyObject *cobj, *sobj, *qobj, *res = NULL, *units = NULL, *probs = NULL, *qseq = NULL;
	const char *as_of_text, *currency = NULL;
	Py_buffer cview, sview, qview;
	int hc = 0, hs = 0, hq = 0;
	uint32_t *ch = NULL, *sh = NULL;
	b2b_dec *qd = NULL, *pd = NULL;
	int *pr = NULL;
	Py_ssize_t n, i;
	b2b_time as_of;
	int rc = 0, decimals;
	int64_t *uo;
	unsigned char *po;

	if (!PyArg_ParseTuple(args, "OOOsz:price_many", &cobj, &sobj, &qobj, &as_of_text, &currency))
		return NULL;
	if (b2b_time_parse(&as_of, NULL, as_of_text, strlen(as_of_text)) < 0) {
		return b2bpy_raise_format(&st->err, B2B_EINVAL, "as_of: expected YYYY-MM-DD or "
		                          "YYYY-MM-DDThh:mm:ssZ, got \"%s\"", as_of_text);
	}
	/* quantities first: they give n */
	if (PyObject_CheckBuffer(qobj)) {
		if (PyObject_GetBuffer(qobj, &qview, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
			return NULL;
		hq = 1;
		if (qview.format == NULL || qview.format[0] == '\0' ||
		    qview.itemsize != int_item_size(qview.format[strlen(qview.format) - 1])) {
			PyErr_SetString(PyExc_TypeError, "qtys: a buffer must hold integers "
			                "(whole quantities); pass str or Decimal items for fractions");
			goto done;
		}
		n = qview.len / qview.itemsize;
	} else {
		if ((qseq = PySequence_Fast(qobj, "qtys must be a sequence or a buffer")) == NULL)
			return NULL;
		n = PySequence_Fast_GET_SIZE(qseq);
	}
	/* Lines go through in chunks, so that the scratch arrays stay small
	 * and warm in cache; quantities are converted chunk by chunk, and the
	 * prices written straight into the result's buffer. */
	qd = PyMem_Malloc(CHUNK * sizeof(*qd));
	pd = PyMem_Malloc(CHUNK * sizeof(*pd));
	pr = PyMem_Malloc(CHUNK * sizeof(*pr));
	if (qd == NULL || pd == NULL || pr == NULL) {
		PyErr_NoMemory();
		goto done;
	}
	if ((ch = handles_arg(st, self->book, cobj, n, 0, &cview, &hc)) == NULL)
		goto done;
	if ((sh = handles_arg(st, self->book, sobj, n, 1, &sview, &hs)) == NULL)
		goto done;
	if (n > PY_SSIZE_T_MAX / 8) {
		PyErr_NoMemory();
		goto done;
	}
	units = PyBytes_FromStringAndSize(NULL, n * 8);
	probs = PyBytes_FromStringAndSize(NULL, n);
	if (units == NULL || probs == NULL)
		goto done;
	decimals = b2b_book_unit_price_decimals(self->book);
	{
		static const int64_t p10[10] = { 1000000000, 100000000, 10000000, 1000000, 100000,
		                                 10000, 1000, 100, 10, 1 };
		const int64_t div = p10[decimals];
		char f = hq ? qview.format[strlen(qview.format) - 1] : 0;
		Py_ssize_t base;

		uo = (int64_t *)PyBytes_AS_STRING(units);
		po = (unsigned char *)PyBytes_AS_STRING(probs);
		for (base = 0; base < n; base += CHUNK) {
			Py_ssize_t m = n - base < CHUNK ? n - base : CHUNK;

			for (i = 0; i < m; i++) {
				if (hq) {
					const char *b = (const char *)qview.buf + (base + i) * qview.itemsize;
					int64_t v;

					switch (f) {
					case 'b': v = *(const signed char *)b; break;
					case 'B': v = *(const unsigned char *)b; break;
					case 'h': v = *(const short *)b; break;
					case 'H': v = *(const unsigned short *)b; break;
					case 'i': v = *(const int *)b; break;
					case 'I': v = *(const unsigned int *)b; break;
					case 'l': v = *(const long *)b; break;
					case 'L': v = (int64_t)*(const unsigned long *)b; break;
					case 'q': v = *(const long long *)b; break;
					default:  v = (int64_t)*(const unsigned long long *)b; break;
					}
					b2b_dec_from_units(&qd[i], v, 0);
				} else if (qty_item(st, PySequence_Fast_GET_ITEM(qseq, base + i), base + i,
				                    &qd[i]) < 0) {
					goto done;
				}
			}
			Py_BEGIN_ALLOW_THREADS
			rc = b2b_price_batch(pd, pr, NULL, self->book, ch + base, sh + base, qd,
			                     (size_t)m, currency, as_of);
			Py_END_ALLOW_THREADS
			if (rc < 0) {
				b2bpy_raise_status(&st->err, rc, NULL);
				goto done;
			}
			for (i = 0; i < m; i++) {
				int64_t v = 0;

				po[base + i] = (unsigned char)pr[i];
				if (pr[i] == 0) {
					/* the price is already at `decimals`: the division is exact */
					if ((pd[i].hi == 0 && pd[i].lo <= (uint64_t)INT64_MAX) ||
					    (pd[i].hi == -1 && pd[i].lo > (uint64_t)INT64_MAX))
						v = (int64_t)pd[i].lo / div;
					else if (b2b_dec_to_units(&v, pd[i], decimals, B2B_ROUND_HALF_UP) < 0)
						po[base + i] = B2B_BATCH_OVERFLOW;
				}
				uo[base + i] = v;
			}
		}
	}
	res = Py_BuildValue("(OOi)", units, probs, decimals);
done:
	Py_XDECREF(qseq);
	Py_XDECREF(units);
	Py_XDECREF(probs);
	if (hc)
		PyBuffer_Release(&cview);
	else
		PyMem_Free(ch);
	if (hs)
		PyBuffer_Release(&sview);
	else
		PyMem_Free(sh);
	if (hq)
		PyBuffer_Release(&qview);
	PyMem_Free(qd);
	PyMem_Free(pd);
	PyMem_Free(pr);
	return res;
}

PyDoc_STRVAR(find_doc,
"find_handles(keys, products, /)\n--\n\n"
"Resolve customer ids (products False) or skus (products True) to uint32\n"
"handles for price_many(); returns bytes of native uint32 (UINT32_MAX\n"
"for a key that is not in the book).");

static PyObject *
book_find_handles(BookObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	PyObject *keys, *out;
	Py_buffer view;
	int products, hv;
	uint32_t *h;
	Py_ssize_t n;

	if (!PyArg_ParseTuple(args, "Op:find_handles", &keys, &products))
		return NULL;
	if ((n = PySequence_Size(keys)) < 0)
		return NULL;
	h = handles_arg(st, self->book, keys, n, products, &view, &hv);
	if (h == NULL) {
		if (hv)
			PyBuffer_Release(&view);
		return NULL;
	}
	out = PyBytes_FromStringAndSize((const char *)h, n * 4);
	if (hv)
		PyBuffer_Release(&view);
	else
		PyMem_Free(h);
	return out;
}

/* SPEC §12 lint: as_of text (or None) → b2b_time; -1 with an exception set. */
static int
lint_as_of(module_state *st, const char *as_of, b2b_time *t)
{
	size_t errpos = 0;

	if (as_of != NULL && b2b_time_parse(t, &errpos, as_of, strlen(as_of)) < 0) {
		b2bpy_raise_format(&st->err, B2B_EINVAL, "as_of '%.40s': expected a date "
		                   "YYYY-MM-DD or a date-time YYYY-MM-DDThh:mm:ssZ (at "
		                   "character %zu)", as_of, errpos + 1);
		return -1;
	}
	return 0;
}

/* (number of error findings, the JSON document) of a lint report. */
static PyObject *
lint_result(module_state *st, int rc, b2b_ctx *ctx, const b2b_lint *l)
{
	const char *out = NULL;
	size_t olen = 0;

	if (rc == 0)
		rc = b2b_lint_to_json(&out, &olen, ctx, l);
	if (rc < 0)
		return b2bpy_raise_status(&st->err, rc, ctx);
	return Py_BuildValue("(ns#)", (Py_ssize_t)b2b_lint_errors(l), out, (Py_ssize_t)olen);
}

PyDoc_STRVAR(book_lint_json_doc,
"lint_json(as_of=None, /)\n--\n\n"
"The findings of SPEC §12 on this book (all but the load ones, which\n"
"were the loader's): (errors, JSON text of {fingerprint, as_of, findings}).\n"
"as_of (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) adds EXPIRED findings.");

static PyObject *
book_lint_json(BookObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const char *as_of = NULL;
	const b2b_lint *l = NULL;
	b2b_ctx *ctx;
	b2b_time t;
	PyObject *res;
	int rc;

	if (!PyArg_ParseTuple(args, "|z:lint_json", &as_of) || lint_as_of(st, as_of, &t) < 0)
		return NULL;
	if ((ctx = ctx_take(self)) == NULL)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_lint_loaded(&l, ctx, self->book, as_of != NULL ? &t : NULL);
	Py_END_ALLOW_THREADS
	res = lint_result(st, rc, ctx, l);
	ctx_give(self, ctx);
	return res;
}

static PyGetSetDef book_getset[] = {
	{"fingerprint", (getter)book_get_fingerprint, NULL,
	 PyDoc_STR("SHA-256 (hex) of the book's canonical form (SPEC §5.8)."), NULL},
	{"base_currency", (getter)book_get_base_currency, NULL,
	 PyDoc_STR("The base currency code."), NULL},
	{"memory", (getter)book_get_memory, NULL, PyDoc_STR("Bytes the book holds."), NULL},
	{"unit_price_decimals", (getter)book_get_unit_price_decimals, NULL,
	 PyDoc_STR("Decimals of the scaled unit prices of price_many()."), NULL},
	{"counts", (getter)book_get_counts, NULL,
	 PyDoc_STR("Rows per table, as a dict keyed by table name."), NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef book_methods[] = {
	{"load", (PyCFunction)book_load, METH_O | METH_CLASS, load_doc},
	{"open_snapshot", (PyCFunction)book_open_snapshot, METH_VARARGS | METH_CLASS,
	 open_snapshot_doc},
	{"write_snapshot", (PyCFunction)book_write_snapshot, METH_O, write_snapshot_doc},
	{"quote_json", (PyCFunction)book_quote_json, METH_O, quote_json_doc},
	{"price", (PyCFunction)(void (*)(void))book_price, METH_FASTCALL, price_doc},
	{"price_json", (PyCFunction)book_price_json, METH_VARARGS, price_json_doc},
	{"validate", (PyCFunction)book_validate, METH_O, validate_doc},
	{"validate_json", (PyCFunction)book_validate_json, METH_O, validate_json_doc},
	{"reprice_json", (PyCFunction)book_reprice_json, METH_VARARGS, reprice_json_doc},
	{"price_many", (PyCFunction)book_price_many, METH_VARARGS, price_many_doc},
	{"find_handles", (PyCFunction)book_find_handles, METH_VARARGS, find_doc},
	{"lint_json", (PyCFunction)book_lint_json, METH_VARARGS, book_lint_json_doc},
	{NULL, NULL, 0, NULL},
};

static PyObject *
book_new_refused(PyTypeObject *tp, PyObject *args, PyObject *kw)
{
	(void)tp; (void)args; (void)kw;
	PyErr_SetString(PyExc_TypeError, "use Book.load(path) or BookBuilder().finish()");
	return NULL;
}

static PyType_Slot book_slots[] = {
	{Py_tp_dealloc, book_dealloc},
	{Py_tp_methods, book_methods},
	{Py_tp_getset, book_getset},
	{Py_tp_new, book_new_refused},
	{Py_tp_doc, (void *)PyDoc_STR("An immutable pricing book, shared safely by threads.")},
	{0, NULL},
};

static PyType_Spec book_spec = {
	.name = "b2bcore._b2bcore.Book",
	.basicsize = sizeof(BookObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
	.slots = book_slots,
};

/*==== BookBuilder ====*/

static PyObject *
builder_new(PyTypeObject *tp, PyObject *args, PyObject *kw)
{
	BuilderObject *self;

	if ((args != NULL && PyTuple_GET_SIZE(args) != 0) ||
	    (kw != NULL && PyDict_GET_SIZE(kw) != 0)) {
		PyErr_SetString(PyExc_TypeError, "BookBuilder() takes no arguments");
		return NULL;
	}
	self = (BuilderObject *)tp->tp_alloc(tp, 0);
	if (self == NULL)
		return NULL;
	if (b2b_ctx_new(&self->ctx, NULL) < 0 || b2b_book_builder_new(&self->b, NULL, NULL) < 0) {
		Py_DECREF(self);
		return PyErr_NoMemory();
	}
	return (PyObject *)self;
}

static void
builder_dealloc(BuilderObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);

	b2b_book_builder_free(self->b);
	b2b_ctx_free(self->ctx);
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

/* Convert a sequence of str into an array of UTF-8 pointers (borrowed from the items). */
static const char **
utf8_array(PyObject *seq, Py_ssize_t *n, size_t **lens)
{
	const char **v;
	Py_ssize_t i;

	*n = PySequence_Fast_GET_SIZE(seq);
	v = PyMem_Calloc((size_t)(*n > 0 ? *n : 1), sizeof(*v));
	*lens = PyMem_Calloc((size_t)(*n > 0 ? *n : 1), sizeof(**lens));
	if (v == NULL || *lens == NULL) {
		PyMem_Free(v);
		PyMem_Free(*lens);
		PyErr_NoMemory();
		return NULL;
	}
	for (i = 0; i < *n; i++) {
		Py_ssize_t len;
		PyObject *item = PySequence_Fast_GET_ITEM(seq, i);

		if (!PyUnicode_Check(item)) {
			PyErr_Format(PyExc_TypeError, "cell %zd: expected str, got %.100s", i,
			             Py_TYPE(item)->tp_name);
			PyMem_Free(v);
			PyMem_Free(*lens);
			return NULL;
		}
		v[i] = PyUnicode_AsUTF8AndSize(item, &len);
		if (v[i] == NULL) {
			PyMem_Free(v);
			PyMem_Free(*lens);
			return NULL;
		}
		(*lens)[i] = (size_t)len;
	}
	return v;
}

static PyObject *
builder_begin_table(BuilderObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	const char *table, *source = NULL;
	PyObject *columns, *seq;
	const char **cv;
	size_t *lens;
	Py_ssize_t n;
	int t, rc;

	if (!PyArg_ParseTuple(args, "sO|z:begin_table", &table, &columns, &source))
		return NULL;
	for (t = 0; t < B2B_TABLE_COUNT; t++)
		if (strcmp(b2b_book_table_name((b2b_book_table)t), table) == 0)
			break;
	if (t == B2B_TABLE_COUNT) {
		return b2bpy_raise_format(&st->err, B2B_ENOTFOUND, "unknown table \"%s\"", table);
	}
	if ((seq = PySequence_Fast(columns, "columns must be a sequence of str")) == NULL)
		return NULL;
	if ((cv = utf8_array(seq, &n, &lens)) == NULL) {
		Py_DECREF(seq);
		return NULL;
	}
	rc = b2b_book_builder_begin_table(self->b, self->ctx, (b2b_book_table)t, cv, (size_t)n,
	                                  source);
	PyMem_Free(cv);
	PyMem_Free(lens);
	Py_DECREF(seq);
	if (rc < 0 && rc != B2B_EBOOK)
		return b2bpy_raise_status(&st->err, rc, self->ctx);
	Py_RETURN_NONE;
}

static PyObject *
builder_add_row(BuilderObject *self, PyObject *args)
{
	module_state *st = state_of_type(Py_TYPE(self));
	PyObject *cells, *seq;
	const char **cv;
	size_t *lens;
	long line = 0;
	Py_ssize_t n;
	int rc;

	if (!PyArg_ParseTuple(args, "O|l:add_row", &cells, &line))
		return NULL;
	if ((seq = PySequence_Fast(cells, "cells must be a sequence of str")) == NULL)
		return NULL;
	if ((cv = utf8_array(seq, &n, &lens)) == NULL) {
		Py_DECREF(seq);
		return NULL;
	}
	rc = b2b_book_builder_add_row(self->b, self->ctx, cv, lens, (size_t)n, line);
	PyMem_Free(cv);
	PyMem_Free(lens);
	Py_DECREF(seq);
	if (rc < 0)
		return b2bpy_raise_status(&st->err, rc, self->ctx);
	Py_RETURN_NONE;
}

static PyObject *
builder_finish(BuilderObject *self, PyObject *unused)
{
	module_state *st = state_of_type(Py_TYPE(self));
	b2b_book *book = NULL;
	int rc;

	(void)unused;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_builder_finish(&book, self->ctx, self->b);
	Py_END_ALLOW_THREADS
	if (rc < 0)
		return b2bpy_raise_book_error(&st->err, rc, self->ctx);
	return (PyObject *)book_wrap(st->book_type, book);
}

static PyMethodDef builder_methods[] = {
	{"begin_table", (PyCFunction)builder_begin_table, METH_VARARGS,
	 PyDoc_STR("begin_table(table, columns, source=None)\n--\n\n"
	           "Start rows of `table` (e.g. 'products') under these column names.")},
	{"add_row", (PyCFunction)builder_add_row, METH_VARARGS,
	 PyDoc_STR("add_row(cells, line=0)\n--\n\nAdd one row of str cells ('' = not set).")},
	{"finish", (PyCFunction)builder_finish, METH_NOARGS,
	 PyDoc_STR("finish()\n--\n\nCheck the whole book and freeze it into a Book; "
	           "BookError lists every problem.")},
	{NULL, NULL, 0, NULL},
};

static PyType_Slot builder_slots[] = {
	{Py_tp_new, builder_new},
	{Py_tp_dealloc, builder_dealloc},
	{Py_tp_methods, builder_methods},
	{Py_tp_doc, (void *)PyDoc_STR("Build a book from rows, with the same checks as loading.")},
	{0, NULL},
};

static PyType_Spec builder_spec = {
	.name = "b2bcore._b2bcore.BookBuilder",
	.basicsize = sizeof(BuilderObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
	.slots = builder_slots,
};

/*==== module ====*/

static PyObject *
mod_version(PyObject *module, PyObject *unused)
{
	(void)module; (void)unused;
	return PyUnicode_FromString(b2b_version_string());
}

PyDoc_STRVAR(transition_doc,
"transition(quote, event, as_of, /)\n--\n\n"
"Apply a lifecycle event (submit, approve, reject, send, accept, decline,\n"
"order, expire, cancel) to a quote document (JSON text) at as_of (None:\n"
"the quote's own). Returns the new document's JSON text; raises Error\n"
"naming the state and the event for an illegal transition.");

static PyObject *
mod_transition(PyObject *module, PyObject *args)
{
	module_state *st = get_state(module);
	const char *text, *event, *as_of = NULL, *out = NULL;
	const b2b_quote_doc *doc = NULL;
	const b2b_quote_transition *tr = NULL;
	b2b_quote_event ev;
	b2b_time t;
	Py_ssize_t tlen;
	size_t olen = 0, errpos = 0;
	PyObject *arg, *res;
	b2b_ctx *ctx = NULL;
	int rc;

	if (!PyArg_ParseTuple(args, "Osz:transition", &arg, &event, &as_of))
		return NULL;
	if ((text = text_arg(arg, &tlen, "transition()")) == NULL)
		return NULL;
	if (b2b_quote_event_parse(&ev, event, strlen(event)) < 0)
		return b2bpy_raise_detail(&st->err, B2B_EINVAL, "unknown event: expected one of "
		                          "submit, approve, reject, send, accept, decline, order, "
		                          "expire, cancel", "");
	if (as_of != NULL && b2b_time_parse(&t, &errpos, as_of, strlen(as_of)) < 0)
		return b2bpy_raise_format(&st->err, B2B_EINVAL, "as_of '%.40s': expected a date "
		                          "YYYY-MM-DD or a date-time YYYY-MM-DDThh:mm:ssZ (at "
		                          "character %zu)", as_of, errpos + 1);
	if (b2b_ctx_new(&ctx, NULL) < 0)
		return PyErr_NoMemory();
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_quote_doc_parse(&doc, ctx, text, (size_t)tlen);
	if (rc == 0)
		rc = b2b_quote_doc_apply(&tr, ctx, doc, ev, as_of != NULL ? &t : NULL);
	if (rc == 0 && b2b_quote_transition_allowed(tr))
		rc = b2b_quote_doc_to_json(&out, &olen, ctx, b2b_quote_transition_doc(tr));
	Py_END_ALLOW_THREADS
	if (rc < 0)
		res = b2bpy_raise_status(&st->err, rc, ctx);
	else if (!b2b_quote_transition_allowed(tr))
		res = b2bpy_raise_detail(&st->err, B2B_EMISUSE, b2b_quote_transition_message(tr),
		                         "status");
	else
		res = PyUnicode_FromStringAndSize(out, (Py_ssize_t)olen);
	b2b_ctx_free(ctx);
	return res;
}

PyDoc_STRVAR(lint_json_doc,
"lint_json(path, as_of=None, /)\n--\n\n"
"Lint the book directory path (SPEC §12), also when it does not load\n"
"(its problems are LOAD_ERROR findings): (errors, JSON text of\n"
"{fingerprint, as_of, findings}). Raises Error when path cannot be read.");

static PyObject *
mod_lint_json(PyObject *module, PyObject *args)
{
	module_state *st = get_state(module);
	const char *as_of = NULL;
	const b2b_lint *l = NULL;
	PyObject *path, *bytes = NULL, *res;
	b2b_ctx *ctx = NULL;
	b2b_time t;
	int rc;

	if (!PyArg_ParseTuple(args, "O|z:lint_json", &path, &as_of) ||
	    lint_as_of(st, as_of, &t) < 0 || !PyUnicode_FSConverter(path, &bytes))
		return NULL;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		Py_DECREF(bytes);
		return PyErr_NoMemory();
	}
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_lint(&l, ctx, NULL, PyBytes_AS_STRING(bytes), as_of != NULL ? &t : NULL);
	Py_END_ALLOW_THREADS
	Py_DECREF(bytes);
	res = lint_result(st, rc, ctx, l);
	b2b_ctx_free(ctx);
	return res;
}

PyDoc_STRVAR(format_units_doc,
"format_units(units, problems, decimals, /)\n--\n\n"
"The scaled unit prices of price_many() as decimal text with exactly\n"
"`decimals` fractional digits (as b2b_dec_format writes them), \"\" where\n"
"problems[i] is not 0: a list of str. units: a buffer of int64, problems:\n"
"a buffer of uint8 of the same length.");

static PyObject *
mod_format_units(PyObject *module, PyObject *args)
{
	module_state *st = get_state(module);
	Py_buffer u, p;
	PyObject *list = NULL, *empty = NULL;
	Py_ssize_t n, i;
	int decimals;

	if (!PyArg_ParseTuple(args, "y*y*i:format_units", &u, &p, &decimals))
		return NULL;
	n = u.len / 8;
	if (u.len % 8 != 0 || p.len != n || decimals < 0 || decimals > 9) {
		PyErr_SetString(PyExc_ValueError, "format_units: units must hold n int64, problems "
		                "n bytes, and decimals be 0..9");
		goto done;
	}
	if ((list = PyList_New(n)) == NULL || (empty = PyUnicode_FromString("")) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		char buf[B2B_DEC_FORMAT_MAX];
		PyObject *t;

		if (((const unsigned char *)p.buf)[i] != 0) {
			t = Py_NewRef(empty);
		} else {
			int64_t v;
			b2b_dec d;
			int rc;

			memcpy(&v, (const char *)u.buf + i * 8, 8);
			b2b_dec_from_units(&d, v, decimals);
			if ((rc = b2b_dec_format(buf, sizeof buf, NULL, d, decimals,
			                         B2B_ROUND_HALF_UP)) != 0) {
				b2bpy_raise_status(&st->err, rc, NULL);
				goto fail;
			}
			if ((t = PyUnicode_FromString(buf)) == NULL)
				goto fail;
		}
		PyList_SET_ITEM(list, i, t);
	}
	goto done;
fail:
	Py_CLEAR(list);
done:
	Py_XDECREF(empty);
	PyBuffer_Release(&u);
	PyBuffer_Release(&p);
	return list;
}

PyDoc_STRVAR(probe_snapshot_doc,
"probe_snapshot(path, /)\n--\n\n"
"True when `path` starts with the snapshot magic (only its first bytes\n"
"are read), False when it does not or is a directory; Error when it\n"
"cannot be read.");

static PyObject *
mod_probe_snapshot(PyObject *module, PyObject *arg)
{
	module_state *st = get_state(module);
	PyObject *bytes = NULL;
	int rc;

	if (!PyUnicode_FSConverter(arg, &bytes))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_snapshot_probe(PyBytes_AS_STRING(bytes));
	Py_END_ALLOW_THREADS
	if (rc < 0) {
		b2bpy_raise_format(&st->err, rc, "%s: cannot be read (%s)", PyBytes_AS_STRING(bytes),
		                   b2b_strerror(rc));
		Py_DECREF(bytes);
		return NULL;
	}
	Py_DECREF(bytes);
	return PyBool_FromLong(rc);
}

PyDoc_STRVAR(diff_doc,
"diff(old, new, as_of, customers, limit, /)\n--\n\n"
"What the book `new` does to prices against `old` (SPEC 13), as the JSON\n"
"text of the diff document. `customers`: a sequence of ids or None (all);\n"
"`limit`: rows kept (the counts cover every probe).");

static PyObject *
mod_diff(PyObject *module, PyObject *args)
{
	module_state *st = get_state(module);
	PyObject *old_obj, *new_obj, *cust_obj, *seq = NULL, *res = NULL;
	const char *as_of, *out = NULL, **ids = NULL;
	Py_ssize_t limit, n = 0, i;
	const b2b_diff *d = NULL;
	b2b_diff_options o;
	size_t olen = 0, errpos = 0;
	b2b_ctx *ctx = NULL;
	int rc;

	if (!PyArg_ParseTuple(args, "O!O!sOn:diff", st->book_type, &old_obj, st->book_type,
	                      &new_obj, &as_of, &cust_obj, &limit))
		return NULL;
	if (limit < 0) {
		PyErr_SetString(PyExc_ValueError, "diff(): limit must not be negative");
		return NULL;
	}
	b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION);
	o.limit = (size_t)limit;
	if (b2b_time_parse(&o.as_of, &errpos, as_of, strlen(as_of)) < 0)
		return b2bpy_raise_format(&st->err, B2B_EINVAL, "as_of '%.40s': expected a date "
		                          "YYYY-MM-DD or a date-time YYYY-MM-DDThh:mm:ssZ (at "
		                          "character %zu)", as_of, errpos + 1);
	if (cust_obj != Py_None) {
		if ((seq = PySequence_Fast(cust_obj, "diff(): customers must be a sequence of str"))
		    == NULL)
			return NULL;
		n = PySequence_Fast_GET_SIZE(seq);
		ids = PyMem_Calloc((size_t)n + 1, sizeof *ids);
		if (ids == NULL) {
			Py_DECREF(seq);
			return PyErr_NoMemory();
		}
		for (i = 0; i < n; i++) {
			PyObject *it = PySequence_Fast_GET_ITEM(seq, i);

			if (!PyUnicode_Check(it) || (ids[i] = PyUnicode_AsUTF8(it)) == NULL) {
				if (!PyErr_Occurred())
					PyErr_SetString(PyExc_TypeError, "diff(): customers must be str");
				goto out;
			}
		}
		o.customers = ids;
		o.ncustomers = (size_t)n;
	}
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		PyErr_NoMemory();
		goto out;
	}
	Py_BEGIN_ALLOW_THREADS
	rc = b2b_book_diff(&d, ctx, ((BookObject *)old_obj)->book, ((BookObject *)new_obj)->book,
	                   &o);
	if (rc == 0)
		rc = b2b_diff_to_json(&out, &olen, ctx, d);
	Py_END_ALLOW_THREADS
	if (rc < 0)
		res = b2bpy_raise_status(&st->err, rc, ctx);
	else
		res = PyUnicode_FromStringAndSize(out, (Py_ssize_t)olen);
out:
	b2b_ctx_free(ctx);
	PyMem_Free(ids);
	Py_XDECREF(seq);
	return res;
}

static PyMethodDef module_methods[] = {
	{"transition", mod_transition, METH_VARARGS, transition_doc},
	{"lint_json", mod_lint_json, METH_VARARGS, lint_json_doc},
	{"diff", mod_diff, METH_VARARGS, diff_doc},
	{"version", mod_version, METH_NOARGS, PyDoc_STR("The C library's version string.")},
	{"probe_snapshot", mod_probe_snapshot, METH_O, probe_snapshot_doc},
	{"format_units", mod_format_units, METH_VARARGS, format_units_doc},
	{NULL, NULL, 0, NULL},
};

static int
add_exc(PyObject *module, PyObject **slot, const char *name, PyObject *bases, const char *doc)
{
	char full[128];

	snprintf(full, sizeof(full), "b2bcore.%s", name);
	*slot = PyErr_NewExceptionWithDoc(full, doc, bases, NULL);
	if (*slot == NULL)
		return -1;
	return PyModule_AddObjectRef(module, name, *slot);
}

static int
module_exec(PyObject *module)
{
	module_state *st = get_state(module);
	PyObject *bases;
	int rc = 0;

	st->book_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &book_spec, NULL);
	st->builder_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &builder_spec, NULL);
	if (st->book_type == NULL || st->builder_type == NULL)
		return -1;
	if (PyModule_AddObjectRef(module, "Book", (PyObject *)st->book_type) < 0 ||
	    PyModule_AddObjectRef(module, "BookBuilder", (PyObject *)st->builder_type) < 0)
		return -1;
	if (add_exc(module, &st->err.Error, "Error", NULL,
	            "Base class of every libb2bcore error.") < 0)
		return -1;
#define SUB(slot, name, builtin, doc)                                             \
	bases = PyTuple_Pack(2, st->err.Error, builtin);                          \
	if (bases == NULL)                                                        \
		return -1;                                                        \
	rc = add_exc(module, &st->slot, name, bases, doc);                         \
	Py_DECREF(bases);                                                         \
	if (rc < 0)                                                               \
		return -1;
	SUB(err.NotFound, "NotFound", PyExc_LookupError, "A key is not in the book (B2B_ENOTFOUND).")
	SUB(err.InvalidValue, "InvalidValue", PyExc_ValueError,
	    "An argument or a text is malformed (B2B_EINVAL, B2B_EPARSE, B2B_EPRECISION).")
	SUB(err.Overflow, "Overflow", PyExc_ArithmeticError,
	    "A decimal left the representable range (B2B_EOVERFLOW) or a division by zero.")
	SUB(err.CurrencyMismatch, "CurrencyMismatch", PyExc_ValueError,
	    "Different currencies, or no FX rate (B2B_ECURRENCY).")
	SUB(err.BookError, "BookError", PyExc_ValueError,
	    "The book has errors; .problems lists (file, line, column, severity, message).")
#undef SUB
	return PyModule_AddStringConstant(module, "C_VERSION", b2b_version_string());
}

static int
module_traverse(PyObject *module, visitproc visit, void *arg)
{
	module_state *st = get_state(module);

	Py_VISIT(st->book_type);
	Py_VISIT(st->builder_type);
	Py_VISIT(st->err.Error);
	Py_VISIT(st->err.NotFound);
	Py_VISIT(st->err.InvalidValue);
	Py_VISIT(st->err.Overflow);
	Py_VISIT(st->err.CurrencyMismatch);
	Py_VISIT(st->err.BookError);
	return 0;
}

static int
module_clear(PyObject *module)
{
	module_state *st = get_state(module);

	Py_CLEAR(st->book_type);
	Py_CLEAR(st->builder_type);
	Py_CLEAR(st->err.Error);
	Py_CLEAR(st->err.NotFound);
	Py_CLEAR(st->err.InvalidValue);
	Py_CLEAR(st->err.Overflow);
	Py_CLEAR(st->err.CurrencyMismatch);
	Py_CLEAR(st->err.BookError);
	return 0;
}

static void
module_free(void *module)
{
	module_clear((PyObject *)module);
}

/*
 * Each interpreter gets its own module: its types and exceptions live in
 * the module state, nothing is static but constant tables, and the
 * library has no global state, so the module runs in interpreters with
 * their own GIL (CPython 3.12+; older versions have no such slot).
 */
static PyModuleDef_Slot module_slots[] = {
	{Py_mod_exec, module_exec},
#ifdef Py_mod_multiple_interpreters
	{Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
	{0, NULL},
};

static struct PyModuleDef b2bcore_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "b2bcore._b2bcore",
	.m_doc = "Thin C layer of libb2bcore; use the b2bcore package.",
	.m_size = sizeof(module_state),
	.m_methods = module_methods,
	.m_slots = module_slots,
	.m_traverse = module_traverse,
	.m_clear = module_clear,
	.m_free = module_free,
};

PyMODINIT_FUNC
PyInit__b2bcore(void)
{
	return PyModuleDef_Init(&b2bcore_module);
}
