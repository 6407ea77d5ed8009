#include "dlcore/core/interrupt.hpp"

#include <signal.h>

#include <string>

namespace dl {

namespace {

volatile std::sig_atomic_t g_signal = 0;  // written by the handler, read by the loop
int g_depth = 0;                          // nesting of InterruptGuards
struct sigaction g_old_int, g_old_term;

extern "C" void on_signal(int sig) { g_signal = sig; }  // async-signal-safe: one store

}  // namespace

InterruptGuard::InterruptGuard() {
  if (g_depth++ > 0) return;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // slow system calls (writes, reads) continue after the signal
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  if (--g_depth > 0) return;
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

int interrupt_signal() { return int(g_signal); }

void clear_interrupt() { g_signal = 0; }

std::string signal_name(int signal_number) {
  if (signal_number == SIGINT) return "SIGINT";
  if (signal_number == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal_number);
}

}  // namespace dl
