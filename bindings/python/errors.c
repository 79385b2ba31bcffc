/*
 * libb2bcore — Python exceptions for the library's status codes (see
 * errors.h). Every new reference is checked and released on every path.
 * SPDX-License-Identifier: MIT
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/error.h"

/* Set attribute `name` of `obj` to `value`, a new reference that this
 * call consumes; a NULL `value` (its creation failed, an exception is
 * set) is passed on as a failure. Returns 0 or -1 with an exception set. */
static int
set_attr_steal(PyObject *obj, const char *name, PyObject *value)
{
	int rc;

	if (value == NULL)
		return -1;
	rc = PyObject_SetAttrString(obj, name, value);
	Py_DECREF(value);
	return rc;
}

/* Text of the library as str. Messages and JSON paths are UTF-8 but may
 * quote bytes of a file name: a byte that is not UTF-8 becomes U+FFFD
 * rather than replacing the library's error by a UnicodeDecodeError. */
static PyObject *
text_str(const char *s)
{
	return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* Raise `exc_type(text)` with `status` set (and the ctx detail when ctx
 * is not NULL); consumes `text` (NULL: its creation failed). Returns NULL. */
static PyObject *
raise_with(PyObject *exc_type, PyObject *text, int rc, const b2b_ctx *ctx)
{
	PyObject *exc;

	if (text == NULL)
		return NULL;
	exc = PyObject_CallOneArg(exc_type, text);
	Py_DECREF(text);
	if (exc == NULL)
		return NULL;
	if (set_attr_steal(exc, "status", PyLong_FromLong(rc)) < 0 ||
	    (ctx != NULL &&
	     (set_attr_steal(exc, "file", PyUnicode_DecodeFSDefault(b2b_ctx_errfile(ctx))) < 0 ||
	      set_attr_steal(exc, "line", PyLong_FromLong(b2b_ctx_errline(ctx))) < 0 ||
	      set_attr_steal(exc, "column", PyLong_FromLong(b2b_ctx_errcol(ctx))) < 0 ||
	      set_attr_steal(exc, "path", text_str(b2b_ctx_errpath(ctx))) < 0))) {
		Py_DECREF(exc);
		return NULL;
	}
	PyErr_SetObject(exc_type, exc);
	Py_DECREF(exc);
	return NULL;
}

/* The class of status rc (B2B_ENOMEM has none: MemoryError). */
static PyObject *
class_of(const b2bpy_errors *st, int rc)
{
	switch (rc) {
	case B2B_ENOTFOUND:
		return st->NotFound;
	case B2B_EOVERFLOW:
	case B2B_EDIVZERO:
		return st->Overflow;
	case B2B_ECURRENCY:
		return st->CurrencyMismatch;
	case B2B_EINVAL:
	case B2B_EPARSE:
	case B2B_EPRECISION:
		return st->InvalidValue;
	default:
		return st->Error;
	}
}

PyObject *
b2bpy_raise_status(const b2bpy_errors *st, int rc, const b2b_ctx *ctx)
{
	const char *msg = ctx != NULL && b2b_ctx_errmsg(ctx)[0] ? b2b_ctx_errmsg(ctx) : b2b_strerror(rc);

	if (rc == B2B_ENOMEM)
		return PyErr_NoMemory();
	return raise_with(class_of(st, rc), text_str(msg), rc, ctx);
}

PyObject *
b2bpy_raise_format(const b2bpy_errors *st, int rc, const char *fmt, ...)
{
	PyObject *text;
	va_list ap;

	if (rc == B2B_ENOMEM)
		return PyErr_NoMemory();
	va_start(ap, fmt);
	text = PyUnicode_FromFormatV(fmt, ap);
	va_end(ap);
	return raise_with(class_of(st, rc), text, rc, NULL);
}

PyObject *
b2bpy_raise_detail(const b2bpy_errors *st, int rc, const char *msg, const char *path)
{
	PyObject *exc, *text, *exc_type = class_of(st, rc);

	if (rc == B2B_ENOMEM)
		return PyErr_NoMemory();
	if ((text = text_str(msg)) == NULL)
		return NULL;
	exc = PyObject_CallOneArg(exc_type, text);
	Py_DECREF(text);
	if (exc == NULL)
		return NULL;
	if (set_attr_steal(exc, "status", PyLong_FromLong(rc)) < 0 ||
	    set_attr_steal(exc, "file", PyUnicode_FromString("")) < 0 ||
	    set_attr_steal(exc, "line", PyLong_FromLong(0)) < 0 ||
	    set_attr_steal(exc, "column", PyLong_FromLong(0)) < 0 ||
	    set_attr_steal(exc, "path", text_str(path)) < 0) {
		Py_DECREF(exc);
		return NULL;
	}
	PyErr_SetObject(exc_type, exc);
	Py_DECREF(exc);
	return NULL;
}

/* The ctx diagnostics as a list of (file, line, col, severity, message). */
static PyObject *
diagnostics(const b2b_ctx *ctx)
{
	size_t i, n = b2b_ctx_diag_count(ctx);
	PyObject *list = PyList_New((Py_ssize_t)n);

	if (list == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		PyObject *t = PyTuple_New(5), *v;

		if (t == NULL)
			goto fail;
		PyList_SET_ITEM(list, (Py_ssize_t)i, t);
#define ITEM(k, expr)                          \
		if ((v = (expr)) == NULL)      \
			goto fail;             \
		PyTuple_SET_ITEM(t, k, v);
		ITEM(0, PyUnicode_DecodeFSDefault(b2b_ctx_diag_file(ctx, i)))
		ITEM(1, PyLong_FromLong(b2b_ctx_diag_line(ctx, i)))
		ITEM(2, PyLong_FromLong(b2b_ctx_diag_col(ctx, i)))
		ITEM(3, PyUnicode_FromString(b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR
		                             ? "error" : "warning"))
		ITEM(4, text_str(b2b_ctx_diag_message(ctx, i)))
#undef ITEM
	}
	return list;
fail:
	Py_DECREF(list);   /* the items not set yet are NULL: PyList and PyTuple skip them */
	return NULL;
}

PyObject *
b2bpy_raise_book_error(const b2bpy_errors *st, int rc, const b2b_ctx *ctx)
{
	PyObject *problems, *exc, *text;
	char msg[512];
	size_t n = b2b_ctx_diag_count(ctx);

	if (rc != B2B_EBOOK)
		return b2bpy_raise_status(st, rc, ctx);
	problems = diagnostics(ctx);
	if (problems == NULL)
		return NULL;
	if (n > 0)
		snprintf(msg, sizeof(msg), "the book has errors; first: %s:%ld:%ld: %s",
		         b2b_ctx_diag_file(ctx, 0), b2b_ctx_diag_line(ctx, 0),
		         b2b_ctx_diag_col(ctx, 0), b2b_ctx_diag_message(ctx, 0));
	else
		snprintf(msg, sizeof(msg), "the book has errors");
	if ((text = text_str(msg)) == NULL) {
		Py_DECREF(problems);
		return NULL;
	}
	exc = PyObject_CallOneArg(st->BookError, text);
	Py_DECREF(text);
	if (exc == NULL || set_attr_steal(exc, "problems", problems) < 0 ||
	    set_attr_steal(exc, "status", PyLong_FromLong(rc)) < 0) {
		if (exc == NULL)
			Py_DECREF(problems);
		Py_XDECREF(exc);
		return NULL;
	}
	PyErr_SetObject(st->BookError, exc);
	Py_DECREF(exc);
	return NULL;
}
