// Numbers with units, as the scenario language writes times and sizes: `250ms`, `1.5ms`, `2s`,
// `64KiB`, `1MiB`. Values are exact integers (nanoseconds, bytes): a decimal fraction is allowed
// only when it comes out whole in the base unit, so `1.5ns` and `0.3B` are rejected.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace closesim::lang {

struct Unit {
  std::string_view suffix;
  std::int64_t scale;  // base units per one of this unit
};

inline constexpr Unit kTimeUnits[] = {
    {"ns", 1}, {"us", 1000}, {"ms", 1000 * 1000}, {"s", 1000 * 1000 * 1000}};
inline constexpr Unit kSizeUnits[] = {{"B", 1}, {"KiB", 1024}, {"MiB", 1024 * 1024}};

struct Quantity {
  enum class Problem {
    None,
    NotANumber,   // does not start with digits, or a '.' without digits after it
    UnknownUnit,  // `unit` holds the suffix as written
    TooFine,      // the fraction is finer than the base unit
    TooLarge,     // does not fit in 64 bits
  };
  Problem problem = Problem::None;
  std::int64_t value = 0;  // in base units; meaningful when ok()
  std::string_view unit;   // the suffix as written, "" when there is none (scale 1)
  bool fraction = false;   // written with a decimal point
  bool ok() const { return problem == Problem::None; }
};

// DIGITS ['.' DIGITS] [UNIT]; no sign. A missing unit means scale 1.
Quantity parse_quantity(std::string_view text, std::span<const Unit> units);

}  // namespace closesim::lang
