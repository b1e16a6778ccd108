// `closesim fidelity`: writes docs/fidelity.md's case table — every case of the index
// (docs/cases.tsv), the scenarios that cite it, whether each passes under profile windows,
// whether the documented profile parts from it, what Wine did (tests/real/wine_record.txt) —
// between the page's two marker lines, leaving the hand-written rest alone. `--check` fails with
// a diff when the page is stale; a scenario citing a case the index lacks is an input error.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "closesim/result/run_result.h"
#include "closesim/run/case_index.h"

namespace CLI {
class App;
}

namespace closesim::cli {

class Output;

// The marker lines around the generated part of the page.
inline constexpr std::string_view kFidelityBegin =
    "<!-- begin: written by `closesim fidelity -o docs/fidelity.md`; edit docs/cases.tsv or the scenarios, not this -->";
inline constexpr std::string_view kFidelityEnd = "<!-- end: written by closesim fidelity -->";

// One scenario's row: what it did under each profile and on Wine.
struct ScenarioFidelity {
  std::string windows;     // the verdict under profile windows: "PASS", "FAIL (1 expectation)"
  bool windows_pass = false;
  std::string documented;  // "same (PASS)" or "differs: FAIL (2 expectations); R3, R7 diverge"
  std::string wine;        // the Wine record's outcome; "" when the record has not played it
};

// The windows run's divergences and the documented run's verdict, as the table says them.
ScenarioFidelity judge_fidelity(const RunResult& windows, const RunResult& documented,
                                const std::string& wine);

struct FidelityPage {
  std::vector<CaseScenarios> cases;                   // the index's order
  std::map<std::string, ScenarioFidelity> scenarios;  // by file
  std::vector<std::string> uncited;  // scenarios in a windows/ folder that cite no case
};

// Cases in scope whose scenarios are missing or do not all pass under profile windows.
std::vector<const CaseScenarios*> open_cases(const FidelityPage& page);
// The generated part: a summary, the in-scope table, the out-of-scope table, the uncited files.
std::string render_fidelity(const FidelityPage& page);
// `page` with the text between its marker lines replaced by `generated`; nullopt and `error`
// when the markers are missing or out of order.
std::optional<std::string> splice_fidelity(std::string_view page, std::string_view generated,
                                           std::string& error);
// The lines that differ, `-` from `before` and `+` from `after`, each with its line number.
std::string line_diff(std::string_view before, std::string_view after);
// tests/real/wine_record.txt: `file<TAB>outcome` lines, `#` comments. Keys are normalised paths.
std::map<std::string, std::string> parse_wine_record(std::string_view text);
std::string normal_path(const std::string& path);

class FidelityCommand {
 public:
  FidelityCommand(CLI::App& app, Output& out);
  int dispatch();  // -1 when another subcommand was parsed

 private:
  int fidelity();

  Output& out_;
  CLI::App* app_ = nullptr;
  std::vector<std::string> paths_{"scenarios"};
  std::string cases_ = "docs/cases.tsv";
  std::string wine_ = "tests/real/wine_record.txt";
  std::string page_ = "docs/fidelity.md";
  std::string output_;
  bool check_ = false;
  bool require_coverage_ = false;
};

}  // namespace closesim::cli
