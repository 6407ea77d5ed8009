#pragma once
// For the sanitizer build (make test-asan, LeakSanitizer on): Open MPI keeps allocations
// until the process exits (its own buffers, its plugins', its progress thread's), which
// LeakSanitizer reports as leaks of every program that called MPI_Init. Include this header
// in exactly ONE source file of each such program (it defines the functions, which the
// sanitizer runtime looks for; other builds never call them):
//  - leaks allocated inside Open MPI's libraries, or in its progress thread (libevent's loop),
//    are suppressed; a leak of our own code is still reported;
//  - LeakSanitizer unwinds with DWARF (fast_unwind_on_malloc=0): Debian's Open MPI is built
//    without frame pointers, and the fast unwinder misattributes its frames;
//  - keep_openmpi_plugins_loaded(), before MPI_Init, keeps Open MPI's plugins (mca_*.so)
//    mapped until exit, so that their frames can be named at the leak check.
#include <cstdlib>

extern "C" const char* __lsan_default_suppressions() {
  return "leak:libmpi.so\nleak:libopen-pal.so\nleak:libopen-rte.so\nleak:event_base_loop\n";
}
extern "C" const char* __lsan_default_options() { return "fast_unwind_on_malloc=0"; }

namespace ch25 {
inline void keep_openmpi_plugins_loaded() {
  setenv("OMPI_MCA_mca_base_component_disable_dlclose", "1", 0);  // (an explicit setting wins)
}
}  // namespace ch25
