#pragma once
/// \file
/// One allocator setting that matters for speed.

namespace dl {

/// Ask glibc to keep freed memory for reuse instead of returning it to the system.
///
/// Layers return fresh tensors (a batch of activations is a few hundred kilobytes), and by
/// default glibc hands such blocks back to the kernel when they are freed, so the next step's
/// allocation page-faults its memory in again: about 10% of an MLP epoch on the book's
/// machine. After this call freed blocks stay in the process and are reused. Chapter
/// programs and benchmarks call it at start-up; it changes no result.
void keep_freed_memory();

}  // namespace dl
