// Virtual time: an integer count of nanoseconds since the start of a run. Nothing in closesim
// reads a wall clock; every duration a scenario names is converted to this unit exactly, so a
// run is reproducible to the nanosecond on every machine. Also the documented ranges of times
// and byte counts, and the arithmetic on them that can never overflow.
#pragma once

#include <cstdint>
#include <string>

namespace closesim {

using Time = std::int64_t;  // nanoseconds of virtual time

inline constexpr Time kNanosecond = 1;
inline constexpr Time kMicrosecond = 1000;
inline constexpr Time kMillisecond = 1000 * kMicrosecond;
inline constexpr Time kSecond = 1000 * kMillisecond;
inline constexpr Time kForever = INT64_MAX;

// The ranges every reader checks (README, "Limits"). A duration a user writes (a step time, a
// latency, a timeout, --max-time) is at most 10^6 s, about 11.6 days; a byte count (a send, a
// peer send, sndbuf, a rate per second) is at most 2^40 (1TiB). Both leave thousands of times
// of headroom below 2^63, so sums of a file's worth of them cannot overflow.
inline constexpr Time kMaxDuration = 1'000'000 * kSecond;
inline constexpr std::int64_t kMaxBytes = std::int64_t{1} << 40;

// a + b for non-negative a and b, saturating at kForever ("never") instead of overflowing.
constexpr Time add_time(Time a, Time b) {
  Time sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? kForever : sum;
}
// a * n for non-negative a and n, saturating at kForever.
constexpr Time scale_time(Time a, std::int64_t n) {
  Time product = 0;
  return __builtin_mul_overflow(a, n, &product) ? kForever : product;
}
// The time `bytes` take to leave at `rate` bytes per second, rounded up to a whole nanosecond;
// kForever when that does not fit. REQUIRES: bytes >= 0, rate > 0.
Time transmission_time(std::int64_t bytes, std::int64_t rate);
// a + b for byte counts, saturating at INT64_MAX.
constexpr std::int64_t add_bytes(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
}

// Exact rendering in the scenario language's units: "0", "15us", "62.5ms", "63.264039ms",
// "2s", "2.001s" (seconds only for whole milliseconds). Round-trips through the parser.
std::string format_time(Time t);

// Byte counts as a person writes them: "65536" stays a number; format_size gives "64KiB".
std::string format_size(std::int64_t bytes);

}  // namespace closesim
