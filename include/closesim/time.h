// Virtual time: an integer count of nanoseconds since the start of a run. Nothing in closesim
// reads a wall clock; every duration a scenario names is converted to this unit exactly, so a
// run is reproducible to the nanosecond on every machine.
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

// Exact rendering in the scenario language's units: "0", "15us", "62.5ms", "63.264039ms",
// "2s", "2.001s" (seconds only for whole milliseconds). Round-trips through the parser.
std::string format_time(Time t);

// Byte counts as a person writes them: "65536" stays a number; format_size gives "64KiB".
std::string format_size(std::int64_t bytes);

}  // namespace closesim
