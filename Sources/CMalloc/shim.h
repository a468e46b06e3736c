// glibc's allocator tunables (mallopt), for the CLI's arena setting.
#include <malloc.h>
