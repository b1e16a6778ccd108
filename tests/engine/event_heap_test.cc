// The heap under the engine (renumbering, replace_top) and the callbacks it holds.
#include "engine/event_heap.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using closesim::EventCallback;
using closesim::engine_detail::before;
using closesim::engine_detail::Entry;
using closesim::engine_detail::EventHeap;
using closesim::engine_detail::make_key;

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
