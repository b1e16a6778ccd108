// Schedules as text and as answers; the prefix source the DFS and replays are built on; shards.
#include <doctest/doctest.h>

#include "closesim/explore/explore.h"

namespace closesim {
namespace {

ChoiceContext context(std::size_t options) {
  ChoiceContext ctx;
  ctx.options.assign(options, "lane");
  return ctx;
}

TEST_CASE("a schedule is trimmed of trailing zeros and never written empty") {
  CHECK(trim_schedule({0, 1, 0, 0}) == Answers{0, 1});
  CHECK(trim_schedule({0, 0}).empty());
  CHECK(schedule_text({0, 1, 0, 2, 0}) == "0.1.0.2");
  CHECK(schedule_text({}) == "0");
  CHECK(schedule_text({0, 0, 0}) == "0");
}

TEST_CASE("schedules order shortest first, then lexicographically, ignoring trailing zeros") {
  CHECK(schedule_less({}, {1}));
  CHECK(schedule_less({2}, {0, 1}));
  CHECK(schedule_less({0, 1}, {1, 0, 0}) == false);  // {1} is shorter than {0, 1}
  CHECK(schedule_less({1, 0, 0}, {0, 1}));
  CHECK_FALSE(schedule_less({1, 0}, {1}));
  CHECK_FALSE(schedule_less({1}, {1, 0}));
}

TEST_CASE("PrefixChoice answers its prefix, then option 0, and records every point") {
  PrefixChoice c({1, 5});
  CHECK(c.choose(context(2)) == 1);
  CHECK(c.choose(context(3)) == 2);  // clamped to the last option
  CHECK(c.choose(context(4)) == 0);  // past the prefix
  REQUIRE(c.taken().size() == 3);
  CHECK(c.taken()[1].chosen == 2);
  CHECK(c.taken()[1].options == 3);
  CHECK(c.answers() == Answers{1, 2, 0});
}

TEST_CASE("RandomWalkChoice is a function of its seed") {
  RandomWalkChoice a(42), b(42);
  for (int i = 0; i < 50; ++i) CHECK(a.choose(context(3)) == b.choose(context(3)));
  CHECK(a.taken().size() == 50);
}

TEST_CASE("PctChoice with depth 1 keeps picking the same lane while it is an option") {
  // Lanes as an engine numbers them: A.main 0, A.t1 1, peer(s) 2, A.t2 3.
  PctChoice pct(7, 1, 10);
  ChoiceContext ctx;
  ctx.options.assign({"A.main", "A.t1"}, {0, 1});
  const std::size_t first = pct.choose(ctx);
  const std::string winner = ctx.options[first];
  const Lane winner_lane = ctx.options.lane(first);
  ctx.options.assign({"A.t1", "A.main"}, {1, 0});  // another order: the same lane still wins
  CHECK(ctx.options[pct.choose(ctx)] == winner);
  ctx.options.assign({"peer(s)", winner, "A.t2"}, {2, winner_lane, 3});
  const std::size_t third = pct.choose(ctx);
  if (third != 1) CHECK(ctx.options[third] != winner);  // a new lane may outrank it, only a new one
}

TEST_CASE("PctChoice change points demote the lane about to run, once and for good") {
  // Two lanes always due together, depth 2: one change point among the first two choices. The
  // lane on top runs until the change point demotes it; then the other runs for good.
  int switched = 0;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    PctChoice pct(seed, 2, 2);
    ChoiceContext ctx;
    ctx.options = {"a", "b"};
    std::vector<std::size_t> picks;
    for (int i = 0; i < 6; ++i) picks.push_back(pct.choose(ctx));
    int switches = 0;
    for (std::size_t i = 1; i < picks.size(); ++i) switches += picks[i] != picks[i - 1];
    CHECK(switches <= 1);
    if (switches == 1) {
      ++switched;
      CHECK(picks[1] != picks[0]);  // the change point was at choice 1
    }
  }
  CHECK(switched > 0);   // some seeds put the change point at choice 1...
  CHECK(switched < 64);  // ...and some at choice 0
}

TEST_CASE("shards are I/N with I below N") {
  CHECK(parse_shard("0/3").has_value());
  CHECK(parse_shard("2/3")->index == 2);
  CHECK(parse_shard("2/3")->count == 3);
  CHECK_FALSE(parse_shard("3/3"));
  CHECK_FALSE(parse_shard("0/0"));
  CHECK_FALSE(parse_shard("1"));
  CHECK_FALSE(parse_shard("/3"));
  CHECK_FALSE(parse_shard("1/"));
  CHECK_FALSE(parse_shard("a/3"));
  CHECK_FALSE(parse_shard("1/3x"));
  CHECK(shard_owns(Shard{1, 3}, 4));
  CHECK_FALSE(shard_owns(Shard{1, 3}, 5));
}

TEST_CASE("strategies have names") {
  CHECK(parse_strategy("dfs") == Strategy::Dfs);
  CHECK(parse_strategy("pct") == Strategy::Pct);
  CHECK(parse_strategy("random") == Strategy::Random);
  CHECK_FALSE(parse_strategy("bfs"));
  CHECK(strategy_name(Strategy::Pct) == "pct");
}

}  // namespace
}  // namespace closesim
