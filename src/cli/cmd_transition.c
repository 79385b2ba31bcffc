/*
 * b2b quote … --transition EVENT | --reprice — the quote lifecycle on the
 * command line (SPEC §6). `b2b quote` hands over to cmd_quote_transition()
 * when one of these options is given:
 *
 *   b2b quote [--book DIR] --transition EVENT [--as-of T] QUOTE.json
 *       apply EVENT (submit, approve, reject, send, accept, decline, order,
 *       expire, cancel) at T (default: the quote's as_of) and print the
 *       new quote document. A transition does not price: --book is
 *       accepted (so the same command line works for both) but not read.
 *   b2b quote --book DIR --reprice [--as-of T] [--report] QUOTE.json
 *       reprice the quote against the book DIR: print the new revision
 *       (status draft, revision + 1), or with --report the change report.
 *
 * Exit 0 with the document on stdout; 1 with an error document
 * {"errors": [{"code", "message", "path"}]} on stdout for an illegal
 * transition (code ILLEGAL_TRANSITION) or a quote that cannot be repriced
 * (the quote's error document, e.g. UNKNOWN_SKU); 2 with
 * `file:line:col: message` on stderr when the book or the document cannot
 * be read (a missing or bad field of the document included), and on usage
 * errors.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/quote.h"
#include "cli.h"
#include "jsonout.h"

static int
write_out(const char *doc, size_t len)
{
	if (fwrite(doc, 1, len, stdout) != len || fflush(stdout) != 0) {
		perror("b2b quote: stdout");
		return CLI_UNREADABLE;
	}
	return CLI_OK;
}

/* {"errors": [{"code", "message", "path"}]} for a refused transition. */
static int
print_refusal(b2b_ctx *ctx, const char *code, const char *message, const char *path)
{
	const char *doc = NULL;
	size_t len = 0;
	jout w;
	int rc;

	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "errors");
	jout_begin_array(&w);
	jout_begin_object(&w);
	jout_key(&w, "code");
	jout_str(&w, code);
	jout_key(&w, "message");
	jout_str(&w, message);
	jout_key(&w, "path");
	jout_str(&w, path);
	jout_end_object(&w);
	jout_end_array(&w);
	jout_end_object(&w);
	rc = jout_finish(&w, &doc, &len);
	if (rc < 0) {
		fprintf(stderr, "b2b quote: %s\n", b2b_strerror(rc));
		jout_free(&w);
		return CLI_UNREADABLE;
	}
	rc = write_out(doc, len) == CLI_OK ? CLI_REJECTED : CLI_UNREADABLE;
	jout_free(&w);
	return rc;
}

/* A document that cannot be read: `file:line:col: message` (exit 2). */
static int
print_unreadable(b2b_ctx *ctx, const char *name, int rc)
{
	if (b2b_ctx_errline(ctx) > 0)
		fprintf(stderr, "%s:%ld:%ld: %s\n", name, b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx),
		        b2b_ctx_errmsg(ctx));
	else
		fprintf(stderr, "%s: %s\n", name,
		        b2b_ctx_errmsg(ctx)[0] != '\0' ? b2b_ctx_errmsg(ctx) : b2b_strerror(rc));
	return CLI_UNREADABLE;
}

