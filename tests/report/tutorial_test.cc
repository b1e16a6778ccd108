// docs/tutorial.md stays true: every block under a `<!-- closesim: KIND FILE -->` marker is
// regenerated from the current build (the scenario's text, its `closesim run --explain` output,
// its Mermaid) and the document must come out unchanged. CLOSESIM_UPDATE_GOLDEN=1 rewrites the
// blocks in place; the prose around them is left alone.
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

constexpr const char* kTutorial = "docs/tutorial.md";
constexpr std::string_view kMarker = "<!-- closesim: ";

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// What a block under a marker must hold, from the current build.
std::string generate(const std::string& kind, const std::string& file) {
  if (kind == "scenario") return testing::read_source_file(file);
  RunResult run = testing::run_bundled(file);
  if (kind == "explain") return render_timeline(run, TimelineOptions{true});
  if (kind == "mermaid") return render_mermaid(run);
  FAIL_CHECK("unknown block kind '" << kind << "' in " << kTutorial);
  return "";
}

struct Regenerated {
  std::string text;
  std::set<std::string> blocks;  // "explain scenarios/linger/hard_close.scn"
};

// The tutorial with every marked block replaced by what the build makes of it now.
Regenerated regenerate(const std::string& doc) {
  Regenerated out;
  std::vector<std::string> lines = split_lines(doc);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    out.text += line + "\n";
    if (line.rfind(kMarker, 0) != 0) continue;
    const std::size_t close = line.find(" -->");
    REQUIRE_MESSAGE(close != std::string::npos, kTutorial << ":" << i + 1 << ": marker without -->");
    std::istringstream words(line.substr(kMarker.size(), close - kMarker.size()));
    std::string kind, file;
    words >> kind >> file;
    REQUIRE_MESSAGE(!file.empty(), kTutorial << ":" << i + 1 << ": marker needs KIND FILE");
    out.blocks.insert(kind + " " + file);
    // The fence that follows, its body (replaced), its closing fence (kept).
    REQUIRE_MESSAGE(i + 1 < lines.size(), kTutorial << ":" << i + 1 << ": no block after the marker");
    const std::string& fence = lines[i + 1];
    REQUIRE_MESSAGE(fence.rfind("```", 0) == 0, kTutorial << ":" << i + 2 << ": expected a ``` fence");
    std::size_t end = i + 2;
    while (end < lines.size() && lines[end] != "```") ++end;
    REQUIRE_MESSAGE(end < lines.size(), kTutorial << ":" << i + 2 << ": the block is never closed");
    std::string body = generate(kind, file);
    REQUIRE(!body.empty());
    if (body.back() != '\n') body += '\n';
    CHECK_MESSAGE(body.find("\n```") == std::string::npos, "generated text would close the fence");
    out.text += fence + "\n" + body + "```\n";
    i = end;
  }
  return out;
}

TEST_CASE("docs/tutorial.md shows what the current build prints") {
  const std::string doc = testing::read_source_file(kTutorial);
  Regenerated now = regenerate(doc);
  // The tour: three scenarios, each with its text, its explained timeline and its diagram.
  for (const char* file : {"scenarios/basics/graceful_close.scn", "scenarios/linger/hard_close.scn",
                           "scenarios/linger/linger_timeout.scn"})
    for (const char* kind : {"scenario", "explain", "mermaid"}) {
      INFO("block " << kind << " " << file);
      CHECK(now.blocks.count(std::string(kind) + " " + file) == 1);
    }
  // It starts with the command that makes the HTML page.
  CHECK(doc.find("closesim report scenarios/ -o report.html") < doc.find(kMarker));
  // It teaches with the page's step-through view, and the record it names is the one the page
  // shows at that step.
  CHECK(doc.find("### Step through a run") < doc.find(kMarker));
  CHECK(doc.find("linger.html#step=17") != std::string::npos);
  RunResult linger = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  const std::string html = render_html({linger}, rule_coverage({linger}));
  CHECK(html.find("class=\"stepper\"") != std::string::npos);
  REQUIRE(linger.trace.size() > 17);
  const TraceRecord& r17 = linger.trace.records()[17];
  CHECK(doc.find(fmt::format("`#17 at {}: {} ({})`", format_time(r17.time), kind_name(r17.kind), r17.actor)) !=
        std::string::npos);
  CHECK(html.find(fmt::format("{{\"seq\":17,\"time\":\"{}\"", format_time(r17.time))) != std::string::npos);
  testing::check_source_file(kTutorial, now.text);
}

}  // namespace
}  // namespace closesim
