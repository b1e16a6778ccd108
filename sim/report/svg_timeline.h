// Private to the report library: the SVG timeline of one run, drawn for the HTML report (one lane
// per thread, one for the provider, one per peer; time to scale with idle stretches compressed;
// every mark with a hover text). The HTML page (html.cc) and its step-through view
// (step_through.cc) lay it out; this file only draws it.
#pragma once

#include <string>
#include <vector>

#include "report/view.h"

namespace closesim::report {

struct SvgTimelineImage {
  std::string svg;               // one <svg class="timeline"> element, ending with '\n'
  std::vector<double> record_x;  // x of each trace record's time (by index), for a cursor
};

// Every mark carries data-seq="N", the record it stands for (a bar: the record that starts it;
// a violation line: the first record that broke a rule there), so that a step-through view can
// fade what has not happened yet; a hidden <line class="cursor"> waits to be placed. Marks of one
// lane and instant are drawn side by side, never on top of each other. A file with errors
// gives a one-line "not run" image and no positions.
SvgTimelineImage render_svg_timeline(const RunView& view);

// The CSS of the classes the SVG uses (colours of marks, lanes and labels).
const char* svg_timeline_style();

// The legend of those colours, as an HTML paragraph.
std::string svg_timeline_legend();

}  // namespace closesim::report
