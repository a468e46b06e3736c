// PROJ's transformation API and its bundled GeographicLib geodesic routines (Karney 2013).
#include <proj.h>
#include <geodesic.h>
