#pragma once
/// \file
/// Stopping a long run cleanly on SIGINT (Ctrl-C) or SIGTERM: the signal handler only sets a
/// flag (the one async-signal-safe thing it may do); the training loop looks at the flag
/// after every step, writes a checkpoint and throws Interrupted, and the chapter program
/// exits with 128 + the signal number and tells how to resume.

#include <csignal>
#include <string>

#include "dlcore/core/error.hpp"

namespace dl {

/// Thrown by the training loop after it saved a checkpoint because a signal asked it to
/// stop. ChapterCli turns it into exit status 128 + signal (130 for SIGINT, 143 for SIGTERM).
struct Interrupted : Error {
  Interrupted(int signal_number, const std::string& what) : Error(what), signal(signal_number) {}
  int signal;  ///< SIGINT or SIGTERM
};

/// While alive, SIGINT and SIGTERM set a flag instead of ending the process; the previous
/// handlers come back when it is destroyed. Guards nest: only the outermost one installs
/// and restores. Not thread-safe to construct from several threads at once.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// The signal received since the last clear_interrupt() (0 if none).
int interrupt_signal();
/// Forget a received signal (tests, or a program that handled it).
void clear_interrupt();
/// "SIGINT", "SIGTERM", or "signal N".
std::string signal_name(int signal_number);

}  // namespace dl
