// The record of which lanes were options where, that the reduced search reads instead of copying
// every choice point's options.
#include "explore/offers.h"

#include <doctest/doctest.h>

namespace closesim::por {
namespace {

TEST_CASE("offer log: a lane is an option exactly inside its offers, joined when they touch") {
  OfferLog log;
  // Instant at 5: choice points 0..2. Lane 1 runs at choice 0, lane 2's event chosen at 1 stood
  // since 0, lane 3 ran alone after choice 2.
  log.add(1, 5, 0, 1);
  log.add(2, 5, 0, 2);
  log.add(1, 5, 1, 3);  // lane 1's next event took its place at once: one span [0, 3)
  log.add(3, 5, 0, 3);
  // Instant at 9: choice points 3 and 4; lane 2 withdrawn after choice 3.
  log.add(2, 9, 3, 4);
  log.add(4, 9, 3, 5);
  log.add(1, 9, 4, 5);
  CHECK(log.offered(1, 0));
  CHECK(log.offered(1, 2));
  CHECK_FALSE(log.offered(1, 3));
  CHECK(log.offered(1, 4));
  CHECK(log.offered(2, 1));
  CHECK_FALSE(log.offered(2, 2));
  CHECK(log.offered(2, 3));
  CHECK_FALSE(log.offered(2, 4));
  CHECK_FALSE(log.offered(7, 0));
  CHECK(log.met(4));
  CHECK_FALSE(log.met(0));
  CHECK_FALSE(log.met(99));
  CHECK(log.options_at(0) == std::vector<Lane>{1, 2, 3});
  CHECK(log.options_at(1) == std::vector<Lane>{1, 2, 3});
  CHECK(log.options_at(2) == std::vector<Lane>{1, 3});
  CHECK(log.options_at(3) == std::vector<Lane>{2, 4});
  CHECK(log.options_at(4) == std::vector<Lane>{1, 4});
  CHECK(log.options_at(5).empty());
}

TEST_CASE("offer log: two instants at one time keep their choice points apart") {
  OfferLog log;
  // The last event of an instant may schedule more for the same time: a second instant then,
  // whose offers start where the first one's choice points end.
  log.add(0, 3, 0, 1);
  log.add(1, 3, 0, 1);
  log.add(2, 3, 1, 2);
  log.add(3, 3, 1, 2);
  CHECK(log.options_at(0) == std::vector<Lane>{0, 1});
  CHECK(log.options_at(1) == std::vector<Lane>{2, 3});
}

}  // namespace
}  // namespace closesim::por