int
cmd_quote_transition(int argc, char **argv)
{
	const char *dir = NULL, *event = NULL, *as_of_text = NULL, *path = NULL, *v, *name;
	const char *out = NULL;
	const b2b_quote_doc *doc = NULL;
	const b2b_quote_transition *tr = NULL;
	const b2b_quote_repricing *rev = NULL;
	b2b_quote_event ev = B2B_QUOTE_SUBMIT;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	b2b_time as_of;
	char *text = NULL;
	size_t len = 0, outlen = 0, errpos = 0;
	int i, rc, bad = 0, reprice = 0, report = 0, status = CLI_UNREADABLE, options = 1;

	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
		} else if (options && (v = cli_opt(argc, argv, &i, "book", &bad)) != NULL) {
			dir = v;
		} else if (options && !bad &&
		           (v = cli_opt(argc, argv, &i, "transition", &bad)) != NULL) {
			event = v;
		} else if (options && !bad && (v = cli_opt(argc, argv, &i, "as-of", &bad)) != NULL) {
			as_of_text = v;
		} else if (bad) {
			return CLI_UNREADABLE;
		} else if (options && strcmp(argv[i], "--reprice") == 0) {
			reprice = 1;
		} else if (options && strcmp(argv[i], "--report") == 0) {
			report = 1;
		} else if (options && cli_is_help(argv[i])) {
			cmd_quote_usage(stdout);
			return CLI_OK;
		} else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_bad_arg("quote", argv[i], NULL);
		} else if (path != NULL) {
			return cli_usage_error("quote", "unexpected argument '%s': one "
			                       "QUOTE.json at a time", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (event != NULL && reprice)
		return cli_usage_error("quote", "--transition and --reprice exclude each other");
	if (report && !reprice)
		return cli_usage_error("quote", "--report needs --reprice");
	if (reprice && dir == NULL)
		return cli_usage_error("quote", "--reprice needs --book DIR");
	if (path == NULL)
		return cli_usage_error("quote", "missing QUOTE.json");
	if (event != NULL && b2b_quote_event_parse(&ev, event, strlen(event)) < 0)
		return cli_usage_error("quote", "unknown event '%s': not one of submit approve "
		                       "reject send accept decline order expire cancel", event);
	if (as_of_text != NULL &&
	    b2b_time_parse(&as_of, &errpos, as_of_text, strlen(as_of_text)) < 0) {
		fprintf(stderr, "b2b quote: --as-of '%s': expected YYYY-MM-DD or "
		        "YYYY-MM-DDThh:mm:ssZ (at character %zu)\n", as_of_text, errpos + 1);
		return CLI_UNREADABLE;
	}
	name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (reprice && cli_load_book(&book, dir) != CLI_OK)
		return CLI_UNREADABLE;
	if ((text = cli_read_file(path, &len)) == NULL)
		goto done;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b quote: out of memory\n", stderr);
		goto done;
	}
	if ((rc = b2b_quote_doc_parse(&doc, ctx, text, len)) < 0) {
		status = print_unreadable(ctx, name, rc);
		goto done;
	}
	if (!reprice) {
		rc = b2b_quote_doc_apply(&tr, ctx, doc, ev, as_of_text != NULL ? &as_of : NULL);
		if (rc == 0 && !b2b_quote_transition_allowed(tr)) {
			status = print_refusal(ctx, "ILLEGAL_TRANSITION", b2b_quote_transition_message(tr),
			                       "status");
			goto done;
		}
		if (rc < 0 ||
		    (rc = b2b_quote_doc_to_json(&out, &outlen, ctx, b2b_quote_transition_doc(tr))) < 0) {
			status = print_unreadable(ctx, name, rc);
			goto done;
		}
		status = write_out(out, outlen);
		goto done;
	}
	rc = b2b_quote_doc_reprice(&rev, ctx, book, doc, as_of_text != NULL ? &as_of : NULL, NULL);
	if (rc == 0 && b2b_quote_repricing_path(rev) != NULL) {
		status = print_refusal(ctx, "ILLEGAL_TRANSITION", b2b_quote_repricing_message(rev),
		                       b2b_quote_repricing_path(rev));
		goto done;
	}
	if (rc == 0 && !b2b_quote_repricing_ok(rev)) {
		if (b2b_quote_to_json(&out, &outlen, ctx, b2b_quote_repricing_quote(rev)) < 0) {
			status = print_unreadable(ctx, name, B2B_ERROR);
			goto done;
		}
		status = write_out(out, outlen) == CLI_OK ? CLI_REJECTED : CLI_UNREADABLE;
		goto done;
	}
	if (rc < 0) {
		status = print_unreadable(ctx, name, rc);
		goto done;
	}
	rc = report ? b2b_quote_repricing_changes_to_json(&out, &outlen, ctx, rev)
	            : b2b_quote_doc_to_json(&out, &outlen, ctx, b2b_quote_repricing_doc(rev));
	if (rc < 0) {
		status = print_unreadable(ctx, name, rc);
		goto done;
	}
	status = write_out(out, outlen);
done:
	free(text);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
	return status;
}
