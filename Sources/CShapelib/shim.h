// shapelib: .shp/.shx geometry and .dbf attribute access.
#include <shapefil.h>
