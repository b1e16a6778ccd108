// `closesim diff --format html`: the rows of a RunDiff as a page of its own, escaped by the
// report library's one XML escaper.
#include <fmt/format.h>

#include "closesim/real/diff.h"
#include "report/escape.h"

namespace closesim::real {

namespace {

constexpr const char* kStyle = R"(body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.what, td.side { font-family: ui-monospace, monospace; font-size: 12px; }
tr.differs td { background: #fdecee; } tr.differs td.mark { color: #b00020; font-weight: bold; }
p.same { color: #17692c; font-weight: bold; } p.differs { color: #b00020; font-weight: bold; }
)";

}  // namespace

std::string render_diff_html(const RunDiff& d, const std::string& scenario_file) {
  using report::xml_escape;
  std::string rows;
  for (const DiffRow& r : d.rows) {
    const bool differs = r.differs();
    rows += fmt::format("<tr{}><td class=\"mark\">{}</td><td class=\"what\">{}</td><td class=\"side\">{}</td>"
                        "<td class=\"side\">{}</td></tr>\n",
                        differs ? " class=\"differs\"" : "", differs ? "!" : "", xml_escape(r.what),
                        xml_escape(r.left), xml_escape(r.right));
  }
  const int n = d.differences();
  const std::string verdict =
      n ? fmt::format("<p class=\"differs\">{} difference{}</p>", n, n == 1 ? "" : "s") : "<p class=\"same\">no differences</p>";
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>closesim diff: {0}</title>\n"
      "<style>{1}</style></head><body>\n<h1>diff: {0}</h1>\n{2}\n"
      "<table><thead><tr><th></th><th></th><th>{3}</th><th>{4}</th></tr></thead><tbody>\n{5}</tbody></table>\n"
      "</body></html>\n",
      xml_escape(scenario_file), kStyle, verdict, xml_escape(d.left_label), xml_escape(d.right_label), rows);
}

}  // namespace closesim::real
