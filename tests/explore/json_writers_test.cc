// Every JSON writer (JSON lines, Chrome trace, explore summary) writes valid JSON whatever bytes
// its strings hold: control characters escaped, invalid UTF-8 as U+FFFD. Each output is parsed
// back with nlohmann-json, which refuses invalid UTF-8 as Python's json module does. The
// summary reader (nlohmann-json underneath) takes surrogate pairs and refuses loose numbers.
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/report/report.h"
#include "closesim/run/runner.h"
#include "../support/support.h"

namespace closesim {
namespace {

using closesim::support::source_path;

// Control characters, JSON's own specials, and five kinds of invalid UTF-8 (a stray byte, an
// overlong NUL, an encoded surrogate, a truncated sequence, a code point past U+10FFFF) around
// valid two- and four-byte characters.
const std::string kHostile =
    "ctl \x01\x1f\x7f tab\t nl\n quote\" bs\\ stray \xff overlong \xC0\x80 surrogate \xED\xA0\x80 "
    "cut \xE2\x82 big \xF4\x90\x80\x80 ok \xC3\xA9 \xF0\x9F\x98\x80";
// What a reader gets back: each invalid byte one U+FFFD, everything valid unchanged.
const std::string kFffd = "\xEF\xBF\xBD";
const std::string kReadBack = "ctl \x01\x1f\x7f tab\t nl\n quote\" bs\\ stray " + kFffd + " overlong " +
                              kFffd + kFffd + " surrogate " + kFffd + kFffd + kFffd + " cut " + kFffd +
                              kFffd + " big " + kFffd + kFffd + kFffd + kFffd +
                              " ok \xC3\xA9 \xF0\x9F\x98\x80";

// A real run of the hard close under a mutant that breaks R5, with the hostile text in every
// string a scenario or run can carry into the output (and one failed expectation to carry it).
RunResult hostile_run() {
  RunOptions options;
  options.mutant = Mutant::HandBackBeforeAborts;
  options.expectations = false;
  RunResult run = run_file(source_path("scenarios/linger/hard_close.scn"), options);
  REQUIRE(!run.rules.violations.empty());
  run.failures.push_back(ExpectationFailure{7, 0, "", false});
  run.scenario.title = kHostile;
  run.scenario.file = kHostile;
  for (ExpectationFailure& f : run.failures) f.message = kHostile;
  for (Violation& v : run.rules.violations) v.message = kHostile;
  run.stuck.push_back(kHostile);
  Trace trace;
  trace.names() = run.trace.names();
  for (TraceRecord r : run.trace.records()) {
    r.text = kHostile;
    trace.append(r);
  }
  run.trace = trace;
  return run;
}

nlohmann::json parse(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    FAIL(e.what());
  }
  return {};
}

TEST_CASE("JSON lines of hostile text parse back, invalid UTF-8 as U+FFFD") {
  std::istringstream lines(render_json_lines(hostile_run()));
  std::size_t records = 0;
  nlohmann::json verdict;
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json o = parse(line);
    if (o["type"] == "record") {
      CHECK(o["text"] == kReadBack);
      ++records;
    } else {
      verdict = o;
    }
  }
  CHECK(records > 10);
  CHECK(verdict["title"] == kReadBack);
  CHECK(verdict["file"] == kReadBack);
  CHECK(verdict["failures"][0]["message"] == kReadBack);
  CHECK(verdict["violations"][0]["message"] == kReadBack);
  CHECK(verdict["stuck"].back() == kReadBack);
}

TEST_CASE("a Chrome trace of hostile text parses back, invalid UTF-8 as U+FFFD") {
  const RunResult run = hostile_run();
  nlohmann::json doc = parse(render_chrome_trace(run));
  CHECK(doc["otherData"]["title"] == kReadBack);
  CHECK(doc["otherData"]["file"] == kReadBack);
  std::size_t texts = 0, violations = 0;
  for (const nlohmann::json& e : doc["traceEvents"]) {
    if (!e.contains("args")) continue;
    if (e["args"].contains("text") && e["args"]["text"] == kReadBack) ++texts;
    if (e["args"].contains("message") && e["args"]["message"] == kReadBack) ++violations;
  }
  CHECK(texts > 0);
  CHECK(violations == run.rules.violations.size());  // one marker per violation
}

