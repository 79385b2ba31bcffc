/*
 * libb2bcore — Python exceptions for the library's status codes, shared by
 * the extension module and the test module that exercises every status.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2BPY_ERRORS_H
#define B2BPY_ERRORS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "b2b/ctx.h"

/* The exception classes of one module instance (borrowed from its state). */
typedef struct b2bpy_errors {
	PyObject *Error, *NotFound, *InvalidValue, *Overflow, *CurrencyMismatch, *BookError;
} b2bpy_errors;

/*
 * Raise the exception that mirrors status `rc` (B2B_ENOMEM: MemoryError)
 * with attribute `status`, and, when ctx is not NULL, `file`, `line`,
 * `column` and `path` from its error detail; the message is the ctx's,
 * else b2b_strerror(rc). Always returns NULL with an exception set (the
 * one of building the exception, should that fail).
 */
PyObject *b2bpy_raise_status(const b2bpy_errors *e, int rc, const b2b_ctx *ctx);

/*
 * Raise the exception of status `rc` (as b2bpy_raise_status(), without
 * ctx) with the message PyUnicode_FromFormat(fmt, ...) gives: for the
 * binding's own checks of its arguments. Returns NULL.
 */
PyObject *b2bpy_raise_format(const b2bpy_errors *e, int rc, const char *fmt, ...);

/* Raise the exception of status rc with `msg`, and the location of a
 * result rather than of the ctx: file "", line 0, column 0, `path` (a
 * refused transition or repricing). Returns NULL. */
PyObject *b2bpy_raise_detail(const b2bpy_errors *e, int rc, const char *msg, const char *path);

/*
 * For rc B2B_EBOOK: raise BookError with `status` and `problems`, every
 * ctx diagnostic as (file, line, column, severity, message); other codes
 * as b2bpy_raise_status(). Returns NULL.
 */
PyObject *b2bpy_raise_book_error(const b2bpy_errors *e, int rc, const b2b_ctx *ctx);

#endif /* B2BPY_ERRORS_H */
