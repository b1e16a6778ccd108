#include "closesim/base/time.h"

#include <fmt/format.h>

namespace closesim {

namespace {

// Renders v / unit with as many decimals as needed to be exact (unit is a power of ten).
std::string exact(Time v, Time unit, const char* suffix) {
  Time whole = v / unit;
  Time frac = v % unit;
  if (frac == 0) return fmt::format("{}{}", whole, suffix);
  int digits = 0;
  for (Time u = unit; u > 1; u /= 10) ++digits;
  std::string f = fmt::format("{:0{}}", frac, digits);
  while (!f.empty() && f.back() == '0') f.pop_back();
  return fmt::format("{}.{}{}", whole, f, suffix);
}

}  // namespace

Time transmission_time(std::int64_t bytes, std::int64_t rate) {
  if (bytes <= 0 || rate <= 0) return 0;
  // Whole seconds first, then the remainder: rest < rate, so rest * 10^9 fits 128 bits and the
  // fraction is at most one second.
  __extension__ typedef unsigned __int128 Wide;
  const Time whole = scale_time(bytes / rate, kSecond);
  const Wide rest = static_cast<Wide>(bytes % rate);
  const Wide frac = (rest * kSecond + static_cast<Wide>(rate) - 1) / static_cast<Wide>(rate);
  return add_time(whole, static_cast<Time>(frac));
}

std::string format_time(Time t) {
  if (t == 0) return "0";
  if (t == kForever) return "forever";
  if (t < 0) return t == INT64_MIN ? "-forever" : "-" + format_time(-t);
  // Seconds only when they stay short ("2.001s"); otherwise milliseconds with as many decimals
  // as exactness needs ("63.264039ms" reads better than "63264.039us").
  if (t >= kSecond && t % kMillisecond == 0) return exact(t, kSecond, "s");
  if (t >= kMillisecond) return exact(t, kMillisecond, "ms");
  if (t >= kMicrosecond) return exact(t, kMicrosecond, "us");
  return fmt::format("{}ns", t);
}

std::string format_size(std::int64_t bytes) {
  if (bytes != 0 && bytes % (1024 * 1024) == 0) return fmt::format("{}MiB", bytes / (1024 * 1024));
  if (bytes != 0 && bytes % 1024 == 0) return fmt::format("{}KiB", bytes / 1024);
  return fmt::format("{}", bytes);
}

}  // namespace closesim