ExploreSummary hostile_summary() {
  ParseResult p = parse_scenario_file(source_path("scenarios/races/close_vs_blocking_recv.scn"));
  REQUIRE(p.ok());
  ExploreOptions options;
  options.run.mutant = Mutant::LeaveBlockedCall;
  ExploreSummary s = explore_scenario(p.scenario, options);
  REQUIRE(!s.classes.empty());
  s.title = kHostile;
  s.file = kHostile;
  s.classes[0].violations.push_back(kHostile);
  s.classes[0].signature.push_back(kHostile);
  return s;
}

TEST_CASE("an explore summary of hostile text parses back and reads back, invalid UTF-8 as U+FFFD") {
  const std::string text = summary_to_json(hostile_summary());
  nlohmann::json doc = parse(text);
  CHECK(doc["title"] == kReadBack);
  CHECK(doc["file"] == kReadBack);
  CHECK(doc["classes"][0]["violations"].back() == kReadBack);

  std::string error;
  std::optional<ExploreSummary> back = summary_from_json(text, &error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(back->title == kReadBack);
  CHECK(back->classes[0].signature.back() == kReadBack);
  CHECK(summary_to_json(*back) == text);  // what was read back is written as it was
}

// The summary with one field's value replaced by `value` (JSON text).
std::string with_field(const std::string& key, const std::string& value) {
  ParseResult p = parse_scenario_file(source_path("scenarios/races/close_vs_blocking_recv.scn"));
  REQUIRE(p.ok());
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(summary_to_json(explore_scenario(p.scenario, {})));
  doc[key] = nlohmann::ordered_json::parse(value);
  return doc.dump(2);
}

TEST_CASE("the summary reader takes escapes and surrogate pairs, and refuses loose values") {
  std::string error;
  std::optional<ExploreSummary> s = summary_from_json(with_field("title", R"("e\u0301 \ud83d\ude00 \/")"), &error);
  REQUIRE_MESSAGE(s.has_value(), error);
  CHECK(s->title == "e\xCC\x81 \xF0\x9F\x98\x80 /");

  CHECK_FALSE(summary_from_json(with_field("runs", "1.5"), &error));
  CHECK(error == "summary: \"runs\" must be a whole number");
  CHECK_FALSE(summary_from_json(with_field("runs", "-1"), &error));
  CHECK(error.find("\"runs\"") != std::string::npos);
  CHECK_FALSE(summary_from_json(with_field("runs", "18446744073709551616"), &error));
  CHECK(error.find("\"runs\"") != std::string::npos);
  CHECK_FALSE(summary_from_json(with_field("shard_count", "4294967296"), &error));
  CHECK(error.find("\"shard_count\"") != std::string::npos);
  CHECK_FALSE(summary_from_json(with_field("shards", "[0, \"1\"]"), &error));
  CHECK(error.find("\"shards\"") != std::string::npos);
  CHECK_FALSE(summary_from_json(with_field("truncated", "0"), &error));
  CHECK(error == "summary: \"truncated\" must be true or false");
  CHECK_FALSE(summary_from_json(with_field("classes", "{}"), &error));
  CHECK(error == "summary: \"classes\" must be a list");

  // Text that is not JSON: nlohmann-json's message with the place.
  CHECK_FALSE(summary_from_json("{\"title\": \"\\ud800\"}", &error));
  CHECK(error.find("line 1, column") != std::string::npos);
  CHECK_FALSE(summary_from_json("{\"title\": \"\xff\"}", &error));
  CHECK(error.find("UTF-8") != std::string::npos);
  CHECK(error.find("json.exception") == std::string::npos);
}

}  // namespace
}  // namespace closesim
