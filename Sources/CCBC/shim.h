// COIN-OR CBC (branch-and-cut MIP solver) through its C interface; found with pkg-config "cbc".
#include <coin/Cbc_C_Interface.h>
