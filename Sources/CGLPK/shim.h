// GLPK (GNU Linear Programming Kit): simplex and branch-and-cut. Debian ships no pkg-config
// file for it, so the module map links "glpk" by name.
#include <glpk.h>
