// The TIME column of a step, as written: `0`, `250ms`, `1.5ms`, `+5ms`, `then`, `0...2s`,
// `+0...+2s`, `then...+2s`, `A...*`, `*`. Resolving relative times needs the previous step, which the driver knows.
#pragma once

#include <optional>

#include "closesim/base/time.h"
#include "scenario/lexer.h"

namespace closesim::lang {

struct TimeSyntax {
  bool any = false;           // `*`
  bool relative = false;      // start is `+offset` from the previous step's start
  bool then = false;          // `then`: the previous step's instant, and after it
  Time start = 0;             // absolute start, or the offset when relative
  bool span = false;          // `A...B` or `A...*`: a blocking call
  bool end_any = false;       // `A...*`
  bool end_relative = false;  // `A...+d`: end is A's resolved start + d
  Time end = 0;               // absolute end, or the offset when end_relative
};

// Reads `tok` (a Word). Faults point inside the token where they can (at B in `A...B`).
std::optional<Fault> parse_time(const Token& tok, TimeSyntax& out);

}  // namespace closesim::lang
