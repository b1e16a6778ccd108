// The text timeline and the verdict block of `closesim run`, with and without --explain.
#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

using testing::check_golden;

TEST_CASE("timeline of a passing linger-timeout close") {
  RunResult run = testing::linger_timeout_run();
  check_golden("linger_timeout.timeline.txt", render_timeline(run));
  check_golden("linger_timeout.explain.txt", render_timeline(run, TimelineOptions{true}));
}

TEST_CASE("timeline of a failing hard close") {
  RunResult run = testing::hard_close_run();
  check_golden("hard_close.timeline.txt", render_timeline(run));
  check_golden("hard_close.explain.txt", render_timeline(run, TimelineOptions{true}));
}

TEST_CASE("timeline of a file that does not parse") {
  check_golden("typo.timeline.txt", render_timeline(testing::parse_error_run()));
}

}  // namespace
}  // namespace closesim
