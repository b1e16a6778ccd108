// A compact text keeps what it was given across the short/long boundary, copies and moves, and
// reads like the std::string it replaced (comparisons, map keys, formatting).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <compare>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "closesim/base/trace.h"
#include "closesim/base/compact_text.h"

using closesim::CompactText;

TEST_CASE("a text is half a std::string and a record stays compact") {
  CHECK(sizeof(CompactText) == 16);
  CHECK(sizeof(closesim::TraceRecord) <= 136);
}

TEST_CASE("texts either side of the inline limit keep their bytes") {
  for (std::size_t n : {0u, 1u, 13u, 14u, 15u, 16u, 100u, 5000u}) {
    CAPTURE(n);
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
    const CompactText t = s;
    CHECK(t.size() == n);
    CHECK(t.empty() == (n == 0));
    CHECK(t == s);
    CHECK(std::string(t.c_str()) == s);  // NUL-terminated both ways
    CHECK((t.heap_bytes() == 0) == (n <= 14));
    CompactText copy = t;
    CHECK(copy == t);
    CompactText moved = std::move(copy);
    CHECK(moved == s);
    CHECK(copy.empty());  // NOLINT: a moved-from text is empty, by design
    moved = "short";
    CHECK(moved == "short");
    moved = t;
    CHECK(moved.str() == s);
  }
}

TEST_CASE("a text reads like a std::string") {
  const CompactText t = "peer#12 sent 1024";
  CHECK(t.starts_with("peer#"));
  CHECK(t.ends_with("1024"));
  CHECK(t.find("sent") == 8);
  CHECK(t.find('#') == 4);
  CHECK(t.substr(0, 7) == "peer#12");
  CHECK(t.rfind(' ') == 12);
  CHECK("x " + t == "x peer#12 sent 1024");
  CHECK(fmt::format("[{:>8}]", CompactText("dll")) == "[     dll]");
  std::ostringstream os;
  os << t;
  CHECK(os.str() == t.str());
  std::map<std::string, int> by_actor;
  by_actor[CompactText("A.main")] = 1;
  CHECK(by_actor.count(CompactText("A.main")) == 1);
  CHECK(CompactText("a") < CompactText("b"));
  CHECK(CompactText("") == "");
}

TEST_CASE("a transparent map finds a compact text by a std::string, a view or a literal") {
  std::map<CompactText, int, std::less<>> by_name;
  by_name.emplace(CompactText("A.main"), 1);
  by_name.emplace(CompactText("a name longer than fourteen"), 2);
  const std::string s = "a name longer than fourteen";
  CHECK(by_name.find(s)->second == 2);
  CHECK(by_name.find(std::string_view("A.main"))->second == 1);
  CHECK(by_name.find("A.main")->second == 1);
  CHECK(by_name.find(std::string("B")) == by_name.end());
  std::map<std::string, int, std::less<>> by_string{{"peer", 3}};
  CHECK(by_string.find(CompactText("peer"))->second == 3);
  CHECK((CompactText("b") <=> std::string("a")) == std::strong_ordering::greater);
}
