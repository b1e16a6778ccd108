// PCT's depth is bounded by the run's length: change points beyond the plain run's choice
// points cannot change a schedule, so a huge --depth explores exactly what depth k+1 does and
// costs no more memory.
#include <doctest/doctest.h>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

namespace closesim {
namespace {

TEST_CASE("a PCT depth past the run's choice points is clamped to them") {
  std::string path = CLOSESIM_SOURCE_DIR;
  path.append("/scenarios/races/close_vs_blocking_recv.scn");
  ParseResult p = parse_scenario_file(path);
  REQUIRE(p.ok());
  auto explore_at = [&](std::size_t depth) {
    ExploreOptions o;
    o.strategy = Strategy::Pct;
    o.pct.runs = 40;
    o.pct.seed = 7;
    o.pct.depth = depth;
    ExploreSummary s = explore_scenario(p.scenario, o);
    s.depth = 0;  // the requested depth is reported as given; compare what was explored
    return summary_to_json(s);
  };
  const std::string huge = explore_at(4'000'000'000);
  CHECK(huge == explore_at(1000));
  CHECK(huge == explore_at(999));
}

}  // namespace
}  // namespace closesim
