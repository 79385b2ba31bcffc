/*
 * libb2bcore — `_b2bcore_test`, a CPython extension built for the tests
 * only (never installed):
 *  - timings of the C calls that b2bcore's methods wrap, looped in C with
 *    the GIL released, on a book this module loads itself, so that
 *    tests/python/bench.py can give the binding layer's own cost;
 *  - the module's error mapping (bindings/python/errors.c) raised for any
 *    status, including those no call of the API returns today
 *    (B2B_ECURRENCY), with the classes of the imported b2bcore._b2bcore.
 * The module keeps no state: each function takes what it uses.
 * SPDX-License-Identifier: MIT
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/price.h"

#include "ctx_int.h"   /* b2b__ctx_seterr, _setloc, _setpath, _diag: the ctx detail to raise */
#include "errors.h"

#define CAPSULE "b2bcore_test.book"
#define CHUNK 4096     /* as price_many in bindings/python/_b2bcore.c */

/* The test clock (the library never reads a clock): the CPU time of the
 * calling thread, so that time slices given to other processes of a
 * shared machine do not count (bench.py uses time.thread_time_ns). */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
book_capsule_free(PyObject *cap)
{
	b2b_book_unref(PyCapsule_GetPointer(cap, CAPSULE));
}

static b2b_book *
book_of(PyObject *cap)
{
	return PyCapsule_GetPointer(cap, CAPSULE);
}

/* load(path) -> an opaque book for the functions below */
static PyObject *
t_load(PyObject *m, PyObject *arg)
{
	PyObject *bytes = NULL, *cap;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	int rc;

	(void)m;
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
		PyErr_Format(PyExc_RuntimeError, "load: %s (%s)", b2b_strerror(rc), b2b_ctx_errmsg(ctx));
		b2b_ctx_free(ctx);
		return NULL;
	}
	b2b_ctx_free(ctx);
	if ((cap = PyCapsule_New(book, CAPSULE, book_capsule_free)) == NULL)
		b2b_book_unref(book);
	return cap;
}

/*
 * price_c(book, customer, sku, qty, as_of, n, json) -> nanoseconds for n
 * calls: the work of Book.price (request, b2b_price_compute, then the
 * ctx reset that gives the arena back), plus b2b_price_to_json when
 * `json` is true (what the module did before its results came from the
 * accessors). One ctx, as a Book's pool gives.
 */
static PyObject *
t_price_c(PyObject *m, PyObject *args)
{
	const char *customer, *sku, *qty, *as_of;
	long n, i;
	int json, rc = 0;
	int64_t t0, t1;
	b2b_book *book;
	b2b_ctx *ctx = NULL;
	PyObject *cap;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;

	(void)m;
	if (!PyArg_ParseTuple(args, "Ossssl|p:price_c", &cap, &customer, &sku, &qty, &as_of, &n,
	                      &json))
		return NULL;
	if ((book = book_of(cap)) == NULL)
		return NULL;
	o.arena_initial = 32 * 1024;   /* as the module's pool */
	if (b2b_ctx_new(&ctx, &o) < 0)
		return PyErr_NoMemory();
	Py_BEGIN_ALLOW_THREADS
	t0 = now_ns();
	for (i = 0; i < n && rc >= 0; i++) {
		b2b_price_request *req = NULL;
		const b2b_price *p = NULL;
		const char *out;
		size_t olen;

		rc = b2b_price_request_new(&req, ctx);
		if (rc == 0) rc = b2b_price_request_set_customer(req, customer);
		if (rc == 0) rc = b2b_price_request_set_sku(req, sku);
		if (rc == 0) rc = b2b_price_request_set_qty(req, qty);
		if (rc == 0) rc = b2b_price_request_set_as_of(req, as_of);
		if (rc == 0) rc = b2b_price_compute(&p, ctx, book, req, NULL);
		if (rc == 0 && json) rc = b2b_price_to_json(&out, &olen, ctx, p);
		b2b_ctx_reset(ctx);
	}
	t1 = now_ns();
	Py_END_ALLOW_THREADS
	b2b_ctx_free(ctx);
	if (rc < 0) {
		PyErr_Format(PyExc_RuntimeError, "price_c: %s", b2b_strerror(rc));
		return NULL;
	}
	return PyLong_FromLongLong(t1 - t0);
}

