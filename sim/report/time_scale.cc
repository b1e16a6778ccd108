// The SVG timeline's time scale and axis labels (see time_scale.h).
#include "report/time_scale.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace closesim::report {

TimeScale::TimeScale(std::vector<Time> instants, double x0, double width) : x0_(x0) {
  std::sort(instants.begin(), instants.end());
  instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
  if (instants.empty() || instants.front() != 0) instants.insert(instants.begin(), 0);
  instants_ = instants;
  std::vector<Time> gaps;
  Time busy = 0;
  for (std::size_t i = 1; i < instants_.size(); ++i) {
    gaps.push_back(instants_[i] - instants_[i - 1]);
    busy += gaps.back();
  }
  broken_.assign(gaps.size(), false);
  std::vector<std::size_t> order(gaps.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return gaps[a] > gaps[b]; });
  std::size_t breaks = 0;
  for (std::size_t i : order) {
    Time rest = busy - gaps[i];
    if (breaks == 3 || rest <= 0 || gaps[i] <= 3 * rest) break;
    broken_[i] = true;
    busy = rest;
    ++breaks;
  }
  double scaled = width - static_cast<double>(breaks) * kBreakWidth;
  xs_.push_back(x0_);
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    double w = broken_[i] ? kBreakWidth : busy > 0 ? static_cast<double>(gaps[i]) / static_cast<double>(busy) * scaled : 0;
    xs_.push_back(xs_.back() + w);
  }
}

double TimeScale::x(Time t) const {
  auto it = std::lower_bound(instants_.begin(), instants_.end(), t);
  if (it == instants_.end()) return xs_.back();
  std::size_t i = static_cast<std::size_t>(it - instants_.begin());
  if (*it == t || i == 0) return xs_[i];
  double f = static_cast<double>(t - instants_[i - 1]) / static_cast<double>(instants_[i] - instants_[i - 1]);
  return xs_[i - 1] + f * (xs_[i] - xs_[i - 1]);
}

std::vector<TimeScale::Break> TimeScale::breaks() const {
  std::vector<Break> out;
  for (std::size_t i = 0; i < broken_.size(); ++i)
    if (broken_[i]) out.push_back({xs_[i], xs_[i + 1], instants_[i], instants_[i + 1]});
  return out;
}

std::vector<TimeScale::Region> TimeScale::regions() const {
  std::vector<Region> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= broken_.size(); ++i) {
    if (i == broken_.size() || broken_[i]) {
      out.push_back({instants_[start], instants_[i], xs_[start], xs_[i]});
      start = i + 1;
    }
  }
  return out;
}

AxisUnit axis_unit(const std::vector<Time>& times) {
  Time top = 0;
  bool whole_ms = true;
  for (Time t : times) {
    top = std::max(top, t);
    whole_ms = whole_ms && t % kMillisecond == 0;
  }
  // Seconds only when every label is a whole number of milliseconds, so that no label needs more
  // than three decimals; otherwise the finest unit that the largest time is written in.
  if (top >= kSecond && whole_ms) return AxisUnit::S;
  if (top >= kMillisecond) return AxisUnit::Ms;
  if (top >= 1000) return AxisUnit::Us;
  return AxisUnit::Ns;
}

std::string axis_label(Time t, AxisUnit unit) {
  if (t == 0) return "0";
  const char* name = unit == AxisUnit::S ? "s" : unit == AxisUnit::Ms ? "ms" : unit == AxisUnit::Us ? "us" : "ns";
  const Time per = unit == AxisUnit::S ? kSecond : unit == AxisUnit::Ms ? kMillisecond : unit == AxisUnit::Us ? 1000 : 1;
  const bool negative = t < 0;
  const std::uint64_t v = negative ? static_cast<std::uint64_t>(-(t + 1)) + 1 : static_cast<std::uint64_t>(t);
  const std::uint64_t p = static_cast<std::uint64_t>(per);
  std::string out = fmt::format("{}{}", negative ? "-" : "", v / p);
  std::uint64_t frac = v % p;
  if (frac != 0) {
    int digits = 0;
    for (std::uint64_t q = p; q > 1; q /= 10) ++digits;
    std::string f = fmt::format("{:0{}}", frac, digits);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + name;
}

}  // namespace closesim::report
