// The heap under the engine (renumbering, replace_top) and the callbacks it holds.
#include "engine/event_heap.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using closesim::EventCallback;
using closesim::engine_detail::before;
using closesim::engine_detail::Entry;
using closesim::engine_detail::EventHeap;
using closesim::engine_detail::make_key;

TEST_CASE("the heap's order is (time, key), lexicographic, with nothing equivalent") {
  // Written without short-circuits (event_heap.h): it must still be exactly this order.
  const closesim::Time times[] = {0, 1, 2, 1'000'000, closesim::Time{1} << 40, INT64_MAX};
  const std::uint64_t keys[] = {0, 1, make_key(0, 7), make_key(1, 0), make_key(3, 3),
                                UINT64_MAX - 1, UINT64_MAX};
  std::vector<Entry> all;
  for (closesim::Time t : times)
    for (std::uint64_t k : keys) all.push_back({t, k});
  for (const Entry& a : all) {
    CHECK_FALSE(before(a, a));
    for (const Entry& b : all) {
      const bool lexicographic = a.time < b.time || (a.time == b.time && a.key < b.key);
      CHECK(before(a, b) == lexicographic);
      if (a.time != b.time || a.key != b.key) CHECK(before(a, b) != before(b, a));
    }
  }
}

TEST_CASE("popping the heap gives its entries in order, whatever their pattern") {
  // The hole's way down picks the earlier child by arithmetic; odd and even sizes, ties, runs.
  for (std::uint32_t n : {1u, 2u, 3u, 4u, 5u, 16u, 17u, 255u, 1000u}) {
    CAPTURE(n);
    EventHeap heap;
    std::vector<Entry> pushed;
    for (std::uint32_t i = 0; i < n; ++i) {
      const Entry e{static_cast<closesim::Time>((i * 7919u) % 13u), make_key(i, i)};
      heap.push(e);
      pushed.push_back(e);
    }
    std::sort(pushed.begin(), pushed.end(), before);
    for (const Entry& want : pushed) {
      REQUIRE_FALSE(heap.empty());
      CHECK(heap.top().key == want.key);
      heap.pop();
    }
    CHECK(heap.empty());
  }
}

TEST_CASE("renumbering the heap's ranks keeps its order and its slots") {
  EventHeap heap;
  std::vector<Entry> pushed;
  for (std::uint32_t i = 0; i < 200; ++i) {
    // Ranks far apart, several entries per time.
    const Entry e{static_cast<closesim::Time>((i * 37) % 23), make_key(1'000'000 + 7 * i, i)};
    heap.push(e);
    pushed.push_back(e);
  }
  std::sort(pushed.begin(), pushed.end(), before);
  CHECK(heap.renumber(5) == 205);
  for (std::size_t k = 0; k < pushed.size(); ++k) {
    REQUIRE(!heap.empty());
    CHECK(heap.top().time == pushed[k].time);
    CHECK(heap.top().slot() == pushed[k].slot());
    CHECK(heap.top().rank() == 5 + k);
    heap.pop();
  }
  CHECK(heap.empty());
}

TEST_CASE("replace_top is a pop then a push") {
  EventHeap a;
  EventHeap b;
  for (std::uint32_t i = 0; i < 100; ++i) {
    const Entry e{static_cast<closesim::Time>((i * 53) % 41), make_key(i, i)};
    a.push(e);
    b.push(e);
  }
  for (std::uint32_t i = 100; i < 300; ++i) {
    const Entry e{a.top().time + static_cast<closesim::Time>((i * 29) % 17), make_key(i, i)};
    a.replace_top(e);
    b.pop();
    b.push(e);
    CHECK(a.top().key == b.top().key);
  }
}

TEST_CASE("an event callback holds small callables inline and boxes the rest") {
  int ran = 0;
  EventCallback small([&ran] { ++ran; });
  small();
  auto shared = std::make_shared<int>(0);
  {
    EventCallback big([shared, text = std::string(100, 'x'), &ran] { ran += static_cast<int>(text.size()); });
    CHECK(shared.use_count() == 2);
    EventCallback moved(std::move(big));
    CHECK_FALSE(big);
    moved();
    CHECK(shared.use_count() == 2);
    moved.reset();
    CHECK(shared.use_count() == 1);  // released on reset, not later
  }
  CHECK(ran == 101);
  CHECK_FALSE(EventCallback(std::function<void()>{}));
  CHECK(EventCallback(std::function<void()>([] {})));
}
