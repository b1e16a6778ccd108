// The races of one instant (sim/explore/races.h) found through each object's last write and
// reads agree with the definition taken pair by pair: every earlier event compared with every
// later one, and the happens-before closure built over all of them.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "explore/races.h"

using namespace closesim;
using namespace closesim::por;

namespace {

using Race = std::pair<std::size_t, std::size_t>;

// The definition, pair by pair: O(n^3), for small instants only.
std::vector<Race> races_by_pairs(const std::vector<InstantEvent>& events) {
  const std::size_t n = events.size();
  std::vector<Race> out;
  std::vector<std::vector<bool>> before(n, std::vector<bool>(n, false));
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<std::size_t> preds, dependents;
    for (std::size_t i = j; i-- > 0;)
      if (events[i].lane == events[j].lane) {
        preds.push_back(i);
        break;
      }
    if (events[j].creator < j) preds.push_back(events[j].creator);
    for (std::size_t i = 0; i < j; ++i)
      if (dependent(*events[i].footprint, *events[j].footprint)) dependents.push_back(i);
    for (std::size_t d = dependents.size(); d-- > 0;) {
      const std::size_t i = dependents[d];
      if (events[i].lane == events[j].lane) continue;
      bool ordered = false;
      for (std::size_t p : preds) ordered = ordered || p == i || before[p][i];
      for (std::size_t k : dependents) ordered = ordered || (k > i && before[k][i]);
      if (ordered) continue;
      out.emplace_back(i, j);
      break;
    }
    preds.insert(preds.end(), dependents.begin(), dependents.end());
    for (std::size_t p : preds) {
      before[j][p] = true;
      for (std::size_t q = 0; q < n; ++q)
        if (before[p][q]) before[j][q] = true;
    }
  }
  return out;
}

std::vector<Footprint> random_footprints(std::mt19937& rng, std::size_t n, unsigned objects) {
  std::vector<Footprint> out(n);
  for (Footprint& f : out) {
    f.everything = rng() % 23 == 0;
    const unsigned count = rng() % 4;
    for (unsigned k = 0; k < count; ++k)
      f.accesses.push_back(Access{rng() % objects + 1, rng() % 3 == 0});
    std::sort(f.accesses.begin(), f.accesses.end());
    f.accesses.erase(std::unique(f.accesses.begin(), f.accesses.end()), f.accesses.end());
  }
  return out;
}

}  // namespace

TEST_CASE("the races found through objects are the races of the pairwise definition") {
  std::mt19937 rng(12);
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 1 + rng() % 40;
    const std::vector<Footprint> footprints = random_footprints(rng, n, 1 + rng() % 6);
    std::vector<InstantEvent> events(n);
    for (std::size_t j = 0; j < n; ++j) {
      events[j].lane = static_cast<Lane>(rng() % 5);
      events[j].footprint = &footprints[j];
      if (j > 0 && rng() % 4 == 0) events[j].creator = rng() % j;
    }
    std::vector<Race> found;
    for_each_race(events, [&](std::size_t i, std::size_t j) { found.emplace_back(i, j); });
    const std::vector<Race> expected = races_by_pairs(events);
    INFO("round " << round << ", " << n << " events");
    CHECK(found == expected);
  }
}

// Larger instants: many lanes and objects keep most happens-before sets short (kept as lists),
// few objects make long chains (kept as bits), and both meet in merges.
TEST_CASE("the races of large instants are the races of the pairwise definition") {
  std::mt19937 rng(5);
  for (int round = 0; round < 12; ++round) {
    const std::size_t n = 120 + rng() % 130;
    const unsigned objects = round % 3 == 0 ? 3 : 40 + rng() % 400;
    const std::vector<Footprint> footprints = random_footprints(rng, n, objects);
    std::vector<InstantEvent> events(n);
    const unsigned lanes = round % 2 == 0 ? 4 : 100;
    for (std::size_t j = 0; j < n; ++j) {
      events[j].lane = static_cast<Lane>(rng() % lanes);
      events[j].footprint = &footprints[j];
      if (j > 0 && rng() % 4 == 0) events[j].creator = rng() % j;
    }
    std::vector<Race> found;
    for_each_race(events, [&](std::size_t i, std::size_t j) { found.emplace_back(i, j); });
    INFO("round " << round << ", " << n << " events, " << objects << " objects");
    CHECK(found == races_by_pairs(events));
  }
}

TEST_CASE("independent events of different lanes do not race; a write after a read does") {
  Footprint read_a{{Access{1, false}}, false};
  Footprint read_a2{{Access{1, false}}, false};
  Footprint write_a{{Access{1, true}}, false};
  std::vector<InstantEvent> events{{0, SIZE_MAX, &read_a}, {1, SIZE_MAX, &read_a2},
                                   {2, SIZE_MAX, &write_a}};
  std::vector<Race> found;
  for_each_race(events, [&](std::size_t i, std::size_t j) { found.emplace_back(i, j); });
  // The two reads commute; the write races with the last read only (the first read is not
  // ordered before the second, but the search needs one race per event).
  CHECK(found == std::vector<Race>{{1, 2}});
}
