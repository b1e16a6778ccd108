// The run result carries the configuration that ran, and reports read it: a command-line
// provider or profile wins over the file's directive and is shown as what ran.
#include <doctest/doctest.h>

#include <string>

#include "closesim/report/report.h"
#include "closesim/run/runner.h"

using namespace closesim;

namespace {

const char* kScenario = R"(title "t"
provider nonifs
0    A.main   s = socket(tcp)    = ok
0    A.main   connect(s)         = 0
1ms  A.main   closesocket(s)     = 0
)";

}  // namespace

TEST_CASE("--provider lsp:ifs runs and reports lsp:ifs, not the file's provider") {
  RunOptions o;
  o.provider = ProviderKind::LspIfs;
  o.profile = ProfileKind::Windows;
  RunResult r = run_source("t.scn", kScenario, o);
  REQUIRE(r.diagnostics.empty());
  CHECK(r.config.provider == ProviderKind::LspIfs);
  CHECK(r.config.profile == ProfileKind::Windows);
  CHECK(r.config.overrides == std::vector<std::string>{"provider lsp:ifs", "profile windows"});
  const std::string timeline = render_timeline(r);
  CHECK(timeline.find("provider: lsp:ifs, profile windows") != std::string::npos);
  CHECK(timeline.find("set by the command line: provider lsp:ifs, profile windows") !=
        std::string::npos);
  CHECK(render_json_lines(r).find("\"provider\":\"lsp:ifs\"") != std::string::npos);
  // What ran is what the trace shows: a layered provider's two handles (layer 0 and 1).
  int layered = 0;
  for (const TraceRecord& rec : r.trace.records())
    if (rec.kind == RecordKind::HandleCreated && rec.layer == 1) ++layered;
  CHECK(layered == 1);
}

TEST_CASE("without overrides the file's directives are the configuration, and none is listed") {
  RunResult r = run_source("t.scn", kScenario, RunOptions{});
  CHECK(r.config.provider == ProviderKind::NonIfs);
  CHECK(r.config.overrides.empty());
  CHECK(render_timeline(r).find("set by the command line") == std::string::npos);
}

TEST_CASE("the mutant, seed and budgets that ran are in the configuration") {
  RunOptions o;
  o.mutant = *parse_mutant("hand-back-twice");
  o.seed = 7;
  o.max_events = 1000;
  RunResult r = run_source("t.scn", kScenario, o);
  CHECK(r.config.mutant == "hand-back-twice");
  CHECK(r.config.seed == std::optional<std::uint64_t>(7));
  CHECK(r.config.max_events == 1000);
  CHECK(render_timeline(r).find("mutant:   hand-back-twice") != std::string::npos);
}
