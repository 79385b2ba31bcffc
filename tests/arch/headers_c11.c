/*
 * The public headers compile under -std=c11 -pedantic -Werror: the quote
 * lifecycle header alone first (it includes what it needs), then the
 * umbrella header, which includes every public header.
 */
#include <b2b/quote_doc.h>
#include <b2b.h>

int
main(void)
{
	int (*parse)(const b2b_quote_doc **, b2b_ctx *, const char *, size_t) = b2b_quote_doc_parse;

	return b2b_version() == B2B_VERSION_NUMBER && parse != NULL ? 0 : 1;
}
