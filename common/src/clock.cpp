#include "pmo/common/clock.h"

#include <atomic>
#include <random>

namespace pmo {

namespace {
// One random seed per process; threads derive theirs from it (opening the random
// device for every new thread is slow).
uint64_t ThreadSeed() {
  static const uint64_t process_seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  static std::atomic<uint64_t> counter{0};
  uint64_t z = process_seed + 0x9e3779b97f4a7c15ULL * (++counter) + static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;  // splitmix64 finaliser
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

std::string NewUuid() {
  thread_local std::mt19937_64 rng{ThreadSeed()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  char buf[37];
  snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
           static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
           static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

}  // namespace pmo
