// Numbers with units, as the scenario language writes times and sizes: `250ms`, `1.5ms`, `2s`,
// `64KiB`, `1MiB`. Values are exact integers (nanoseconds, bytes): a decimal fraction is allowed
// only when it comes out whole in the base unit, so `1.5ns` and `0.3B` are rejected. Each kind
// of quantity has a documented largest value (closesim/base/time.h), checked here where it is read.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "closesim/base/time.h"

namespace closesim::lang {

struct Unit {
  std::string_view suffix;
  std::int64_t scale;  // base units per one of this unit
};

// The units of one kind of quantity and the largest value it may take.
struct UnitSet {
  std::span<const Unit> units;
  std::int64_t max;
};

// `min` and `h` extend v1's units, for budgets such as `--max-time 24h`.
inline constexpr Unit kTimeUnitList[] = {{"ns", 1},           {"us", kMicrosecond},
                                         {"ms", kMillisecond}, {"s", kSecond},
                                         {"min", 60 * kSecond}, {"h", 3600 * kSecond}};
inline constexpr Unit kSizeUnitList[] = {{"B", 1}, {"KiB", 1024}, {"MiB", 1024 * 1024}};
inline constexpr UnitSet kTimeUnits{kTimeUnitList, kMaxDuration};
inline constexpr UnitSet kSizeUnits{kSizeUnitList, kMaxBytes};

struct Quantity {
  enum class Problem {
    None,
    NotANumber,   // does not start with digits, or a '.' without digits after it
    UnknownUnit,  // `unit` holds the suffix as written
    TooFine,      // the fraction is finer than the base unit
    TooLarge,     // above the set's max (or beyond 64 bits)
  };
  Problem problem = Problem::None;
  std::int64_t value = 0;  // in base units; meaningful when ok()
  std::string_view unit;   // the suffix as written, "" when there is none (scale 1)
  bool fraction = false;   // written with a decimal point
  bool ok() const { return problem == Problem::None; }
};

// DIGITS ['.' DIGITS] [UNIT]; no sign. A missing unit means scale 1.
Quantity parse_quantity(std::string_view text, const UnitSet& units);

// "at most 1000000s (about 11.6 days)" / "at most 1048576MiB (2^40 bytes)": for range hints.
std::string_view range_text(const UnitSet& units);

}  // namespace closesim::lang
