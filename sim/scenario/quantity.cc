#include "scenario/quantity.h"

#include <numeric>
#include <string_view>

#include "scenario/lexer.h"

namespace closesim::lang {

namespace {

// Accumulates decimal digits; false on overflow.
bool to_int(std::string_view digits, std::int64_t& out) {
  std::int64_t v = 0;
  for (char c : digits) {
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v)) return false;
  }
  out = v;
  return true;
}

}  // namespace

Quantity parse_quantity(std::string_view text, const UnitSet& set) {
  Quantity q;
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0) {
    q.problem = Quantity::Problem::NotANumber;
    return q;
  }
  std::string_view whole = text.substr(0, i);
  std::string_view frac;
  if (i < text.size() && text[i] == '.') {
    std::size_t j = i + 1;
    while (j < text.size() && is_digit(text[j])) ++j;
    if (j == i + 1) {
      q.problem = Quantity::Problem::NotANumber;
      return q;
    }
    frac = text.substr(i + 1, j - i - 1);
    q.fraction = true;
    i = j;
  }
  q.unit = text.substr(i);
  std::int64_t scale = 1;
  if (!q.unit.empty()) {
    bool found = false;
    for (const Unit& u : set.units) {
      if (u.suffix == q.unit) {
        scale = u.scale;
        found = true;
        break;
      }
    }
    if (!found) {
      q.problem = Quantity::Problem::UnknownUnit;
      return q;
    }
  }

  std::int64_t w = 0;
  if (!to_int(whole, w) || __builtin_mul_overflow(w, scale, &w)) {
    q.problem = Quantity::Problem::TooLarge;
    return q;
  }
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  std::int64_t part = 0;
  if (!frac.empty()) {
    // frac/10^k * scale must be whole: reduce scale/10^k first so nothing overflows.
    if (frac.size() > 18) {
      q.problem = Quantity::Problem::TooFine;
      return q;
    }
    std::int64_t f = 0;
    to_int(frac, f);  // at most 18 digits: fits
    std::int64_t pow10 = 1;
    for (std::size_t k = 0; k < frac.size(); ++k) pow10 *= 10;
    std::int64_t g = std::gcd(scale, pow10);
    std::int64_t num_scale = scale / g;
    std::int64_t den = pow10 / g;
    if (f % den != 0) {
      q.problem = Quantity::Problem::TooFine;
      return q;
    }
    if (__builtin_mul_overflow(f / den, num_scale, &part)) {
      q.problem = Quantity::Problem::TooLarge;
      return q;
    }
  }
  if (__builtin_add_overflow(w, part, &q.value) || q.value > set.max) {
    q.problem = Quantity::Problem::TooLarge;
    return q;
  }
  return q;
}

std::string_view range_text(const UnitSet& units) {
  if (units.max == kMaxDuration) return "at most 1000000s (about 11.6 days)";
  return "at most 1048576MiB (2^40 bytes)";
}

}  // namespace closesim::lang
