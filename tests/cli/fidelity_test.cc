// `closesim fidelity`'s page: a case's cells from the runs under both profiles, the tables, the
// splice between the page's markers and the diff that --check prints.
#include <doctest/doctest.h>

#include "cli/fidelity_command.h"
#include "closesim/run/runner.h"

using namespace closesim;
using namespace closesim::cli;

namespace {

// C51's scenario in small: under windows the unread data resets (a divergence from R7); under the
// documented profile the close is graceful, so its RST expectation fails.
const char* kUnreadData =
    "# C51 [ISSUE]: unread data resets\n"
    "title \"unread data resets\"\n"
    "profile windows\n"
    "0        A.main   s = socket(tcp)                       = ok\n"
    "0        A.main   connect(s)                            = 0\n"
    "1ms      peer(s)  send 100\n"
    "5ms      A.main   closesocket(s)                        = 0\n"
    "6ms      expect   peer(s) sees RST\n";

RunResult run_as(ProfileKind profile) {
  RunOptions options;
  options.profile = profile;
  return run_source("unread.scn", kUnreadData, options);
}

CaseIndex small_index() {
  CaseIndexRead read = parse_case_index("cases.tsv",
                                        "C8\t[WIN-TEST]\tyes\t-\tlinger | mechanics\n"
                                        "C12\t[DOC]\tyes\tan NT 4.0 bug\told linger\n"
                                        "C51\t[ISSUE]\tyes\t-\tunread data resets\n");
  REQUIRE(read.ok());
  return read.index;
}

}  // namespace

TEST_CASE("a scenario's cells: its windows verdict, and how the documented profile parts from it") {
  const ScenarioFidelity f = judge_fidelity(run_as(ProfileKind::Windows), run_as(ProfileKind::Documented), "");
  CHECK(f.windows == "PASS");
  CHECK(f.windows_pass);
  CHECK(f.documented == "differs: FAIL (1 expectation); R7 diverges");
  // The same run under both profiles: nothing parts.
  const RunResult doc = run_as(ProfileKind::Documented);
  const ScenarioFidelity same = judge_fidelity(doc, doc, "pass");
  CHECK(same.windows_pass == false);
  CHECK(same.wine == "pass");
}

TEST_CASE("the tables: a case citing two scenarios has two rows, a case without one says so") {
  const CaseIndex idx = small_index();
  std::vector<CitingScenario> citing = {
      {"scenarios/windows/a.scn", cited_cases("# C51 and C8\n")},
      {"scenarios/windows/b.scn", cited_cases("# C51\n")},
  };
  FidelityPage page;
  page.cases = scenarios_by_case(idx, citing);
  page.scenarios["scenarios/windows/a.scn"] = {"PASS", true, "same (PASS)", "fail; line 3: none (FIN)"};
  page.scenarios["scenarios/windows/b.scn"] = {"FAIL (1 expectation)", false, "same (PASS)", ""};
  page.uncited = {"scenarios/windows/c.scn"};
  const std::string text = render_fidelity(page);
  CHECK(text.starts_with("3 cases of the catalogue: 1 covered by scenarios that pass under profile windows, "
                         "1 with a scenario that does not pass, 0 in scope with no scenario yet, 1 out of scope."));
  CHECK(text.find("| C8 | [WIN-TEST] | linger \\| mechanics | `scenarios/windows/a.scn` | PASS | same (PASS) | "
                  "fail; line 3: none (FIN) |\n") != std::string::npos);
  CHECK(text.find("| C51 | [ISSUE] | unread data resets | `scenarios/windows/a.scn` |") != std::string::npos);
  CHECK(text.find("| C51 | [ISSUE] | unread data resets | `scenarios/windows/b.scn` | FAIL (1 expectation) | "
                  "same (PASS) | — |\n") != std::string::npos);
  CHECK(text.find("| C12 | [DOC] | yes | an NT 4.0 bug | old linger | — |\n") != std::string::npos);
  CHECK(text.find("- `scenarios/windows/c.scn`\n") != std::string::npos);
  REQUIRE(open_cases(page).size() == 1);
  CHECK(open_cases(page)[0]->entry->number == 51);

  FidelityPage empty;
  empty.cases = scenarios_by_case(idx, {});
  CHECK(render_fidelity(empty).find("| C8 | [WIN-TEST] | linger \\| mechanics | — | no scenario yet | — | — |\n") !=
        std::string::npos);
  CHECK(open_cases(empty).size() == 2);
  CHECK(render_fidelity(empty) == render_fidelity(empty));  // no clock, no unordered walk
}

TEST_CASE("the generated part goes between the markers; the rest of the page is kept") {
  const std::string page = "# Title\nprose\n" + std::string(kFidelityBegin) + "\nold table\n" +
                           std::string(kFidelityEnd) + "\n## Wine\nkept\n";
  std::string error;
  const std::optional<std::string> now = splice_fidelity(page, "new table\n", error);
  REQUIRE(now);
  CHECK(*now == "# Title\nprose\n" + std::string(kFidelityBegin) + "\n\nnew table\n\n" +
                    std::string(kFidelityEnd) + "\n## Wine\nkept\n");
  CHECK(splice_fidelity(*now, "new table\n", error) == now);  // a fixed point: --check passes
  CHECK_FALSE(splice_fidelity("# no markers\n", "x", error));
  CHECK(error == "has no begin marker line");
  CHECK_FALSE(splice_fidelity(std::string(kFidelityEnd) + "\n" + std::string(kFidelityBegin) + "\n", "x", error));
  CHECK(error == "has no end marker after the begin marker line");
}

TEST_CASE("--check's diff shows only the lines that changed, with their numbers") {
  CHECK(line_diff("a\nb\nc\n", "a\nb\nc\n").empty());
  CHECK(line_diff("a\nb\nc\nd\n", "a\nx\nc\nd\ne\n") == "-2: b\n+2: x\n+5: e\n");
}

TEST_CASE("the Wine record: file, tab, outcome; comments skipped; paths compared normalised") {
  const auto record = parse_wine_record("# recorded\nscenarios/./windows/a.scn\tpass\nnot a line\n"
                                        "scenarios/windows/b.scn\tfail; line 10: 0\n");
  REQUIRE(record.size() == 2);
  CHECK(record.at("scenarios/windows/a.scn") == "pass");
  CHECK(record.at(normal_path("./scenarios/windows/b.scn")) == "fail; line 10: 0");
}
