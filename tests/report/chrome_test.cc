// Chrome Trace Event Format: well-formed JSON, named tracks, slices, flows and violations.
#include <map>
#include <set>

#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

using testing::Json;

Json parse(const std::string& text) {
  std::string error;
  auto v = testing::parse_json(text, &error);
  REQUIRE_MESSAGE(v.has_value(), error);
  REQUIRE(v->kind == Json::Kind::Object);
  return *v;
}

// Structural checks every chrome trace must pass.
void check_trace(const Json& doc) {
  REQUIRE(doc.get("traceEvents") != nullptr);
  CHECK(doc.get("displayTimeUnit")->string == "ns");
  std::set<std::pair<int, int>> named;
  std::map<double, std::vector<std::string>> flows;  // id -> phases in order
  for (const Json& e : doc.get("traceEvents")->array) {
    std::string ph = e.get("ph")->string;
    REQUIRE(e.get("pid") != nullptr);
    REQUIRE(e.get("name") != nullptr);
    int pid = static_cast<int>(e.get("pid")->number);
    int tid = e.get("tid") ? static_cast<int>(e.get("tid")->number) : 0;
    if (ph == "M") {
      if (e.get("name")->string == "thread_name") named.insert({pid, tid});
      continue;
    }
    REQUIRE(e.get("ts") != nullptr);
    CHECK(e.get("ts")->number >= 0);
    CHECK_MESSAGE(named.count({pid, tid}) == 1, "event on an unnamed track: " << e.get("name")->string);
    if (ph == "X") {
      REQUIRE(e.get("dur") != nullptr);
      CHECK(e.get("dur")->number >= 0);
    } else if (ph == "i") {
      std::string s = e.get("s")->string;
      CHECK((s == "t" || s == "g"));
    } else if (ph == "s" || ph == "t" || ph == "f") {
      flows[e.get("id")->number].push_back(ph);
    } else {
      FAIL("unexpected phase " << ph);
    }
  }
  for (const auto& [id, phases] : flows) {
    REQUIRE(phases.size() >= 2);
    CHECK(phases.front() == "s");
    CHECK(phases.back() == "f");
  }
}

std::size_t count_events(const Json& doc, const std::string& ph, const std::string& name_prefix) {
  std::size_t n = 0;
  for (const Json& e : doc.get("traceEvents")->array)
    if (e.get("ph")->string == ph && e.get("name")->string.rfind(name_prefix, 0) == 0) ++n;
  return n;
}

TEST_CASE("Chrome trace of the linger-timeout close") {
  std::string text = render_chrome_trace(testing::linger_timeout_run());
  testing::check_golden("linger_timeout.chrome.json", text);
  Json doc = parse(text);
  check_trace(doc);
  CHECK(count_events(doc, "X", "closesocket(s)") == 1);  // the blocked close
  CHECK(count_events(doc, "X", "recv(s, 1KiB)") == 1);   // the interrupted recv
  CHECK(count_events(doc, "X", "o1 WSARecv(s)") == 1);   // the pending operation
  CHECK(count_events(doc, "s", "o1") == 1);
  CHECK(count_events(doc, "f", "o1") == 1);
  for (const Json& e : doc.get("traceEvents")->array)
    if (e.get("ph")->string == "X" && e.get("name")->string == "closesocket(s)") {
      CHECK(e.get("ts")->number == 10000);
      CHECK(e.get("dur")->number == 2000000);
      CHECK(e.get("args")->get("woken_by")->string == "R9");
    }
}

TEST_CASE("Chrome trace of the failing hard close marks the violation") {
  std::string text = render_chrome_trace(testing::hard_close_run());
  testing::check_golden("hard_close.chrome.json", text);
  Json doc = parse(text);
  check_trace(doc);
  CHECK(count_events(doc, "i", "R11 violated") == 1);
  CHECK(doc.get("otherData")->get("verdict")->string == "fail");
}

TEST_CASE("Chrome trace of a late completion: its flow runs in time order") {
  // Pinned as a golden by bundled_runs_test (abort_via_event.hand-back-before-aborts).
  Json doc = parse(render_chrome_trace(testing::late_completion_run()));
  check_trace(doc);
  CHECK(count_events(doc, "i", "R5 violated") == 2);  // the completion and its event
  CHECK(doc.get("otherData")->get("verdict")->string == "fail");
  // Issue (0), then the release and the late completion (5ms), in that order.
  std::vector<std::string> phases;
  std::vector<double> ts;
  for (const Json& e : doc.get("traceEvents")->array)
    if (e.get("cat") && e.get("cat")->string == "flow") {
      phases.push_back(e.get("ph")->string);
      ts.push_back(e.get("ts")->number);
    }
  CHECK(phases == std::vector<std::string>{"s", "t", "f"});
  CHECK(ts == std::vector<double>{0, 5000, 5000});
}

TEST_CASE("Chrome trace of a file that does not parse") {
  Json doc = parse(render_chrome_trace(testing::parse_error_run()));
  check_trace(doc);
  CHECK(doc.get("otherData")->get("verdict")->string == "error");
}

}  // namespace
}  // namespace closesim
