// cairo 2D graphics (Debian's libcairo2-dev): PNG through image surfaces, SVG through the SVG
// surface, both written to memory through stream callbacks.
#include <cairo/cairo.h>
#include <cairo/cairo-svg.h>
