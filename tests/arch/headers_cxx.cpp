// The umbrella header compiles as C++ and links with C linkage.
#include <b2b.h>

int
main()
{
	return b2b_version() == B2B_VERSION_NUMBER ? 0 : 1;
}
