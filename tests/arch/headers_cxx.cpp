// The public headers compile as C++ and link with C linkage: the quote
// lifecycle header alone first, then the umbrella header.
#include <b2b/quote_doc.h>
#include <b2b.h>

int
main()
{
	int (*parse)(const b2b_quote_doc **, b2b_ctx *, const char *, size_t) = b2b_quote_doc_parse;

	return b2b_version() == B2B_VERSION_NUMBER && parse != nullptr ? 0 : 1;
}
