// The look of the SVG timeline: the CSS of its classes and the legend of its colours (see
// svg_timeline.h). tests/views/html_report.sh looks for these colours in screenshots.
#include <string>

#include "report/svg_timeline.h"

namespace closesim::report {

const char* svg_timeline_style() {
  return R"(svg.timeline { display: block; margin: 0.5em 0; font: 11px ui-monospace, monospace; }
svg .lane.even { fill: #fafafa; } svg .lane.odd { fill: #f0f0f0; }
svg .lane-label { fill: #333; }
svg .tick { stroke: #999; } svg .tick-label { fill: #555; text-anchor: middle; }
svg .break { fill: #e4e4e4; opacity: 0.8; } svg .break-label { fill: #666; text-anchor: middle; }
svg .blocked { fill: #f2c14e; } svg .close { fill: #9cc3e6; } svg .data { fill: #c9e4c5; }
svg .op { fill: #7e57c2; } svg .bar-label { fill: #222; }
svg .call { stroke: #555; stroke-width: 1.5; }
svg .done { fill: #7e57c2; } svg .done.bad { fill: #d50000; } svg .apc { fill: #fff; stroke: #7e57c2; }
svg .peer-action { fill: #888; } svg .timer { fill: #6d4c41; } svg .timer.started { fill: #fff; stroke: #6d4c41; }
svg .mark-label { fill: #333; }
svg .release polygon { fill: #1565c0; } svg .release.bad polygon { fill: #d50000; }
svg .fin polygon { fill: #2e7d32; } svg .rst polygon { fill: #d84315; }
svg g text { fill: #222; }
svg .violation line { stroke: #d50000; stroke-width: 2; } svg .violation text { fill: #d50000; font-weight: bold; }
svg .divergence line { stroke: #ef9a00; stroke-dasharray: 4 3; } svg .divergence text { fill: #ef9a00; }
svg .future { opacity: 0.12; } svg .cursor { stroke: #111; stroke-width: 1.5; stroke-dasharray: 3 2; }
)";
}

std::string svg_timeline_legend() {
  return "<p class=\"legend\">"
         "<span><i style=\"background:#f2c14e\"></i>blocked call</span>"
         "<span><i style=\"background:#7e57c2;height:4px\"></i>pending overlapped operation</span>"
         "<span><i style=\"background:#9cc3e6\"></i>WSPCloseSocket</span>"
         "<span><i style=\"background:#6d4c41\"></i>linger timer</span>"
         "<span><i style=\"background:#1565c0\"></i>handle released</span>"
         "<span><i style=\"background:#c9e4c5\"></i>data on the wire</span>"
         "<span><i style=\"background:#2e7d32\"></i>FIN</span>"
         "<span><i style=\"background:#d84315\"></i>RST</span>"
         "<span><i style=\"background:#d50000\"></i>rule violated</span>"
         "</p>\n";
}

}  // namespace closesim::report