/* A sequence of keys resolved in `book` (UINT32_MAX when not found). */
static uint32_t *
handles(const b2b_book *book, PyObject *keys, Py_ssize_t n, int products)
{
	uint32_t *h = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(*h));
	Py_ssize_t i;

	if (h == NULL) {
		PyErr_NoMemory();
		return NULL;
	}
	for (i = 0; i < n; i++) {
		Py_ssize_t len;
		const char *k = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(keys, i), &len);

		if (k == NULL) {
			PyMem_Free(h);
			return NULL;
		}
		if ((products ? b2b_book_find_product(&h[i], book, k, (size_t)len)
		              : b2b_book_find_customer(&h[i], book, k, (size_t)len)) < 0)
			h[i] = UINT32_MAX;
	}
	return h;
}

/*
 * batch_c(book, customers, skus, qtys, as_of, reps) -> list of nanoseconds,
 * one per repetition: b2b_price_batch over every line in chunks of 4096,
 * as Book.price_many does; keys are resolved and quantities (a buffer of
 * int64) converted before the clock starts.
 */
static PyObject *
t_batch_c(PyObject *m, PyObject *args)
{
	PyObject *cap, *cobj, *sobj, *cseq = NULL, *sseq = NULL, *res = NULL;
	Py_buffer q;
	const char *as_of_text;
	b2b_dec *qd = NULL, *pd = NULL;
	uint32_t *ch = NULL, *sh = NULL;
	int *pr = NULL;
	b2b_book *book;
	b2b_time as_of;
	Py_ssize_t n, i, base;
	long reps, r;
	int rc = 0;

	(void)m;
	if (!PyArg_ParseTuple(args, "OOOy*sl:batch_c", &cap, &cobj, &sobj, &q, &as_of_text, &reps))
		return NULL;
	n = q.len / 8;
	if ((book = book_of(cap)) == NULL)
		goto done;
	if (b2b_time_parse(&as_of, NULL, as_of_text, strlen(as_of_text)) < 0) {
		PyErr_SetString(PyExc_ValueError, "as_of");
		goto done;
	}
	cseq = PySequence_Fast(cobj, "customers: a sequence of str");
	sseq = PySequence_Fast(sobj, "skus: a sequence of str");
	if (cseq == NULL || sseq == NULL)
		goto done;
	if (PySequence_Fast_GET_SIZE(cseq) != n || PySequence_Fast_GET_SIZE(sseq) != n) {
		PyErr_SetString(PyExc_ValueError, "customers, skus and qtys (int64) differ in length");
		goto done;
	}
	qd = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(*qd));
	pd = PyMem_Malloc(CHUNK * sizeof(*pd));
	pr = PyMem_Malloc(CHUNK * sizeof(*pr));
	if (qd == NULL || pd == NULL || pr == NULL) {
		PyErr_NoMemory();
		goto done;
	}
	if ((ch = handles(book, cseq, n, 0)) == NULL || (sh = handles(book, sseq, n, 1)) == NULL)
		goto done;
	for (i = 0; i < n; i++)
		b2b_dec_from_units(&qd[i], ((const int64_t *)q.buf)[i], 0);
	if ((res = PyList_New(0)) == NULL)
		goto done;
	for (r = 0; r < reps && rc >= 0; r++) {
		int64_t t0, t1;
		PyObject *v;

		Py_BEGIN_ALLOW_THREADS
		t0 = now_ns();
		for (base = 0; base < n && rc >= 0; base += CHUNK) {
			Py_ssize_t k = n - base < CHUNK ? n - base : CHUNK;

			rc = b2b_price_batch(pd, pr, NULL, book, ch + base, sh + base, qd + base,
			                     (size_t)k, NULL, as_of);
		}
		t1 = now_ns();
		Py_END_ALLOW_THREADS
		if ((v = PyLong_FromLongLong(t1 - t0)) == NULL || PyList_Append(res, v) < 0) {
			Py_XDECREF(v);
			Py_CLEAR(res);
			goto done;
		}
		Py_DECREF(v);
	}
	if (rc < 0) {
		PyErr_Format(PyExc_RuntimeError, "batch_c: %s", b2b_strerror(rc));
		Py_CLEAR(res);
	}
