/*
 * b2b price --book DIR --customer ID --sku SKU --qty Q --as-of T
 *           [--currency K] [--channel H] [--code C]...   (SPEC §8)
 *
 * Exit 0 with the price JSON on stdout; 1 with the error document on
 * stdout when the line cannot be priced (paths are the option names:
 * customer, sku, qty, as_of, currency; SPEC §9.7, §9.23 — a missing
 * option is MALFORMED at its path); 2 with `file:line:col: message`
 * lines on stderr when the book cannot be read (and on usage errors).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/price.h"
#include "cli.h"

static void
price_usage(FILE *f)
{
	fputs("usage: b2b price --book DIR --customer ID --sku SKU --qty Q --as-of T\n"
	      "                 [--currency K] [--channel H] [--code C]...\n"
	      "Price one line for a customer and print the price JSON (SPEC 4).\n"
	      "  --book DIR       the book directory\n"
	      "  --customer ID    the customer's id\n"
	      "  --sku SKU        the product\n"
	      "  --qty Q          the quantity (a decimal)\n"
	      "  --as-of T        the pricing date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ\n"
	      "  --currency K     the currency (default: the customer's, else base)\n"
	      "  --channel H      the sales channel (default: the customer's)\n"
	      "  --code C         a promotion code; repeat for more\n"
	      "exit 0: priced; 1: cannot be priced (the error document on stdout;\n"
	      "a missing --customer, --sku, --qty or --as-of is MALFORMED there);\n"
	      "2: the book cannot be read, or a usage error\n",
	      f);
}

/* The options that take a value, and the request setter of each. */
static const struct {
	const char *name;
	int (*set)(b2b_price_request *, const char *);
} options[] = {
	{ "customer", b2b_price_request_set_customer },
	{ "sku", b2b_price_request_set_sku },
	{ "qty", b2b_price_request_set_qty },
	{ "as-of", b2b_price_request_set_as_of },
	{ "currency", b2b_price_request_set_currency },
	{ "channel", b2b_price_request_set_channel },
	{ "code", b2b_price_request_add_code },
};

int
cmd_price(int argc, char **argv)
{
	const char *dir = NULL, *doc, *v;
	b2b_ctx *ctx = NULL;
	b2b_book *book = NULL;
	b2b_price_request *req = NULL;
	const b2b_price *p = NULL;
	size_t doclen = 0, k;
	int i, rc, bad = 0, status = CLI_UNREADABLE;
	unsigned seen = 0;

	if (b2b_ctx_new(&ctx, NULL) < 0 || b2b_price_request_new(&req, ctx) < 0) {
		fputs("b2b price: out of memory\n", stderr);
		goto done;
	}
	for (i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "book", &bad)) != NULL) {
			dir = v;
			continue;
		}
		for (k = 0; !bad && k < sizeof(options) / sizeof(options[0]); k++) {
			if ((v = cli_opt(argc, argv, &i, options[k].name, &bad)) == NULL)
				continue;
			/* only --code repeats: a second --qty would silently win */
			if (options[k].set != b2b_price_request_add_code && (seen & (1u << k)) != 0) {
				status = cli_usage_error("price", "--%s given twice", options[k].name);
				goto done;
			}
			seen |= 1u << k;
			if (options[k].set(req, v) < 0) {
				fputs("b2b price: out of memory\n", stderr);
				goto done;
			}
			break;
		}
		if (bad)
			goto done;
		if (k == sizeof(options) / sizeof(options[0])) {
			if (cli_is_help(argv[i])) {
				price_usage(stdout);
				status = CLI_OK;
			} else {
				status = cli_bad_arg("price", argv[i], NULL);
			}
			goto done;
		}
	}
	if (dir == NULL) {
		status = cli_usage_error("price", "missing --book DIR");
		goto done;
	}
	if (cli_load_book(&book, dir) != CLI_OK)
		goto done;
	rc = b2b_price_compute(&p, ctx, book, req, NULL);
	if (rc < 0) {
		fprintf(stderr, "b2b price: %s%s%s\n",
		        b2b_ctx_errmsg(ctx)[0] != '\0' ? b2b_ctx_errmsg(ctx) : b2b_strerror(rc),
		        b2b_ctx_errpath(ctx)[0] != '\0' ? " at " : "", b2b_ctx_errpath(ctx));
		goto done;
	}
	if (b2b_price_to_json(&doc, &doclen, ctx, p) < 0) {
		fprintf(stderr, "b2b price: %s\n", b2b_ctx_errmsg(ctx));
		goto done;
	}
	if (fwrite(doc, 1, doclen, stdout) != doclen || fflush(stdout) != 0) {
		perror("b2b price: stdout");
		goto done;
	}
	status = b2b_price_ok(p) ? CLI_OK : CLI_REJECTED;
done:
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	return status;
}
