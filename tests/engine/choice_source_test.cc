#include "closesim/engine/choice_source.h"

#include <doctest/doctest.h>

#include <vector>

namespace closesim {
namespace {

// The generator must match the splitmix64 reference output bit for bit: seeded runs are
// promised to be identical on every platform.
TEST_CASE("SeededChoice is splitmix64") {
  SeededChoice zero(0);
  CHECK(zero.next() == 0xe220a8397b1dcdafULL);
  CHECK(zero.next() == 0x6e789e6aa1b965f4ULL);
  CHECK(zero.next() == 0x06c45d188009454fULL);
  SeededChoice vigna(1234567);
  CHECK(vigna.next() == 6457827717110365317ULL);
  CHECK(vigna.next() == 3203168211198807973ULL);
  CHECK(vigna.next() == 9817491932198370423ULL);
}

TEST_CASE("SeededChoice::choose is the next draw modulo the number of options") {
  ChoiceContext ctx;
  ctx.options = {"a", "b", "c"};
  SeededChoice picker(0);
  SeededChoice raw(0);
  std::vector<int> seen(3, 0);
  for (int i = 0; i < 300; ++i) {
    std::size_t pick = picker.choose(ctx);
    CHECK(pick == raw.next() % 3);
    ++seen[pick];
  }
  for (int n : seen) CHECK(n > 50);  // every option comes up
}

TEST_CASE("FirstChoice always takes option 0") {
  ChoiceContext ctx;
  ctx.options = {"a", "b"};
  FirstChoice first;
  CHECK(first.choose(ctx) == 0);
}

}  // namespace
}  // namespace closesim
