// Private to the report library: the HTML report's step-through view, the page that teaches. For
// each scenario a student moves through the run one trace record at a time (buttons, arrow keys,
// or a URL fragment `#step=N` naming record #N), sees the SVG timeline advance to it (what has not
// happened yet is faded, a cursor marks the instant), the timeline line the record belongs to, its
// `--explain` sentence and the catalogue's text of the rule behind it; and, where the windows
// profile runs the scenario differently, the two runs side by side. Everything is inline: one
// script for the page, no request to any network.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "closesim/report/report.h"
#include "closesim/result/run_result.h"
#include "report/svg_timeline.h"

namespace closesim::report {

// The view of scenario `index` (1-based, as the page's "scenario-N" anchors): its controls, the
// SVG `image`, the record panel, the steps as JSON for the script, then the profile comparison
// against `other` (the same scenario under the other profile; nullptr: none). `lines` are the
// run's timeline_steps, read from the view the page made of it. REQUIRES: `run` has no
// diagnostics.
std::string render_step_through(const RunResult& run, const RunResult* other, std::size_t index,
                                const SvgTimelineImage& image,
                                const std::vector<TimelineStep>& lines);

// Once per page, after the last view: each rule's title and catalogue text as JSON, and the
// script that drives every view. Deterministic text.
std::string step_through_page_script();

// The CSS of the view, and the script alone (step_through_script.cc).
const char* step_through_style();
const char* step_through_script();

}  // namespace closesim::report