done:
	Py_XDECREF(cseq);
	Py_XDECREF(sseq);
	PyMem_Free(ch);
	PyMem_Free(sh);
	PyMem_Free(qd);
	PyMem_Free(pd);
	PyMem_Free(pr);
	PyBuffer_Release(&q);
	return res;
}

/* The exception classes of b2bcore._b2bcore (`mod`), as new references. */
static int
errors_of(PyObject *mod, b2bpy_errors *e)
{
	memset(e, 0, sizeof(*e));
	if ((e->Error = PyObject_GetAttrString(mod, "Error")) == NULL ||
	    (e->NotFound = PyObject_GetAttrString(mod, "NotFound")) == NULL ||
	    (e->InvalidValue = PyObject_GetAttrString(mod, "InvalidValue")) == NULL ||
	    (e->Overflow = PyObject_GetAttrString(mod, "Overflow")) == NULL ||
	    (e->CurrencyMismatch = PyObject_GetAttrString(mod, "CurrencyMismatch")) == NULL ||
	    (e->BookError = PyObject_GetAttrString(mod, "BookError")) == NULL)
		return -1;
	return 0;
}

static void
errors_release(b2bpy_errors *e)
{
	Py_XDECREF(e->Error);
	Py_XDECREF(e->NotFound);
	Py_XDECREF(e->InvalidValue);
	Py_XDECREF(e->Overflow);
	Py_XDECREF(e->CurrencyMismatch);
	Py_XDECREF(e->BookError);
}

/*
 * raise_status(module, rc, message, file, line, column, path, problems)
 * raises what b2bcore._b2bcore raises for status rc with that ctx detail
 * (message None: no ctx; problems: a sequence of (file, line, column,
 * message) errors given to the BookError of B2B_EBOOK).
 */
static PyObject *
t_raise_status(PyObject *m, PyObject *args)
{
	PyObject *mod, *problems = NULL, *seq = NULL;
	const char *msg = NULL, *file = "", *path = "";
	long line = 0, col = 0;
	b2bpy_errors e;
	b2b_ctx *ctx = NULL;
	Py_ssize_t i;
	int rc;

	(void)m;
	if (!PyArg_ParseTuple(args, "Oi|zsllsO:raise_status", &mod, &rc, &msg, &file, &line, &col,
	                      &path, &problems))
		return NULL;
	if (problems != NULL &&
	    (seq = PySequence_Fast(problems, "problems: a sequence of tuples")) == NULL)
		return NULL;
	if (errors_of(mod, &e) < 0)
		goto done;
	if ((msg != NULL || seq != NULL) && b2b_ctx_new(&ctx, NULL) < 0) {
		PyErr_NoMemory();
		goto done;
	}
	if (msg != NULL) {
		b2b__ctx_seterr(ctx, rc, "%s", msg);
		b2b__ctx_setloc(ctx, file, line, col, -1);
		b2b__ctx_setpath(ctx, path);
	}
	for (i = 0; seq != NULL && i < PySequence_Fast_GET_SIZE(seq); i++) {
		const char *pf, *pm;
		long pl, pc;

		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "slls", &pf, &pl, &pc, &pm))
			goto done;
		b2b__ctx_diag(ctx, B2B_SEV_ERROR, pf, pl, pc, "%s", pm);
	}
	b2bpy_raise_book_error(&e, rc, msg != NULL || seq != NULL ? ctx : NULL);
done:
	errors_release(&e);
	b2b_ctx_free(ctx);
	Py_XDECREF(seq);
	return NULL;
}

static PyMethodDef test_methods[] = {
	{"load", t_load, METH_O, NULL},
	{"price_c", t_price_c, METH_VARARGS, NULL},
	{"batch_c", t_batch_c, METH_VARARGS, NULL},
	{"raise_status", t_raise_status, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot test_slots[] = {
#ifdef Py_mod_multiple_interpreters
	{Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
	{0, NULL},
};

static struct PyModuleDef test_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "_b2bcore_test",
	.m_doc = "Timings and error hooks for the tests of b2bcore (not installed).",
	.m_size = 0,
	.m_methods = test_methods,
	.m_slots = test_slots,
};

PyMODINIT_FUNC
PyInit__b2bcore_test(void)
{
	return PyModuleDef_Init(&test_module);
}
