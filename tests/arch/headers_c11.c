/* The umbrella header compiles alone under -std=c11 -pedantic -Werror. */
#include <b2b.h>

int
main(void)
{
	return b2b_version() == B2B_VERSION_NUMBER ? 0 : 1;
}
