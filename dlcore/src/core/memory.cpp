#include "dlcore/core/memory.hpp"

#include <malloc.h>

namespace dl {

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 512 << 20);  // serve blocks below 512 MB from the heap...
  mallopt(M_TRIM_THRESHOLD, 1 << 30);    // ...and do not shrink the heap after each free
}

}  // namespace dl
