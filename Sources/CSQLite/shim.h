// SQLite 3 (Debian's libsqlite3-dev), the container of OGC GeoPackage files; its R*Tree module
// holds the spatial index.
#include <sqlite3.h>
