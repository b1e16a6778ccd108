// The views of real runs of bundled scenarios, through the runner: goldens of every format a
// person or CI reads (golden/runs/), the JSON outputs parsed back against docs/formats.md, and
// the Mermaid of every bundled scenario checked for structure. The fixture runs of the other
// report tests pin each renderer's details; these pin what `closesim run` and `closesim check`
// print for the files a user actually has.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "closesim/world/mutant.h"
#include "fixtures.h"

namespace closesim {
namespace {

using testing::Json;

// A run whose views are pinned: the file, the options it runs with, and the golden stem.
struct Pinned {
  const char* file;
  const char* stem;
  const char* mutant = "";  // a deliberate provider bug, run with --expectations=off
};

const Pinned kPinned[] = {
    {"scenarios/basics/graceful_close.scn", "graceful_close"},
    {"scenarios/linger/hard_close.scn", "hard_close"},
    {"scenarios/linger/linger_timeout.scn", "linger_timeout"},
    {"tests/fixtures/wrong_expectation.scn", "wrong_expectation"},  // an expectation fails
    {"scenarios/overlapped/abort_via_event.scn", "abort_via_event.hand-back-before-aborts",
     "hand-back-before-aborts"},  // rules are violated
};

// The suite of `closesim check`: passes, a file that does not parse and a failed expectation, in
// the order the command line runs them (sorted by path; tests/views/cli_goldens.sh compares).
const char* const kSuite[] = {
    "scenarios/basics/graceful_close.scn", "scenarios/linger/hard_close.scn",
    "scenarios/linger/linger_timeout.scn", "tests/fixtures/malformed.scn",
    "tests/fixtures/wrong_expectation.scn",
};

RunResult run_pinned(const Pinned& p) {
  RunOptions options;
  if (*p.mutant) {
    std::optional<Mutant> m = parse_mutant(p.mutant);
    REQUIRE_MESSAGE(m.has_value(), "unknown mutant " << p.mutant);
    options.mutant = *m;
    options.expectations = false;
  }
  return testing::run_bundled(p.file, options);
}

// Nothing a report prints may name the machine it ran on.
void check_no_machine_path(const std::string& what, const std::string& text) {
  INFO(what);
  CHECK(text.find(CLOSESIM_SOURCE_DIR) == std::string::npos);
  CHECK(text.find("/home/") == std::string::npos);
  CHECK(text.find("/tmp/") == std::string::npos);
}

// --- JSON lines (docs/formats.md, "JSON lines") ---------------------------------------------

enum class Type { String, Integer, Bool, Array };

bool has_type(const Json& v, Type t) {
  switch (t) {
    case Type::String: return v.kind == Json::Kind::String;
    case Type::Bool: return v.kind == Json::Kind::Bool;
    case Type::Array: return v.kind == Json::Kind::Array;
    case Type::Integer:
      return v.kind == Json::Kind::Number && v.number == static_cast<double>(static_cast<long long>(v.number));
  }
  return false;
}

using Fields = std::vector<std::pair<const char*, Type>>;

const Fields kRecordFields = {
    {"type", Type::String},    {"time_ns", Type::Integer}, {"seq", Type::Integer},
    {"kind", Type::String},    {"rule", Type::String},     {"actor", Type::String},
    {"process", Type::String}, {"handle", Type::Integer},  {"handle_name", Type::String},
    {"socket", Type::Integer}, {"peer", Type::String},     {"layer", Type::Integer},
    {"call", Type::String},    {"op", Type::String},       {"value", Type::Integer},
    {"value2", Type::Integer}, {"bytes", Type::Integer},   {"error", Type::Integer},
    {"error_name", Type::String}, {"text", Type::String},  {"line", Type::Integer},
};

const Fields kVerdictFields = {
    {"type", Type::String},     {"file", Type::String},        {"title", Type::String},
    {"verdict", Type::String},  {"exit_status", Type::Integer}, {"summary", Type::String},
    {"provider", Type::String}, {"profile", Type::String},     {"rules_mode", Type::String},
    {"schedule", Type::String}, {"mutant", Type::String},      {"end_time_ns", Type::Integer},
    {"events", Type::Integer},  {"records", Type::Integer},    {"failures", Type::Array},
    {"violations", Type::Array}, {"stuck", Type::Array},       {"diagnostics", Type::Array},
};

const Fields kFailureFields = {{"line", Type::Integer}, {"time_ns", Type::Integer}, {"message", Type::String},
                               {"schedule_dependent", Type::Bool}, {"text", Type::String}};
const Fields kViolationFields = {{"rule", Type::String},     {"time_ns", Type::Integer}, {"seq", Type::Integer},
                                 {"message", Type::String},  {"divergence", Type::Bool}, {"counts", Type::Bool},
                                 {"text", Type::String}};
const Fields kDiagnosticFields = {{"file", Type::String},    {"line", Type::Integer}, {"column", Type::Integer},
                                  {"length", Type::Integer}, {"message", Type::String}, {"hint", Type::String}};

// Every field of `fields` (and no other), in that order, each of its type.
void check_fields(const Json& o, const Fields& fields, const std::string& what) {
  INFO(what);
  REQUIRE(o.kind == Json::Kind::Object);
  REQUIRE(o.object.size() == fields.size());
  for (std::size_t k = 0; k < fields.size(); ++k) {
    INFO("field " << fields[k].first);
    CHECK(o.object[k].first == fields[k].first);
    CHECK(has_type(o.object[k].second, fields[k].second));
  }
}

Json parse_or_fail(std::string_view text, const std::string& what) {
  std::string error;
  std::optional<Json> v = testing::parse_json(text, &error);
  REQUIRE_MESSAGE(v.has_value(), what << ": " << error);
  return *v;
}

void check_json_lines(const RunResult& run, const std::string& text) {
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  std::vector<Json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(parse_or_fail(line, "JSON line " + std::to_string(lines.size() + 1)));
  REQUIRE(lines.size() == run.trace.size() + 1);
  double last_time = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const Json& o = lines[i];
    check_fields(o, kRecordFields, "record " + std::to_string(i));
    CHECK(o.get("type")->string == "record");
    CHECK(o.get("seq")->number == static_cast<double>(i));
    CHECK(o.get("time_ns")->number >= last_time);  // records are ordered by (time, seq)
    last_time = o.get("time_ns")->number;
    CHECK(!o.get("kind")->string.empty());
    CHECK((o.get("handle")->number == 0) == o.get("handle_name")->string.empty());
    CHECK((o.get("socket")->number == 0) == o.get("peer")->string.empty());
    CHECK((o.get("error")->number == 0) == o.get("error_name")->string.empty());
  }
  const Json& v = lines.back();
  check_fields(v, kVerdictFields, "verdict");
  CHECK(v.get("type")->string == "verdict");
  CHECK(v.get("file")->string == run.scenario.file);
  CHECK(v.get("verdict")->string == verdict_name(report_verdict(run)));
  CHECK(v.get("exit_status")->number == report_exit_status(run));
  CHECK(v.get("summary")->string == verdict_line(run));
  CHECK(v.get("records")->number == static_cast<double>(run.trace.size()));
  for (const Json& f : v.get("failures")->array) check_fields(f, kFailureFields, "failure");
  for (const Json& f : v.get("violations")->array) {
    check_fields(f, kViolationFields, "violation");
    CHECK(f.get("seq")->number < static_cast<double>(run.trace.size()));
  }
  for (const Json& f : v.get("stuck")->array) CHECK(f.kind == Json::Kind::String);
  for (const Json& f : v.get("diagnostics")->array) check_fields(f, kDiagnosticFields, "diagnostic");
  CHECK(v.get("failures")->array.size() == run.failures.size());
  CHECK(v.get("violations")->array.size() == run.rules.violations.size());
}

// --- Chrome trace (docs/formats.md, "Chrome trace") ------------------------------------------

void check_chrome_trace(const RunResult& run, const std::string& text) {
  Json doc = parse_or_fail(text, "chrome trace");
  REQUIRE(doc.kind == Json::Kind::Object);
  REQUIRE(doc.get("traceEvents") != nullptr);
  REQUIRE(doc.get("traceEvents")->kind == Json::Kind::Array);
  CHECK(doc.get("displayTimeUnit")->string == "ns");
  const Json* other = doc.get("otherData");
  REQUIRE(other != nullptr);
  for (const char* key : {"file", "title", "verdict", "summary", "provider", "profile"}) {
    INFO("otherData." << key);
    REQUIRE(other->get(key) != nullptr);
    CHECK(other->get(key)->kind == Json::Kind::String);
  }
  CHECK(other->get("file")->string == run.scenario.file);
  CHECK(other->get("verdict")->string == verdict_name(report_verdict(run)));

  std::set<std::pair<double, double>> tracks;  // (pid, tid) named by thread_name
  std::set<double> processes;                  // pids named by process_name
  struct FlowStep {
    std::string ph, name;
    double ts;
  };
  std::map<double, std::vector<FlowStep>> flows;
  std::size_t slices = 0, violations = 0;
  const double end_us = static_cast<double>(run.end_time) / 1000.0;
  for (const Json& e : doc.get("traceEvents")->array) {
    REQUIRE(e.kind == Json::Kind::Object);
    for (const char* key : {"name", "ph", "pid", "tid"}) {
      INFO("event field " << key);
      REQUIRE(e.get(key) != nullptr);
    }
    const std::string ph = e.get("ph")->string, name = e.get("name")->string;
    INFO("event " << name << " (" << ph << ")");
    CHECK(has_type(*e.get("pid"), Type::Integer));
    CHECK(has_type(*e.get("tid"), Type::Integer));
    const double pid = e.get("pid")->number, tid = e.get("tid")->number;
    if (ph == "M") {
      CHECK((name == "process_name" || name == "thread_name" || name == "process_sort_index" ||
             name == "thread_sort_index"));
      REQUIRE(e.get("args") != nullptr);
      if (name == "process_name") processes.insert(pid);
      if (name == "thread_name") tracks.insert({pid, tid});
      continue;
    }
    REQUIRE(e.get("ts") != nullptr);
    const double ts = e.get("ts")->number;
    CHECK(ts >= 0);
    CHECK(ts <= end_us);
    CHECK(processes.count(pid) == 1);
    CHECK(tracks.count({pid, tid}) == 1);
    REQUIRE(e.get("args") != nullptr);
    if (ph == "X") {
      ++slices;
      REQUIRE(e.get("dur") != nullptr);
      CHECK(e.get("dur")->number >= 0);
      CHECK(ts + e.get("dur")->number <= end_us);
      CHECK(!e.get("cat")->string.empty());
    } else if (ph == "i") {
      const std::string s = e.get("s")->string;
      CHECK((s == "t" || s == "g"));
      if (s == "g") {
        ++violations;
        CHECK(e.get("cat")->string == "rule");
        CHECK(e.get("args")->get("text") != nullptr);
      }
    } else if (ph == "s" || ph == "t" || ph == "f") {
      CHECK(e.get("cat")->string == "flow");
      REQUIRE(e.get("id") != nullptr);
      flows[e.get("id")->number].push_back({ph, name, ts});
    } else {
      FAIL_CHECK("unexpected phase " << ph);
    }
    if (ph != "i" || e.get("s")->string != "g") {
      const Json* seq = e.get("args")->get("seq");
      REQUIRE(seq != nullptr);
      CHECK(seq->number < static_cast<double>(run.trace.size()));
    }
  }
  CHECK(slices > 0);
  CHECK(violations == (run.rules_mode == RulesMode::Off ? 0 : run.rules.violations.size()));
  // A flow is one "s", then any "t" steps, then one "f", in time order, under one name.
  for (const auto& flow : flows) {
    const auto& steps = flow.second;  // not a structured binding: INFO captures it
    INFO("flow " << flow.first << " " << steps.front().name);
    REQUIRE(steps.size() >= 2);
    CHECK(steps.front().ph == "s");
    CHECK(steps.back().ph == "f");
    for (std::size_t k = 1; k + 1 < steps.size(); ++k) CHECK(steps[k].ph == "t");
    for (std::size_t k = 1; k < steps.size(); ++k) {
      CHECK(steps[k].ts >= steps[k - 1].ts);
      CHECK(steps[k].name == steps.front().name);
    }
  }
  // At most one flow per overlapped operation (one that never completed nor was released has
  // nothing to point to).
  std::size_t issued = 0;
  for (const TraceRecord& r : run.trace.records()) issued += r.kind == RecordKind::OpIssued;
  CHECK(flows.size() <= issued);
}

// --- the tests -------------------------------------------------------------------------------

TEST_CASE("views of real runs match their goldens") {
  for (const Pinned& p : kPinned) {
    INFO("file " << std::string(p.file));
    RunResult run = run_pinned(p);
    const std::string stem = std::string("runs/") + p.stem;
    const std::string timeline = render_timeline(run), explain = render_timeline(run, TimelineOptions{true});
    const std::string json = render_json_lines(run), mermaid = render_mermaid(run),
                      chrome = render_chrome_trace(run);
    testing::check_golden(stem + ".timeline.txt", timeline);
    testing::check_golden(stem + ".explain.txt", explain);
    testing::check_golden(stem + ".jsonl", json);
    testing::check_golden(stem + ".mmd", mermaid);
    testing::check_golden(stem + ".chrome.json", chrome);
    for (const std::string* text : {&timeline, &explain, &json, &mermaid, &chrome})
      check_no_machine_path(p.file, *text);
    CHECK(timeline.rfind(std::string("scenario: ") + p.file + "\n", 0) == 0);
  }
}

TEST_CASE("the verdicts of the pinned runs are the ones the goldens show") {
  std::map<std::string, Verdict> expected = {
      {"graceful_close", Verdict::Pass},
      {"hard_close", Verdict::Pass},
      {"linger_timeout", Verdict::Pass},
      {"wrong_expectation", Verdict::Fail},
      {"abort_via_event.hand-back-before-aborts", Verdict::Fail},
  };
  for (const Pinned& p : kPinned) {
    INFO("file " << std::string(p.file));
    RunResult run = run_pinned(p);
    CHECK(report_verdict(run) == expected.at(p.stem));
    CHECK(report_verdict(run) == run.verdict());
  }
  RunResult wrong = run_pinned(kPinned[3]);
  CHECK(wrong.failures.size() == 1);
  CHECK(wrong.rules.violations.empty());
  RunResult mutant = run_pinned(kPinned[4]);
  CHECK(mutant.failures.empty());  // --expectations=off: only the rule checker speaks
  CHECK(!mutant.rules.violations.empty());
}

TEST_CASE("suite views of real runs match their goldens") {
  std::vector<RunResult> suite;
  for (const char* file : kSuite) suite.push_back(testing::run_bundled(file));
  REQUIRE(std::is_sorted(std::begin(kSuite), std::end(kSuite),
                         [](const char* a, const char* b) { return std::string_view(a) < b; }));
  REQUIRE(suite[3].verdict() == Verdict::Error);
  REQUIRE(suite[4].verdict() == Verdict::Fail);
  const std::string check = render_check_summary(suite), junit = render_junit(suite), tap = render_tap(suite),
                    rules = render_rule_coverage(rule_coverage(suite));
  testing::check_golden("runs/suite.check.txt", check);
  testing::check_golden("runs/suite.junit.xml", junit);
  testing::check_golden("runs/suite.tap", tap);
  testing::check_golden("runs/suite.rules.txt", rules);
  for (const std::string* text : {&check, &junit, &tap, &rules}) check_no_machine_path("suite", *text);
  // The line CI parses.
  CHECK(check.substr(check.rfind('\n', check.size() - 2) + 1) == "3 passed, 1 failed, 1 errors\n");
  CHECK(tap.rfind("TAP version 13\n1..5\n", 0) == 0);
}

TEST_CASE("the HTML report of one real run matches its golden") {
  std::vector<RunResult> suite;
  suite.push_back(testing::run_bundled("scenarios/linger/linger_timeout.scn"));
  // As `closesim report` makes it: with the same scenario under the other profile beside it.
  RunOptions windows;
  windows.profile = ProfileKind::Windows;
  std::vector<RunResult> other = {testing::run_bundled("scenarios/linger/linger_timeout.scn", windows)};
  other[0].scenario.profile = ProfileKind::Windows;
  const std::string html = render_html(suite, rule_coverage(suite), other);
  testing::check_golden("runs/linger_timeout.html", html);
  check_no_machine_path("html", html);
  // What a reader must see without hovering or unfolding anything: the close blocking, the timer
  // expiring, the RST, the handle handed back, each with its rule, on the timeline...
  for (const char* label : {">closesocket(s) [R9]<", "timer expired [R9]", "RST sent [R9]", "release s [R11]",
                            "sees RST [R9]"}) {
    INFO("label " << std::string(label));
    CHECK(html.find(label) != std::string::npos);
  }
  // ...and in the table of steps, with the why.
  const std::size_t table = html.find("<table class=\"steps\">");
  REQUIRE(table != std::string::npos);
  const std::string steps = html.substr(table, html.find("</table>", table) - table);
  for (const char* row : {"closesocket(s) blocks (linger {1,2}): waiting for the queue to drain",
                          "linger timer expired for s  [R9]", "RST sent on s  [R9]",
                          "closesocket(s) woken by R9", "WPUCloseSocketHandle(s)  [R11]",
                          "<b>R9</b>: the linger time ran out", "<b>R11</b>: a non-IFS provider hands s back"}) {
    INFO("row " << std::string(row));
    CHECK(steps.find(row) != std::string::npos);
  }
}

TEST_CASE("JSON lines of real runs have every documented field") {
  for (const Pinned& p : kPinned) {
    INFO("file " << std::string(p.file));
    RunResult run = run_pinned(p);
    check_json_lines(run, render_json_lines(run));
  }
  RunResult malformed = testing::run_bundled("tests/fixtures/malformed.scn");
  check_json_lines(malformed, render_json_lines(malformed));
}

TEST_CASE("Chrome traces of real runs are well-formed, with matched flows") {
  for (const Pinned& p : kPinned) {
    INFO("file " << std::string(p.file));
    RunResult run = run_pinned(p);
    check_chrome_trace(run, render_chrome_trace(run));
  }
}

TEST_CASE("every bundled scenario: machine formats parse back, Mermaid is balanced") {
  std::vector<std::string> files = testing::bundled_scenarios();
  REQUIRE(files.size() >= 20);
  for (const std::string& file : files) {
    CAPTURE(file);
    RunResult run = testing::run_bundled(file);
    check_json_lines(run, render_json_lines(run));
    check_chrome_trace(run, render_chrome_trace(run));
    CHECK(testing::check_mermaid(render_mermaid(run)) == "");
  }
}

TEST_CASE("views of a real run are the same on a second run") {
  const Pinned& p = kPinned[2];
  RunResult a = run_pinned(p), b = run_pinned(p);
  CHECK(render_timeline(a, TimelineOptions{true}) == render_timeline(b, TimelineOptions{true}));
  CHECK(render_chrome_trace(a) == render_chrome_trace(b));
  CHECK(render_mermaid(a) == render_mermaid(b));
}

}  // namespace
}  // namespace closesim
