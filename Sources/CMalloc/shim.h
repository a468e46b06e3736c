// glibc's allocator (malloc_trim), for CBCSolver to return a freed model's pages.
#if defined(__linux__)
#include <malloc.h>
#endif
