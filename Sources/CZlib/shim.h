// zlib, for reading gzip-compressed inputs (.csv.gz) with inflate (RFC 1952).
#include <zlib.h>
