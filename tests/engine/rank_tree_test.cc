// The rank tree behind the engine's choice points, against a plain vector of marks.
#include "engine/rank_tree.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "closesim/engine/choice_source.h"

namespace closesim::engine_detail {
namespace {

TEST_CASE("rank tree: k-th mark, marked count, appends, set and clear agree with a vector") {
  SeededChoice rng(3);
  RankTree tree;
  std::vector<bool> marks;
  for (int round = 0; round < 4000; ++round) {
    const std::uint64_t what = rng.next() % 4;
    if (what == 0 || marks.empty()) {
      const bool mark = rng.next() % 2 == 0;
      tree.append(mark);
      marks.push_back(mark);
    } else {
      const std::size_t pos = rng.next() % marks.size();
      if (marks[pos]) {
        tree.clear(pos);
      } else {
        tree.set(pos);
      }
      marks[pos] = !marks[pos];
    }
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < marks.size(); ++i)
      if (marks[i]) positions.push_back(i);
    REQUIRE(tree.size() == marks.size());
    REQUIRE(tree.marked() == positions.size());
    // rank(p): the marks below p, so a marked position's rank is its index among the marks.
    const std::size_t probe = rng.next() % marks.size();
    REQUIRE(tree.rank(probe) == static_cast<std::size_t>(std::count(marks.begin(), marks.begin() + static_cast<std::ptrdiff_t>(probe), true)));
    if (!positions.empty()) {
      const std::size_t k = rng.next() % positions.size();
      REQUIRE(tree.rank(positions[k]) == k);
      REQUIRE(tree.kth(k) == positions[k]);
      REQUIRE(tree.kth(0) == positions.front());
      REQUIRE(tree.kth(positions.size() - 1) == positions.back());
    }
    if (round % 1000 == 999) {
      tree.reset();
      marks.clear();
      CHECK(tree.marked() == 0);
    }
  }
}

}  // namespace
}  // namespace closesim::engine_detail
