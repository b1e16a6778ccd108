// Private to the report library: how the HTML report's SVG timeline maps virtual time to x, and
// how its time axis is labelled. Time runs to scale, except that an idle stretch much longer than
// everything else (a 2s linger after 1ms of traffic) is drawn as a fixed-width break.
#pragma once

#include <string>
#include <vector>

#include "closesim/base/time.h"

namespace closesim::report {

// Maps virtual time to x. An idle gap longer than three times all the rest (at most three such
// gaps) becomes a break of kBreakWidth pixels; the other gaps share the remaining width in
// proportion to their length.
class TimeScale {
 public:
  static constexpr double kBreakWidth = 90;

  // `instants` in any order, duplicates allowed; 0 is always one of them.
  TimeScale(std::vector<Time> instants, double x0, double width);

  // Exact at an instant; linear between two; the right end past the last.
  double x(Time t) const;

  struct Break {
    double x0, x1;
    Time from, to;
  };
  std::vector<Break> breaks() const;
  // The distinct instants, sorted.
  const std::vector<Time>& instants() const { return instants_; }

  // Stretches drawn to one linear scale: between the breaks.
  struct Region {
    Time from, to;
    double x0, x1;
  };
  std::vector<Region> regions() const;

 private:
  double x0_;
  std::vector<Time> instants_;
  std::vector<double> xs_;
  std::vector<bool> broken_;
};

// One unit for a whole axis, so that labels never mix "2.001s" and "2001.5ms": seconds when the
// largest time is at least 1s and every time is a whole number of milliseconds, else the unit
// of the largest time (ms, us, ns).
enum class AxisUnit { Ns, Us, Ms, S };
AxisUnit axis_unit(const std::vector<Time>& times);
// `t` in that unit with as many decimals as exactness needs: 0 -> "0"; on a ms axis 500us ->
// "0.5ms" and 2001.5ms -> "2001.5ms"; on an s axis 2001ms -> "2.001s".
std::string axis_label(Time t, AxisUnit unit);

}  // namespace closesim::report
