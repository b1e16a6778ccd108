// The HTML suite report of `closesim report`: one self-contained document (inline CSS, inline
// SVG, one inline script, nothing fetched), so it can be attached to a CI run and opened offline.
//
// The page: the totals and the table of scenarios, the rule coverage of the suite, then per
// scenario its verdict, its step-through view (step_through.cc: the SVG timeline of
// svg_timeline.cc with controls that walk the run record by record, and the two profiles side by
// side where they differ), the table of the steps a rule explains, and the explained timeline.
#include <map>

#include <fmt/format.h>

#include "closesim/base/diagnostic.h"
#include "closesim/base/errors.h"
#include "closesim/report/report.h"
#include "report/step_through.h"
#include "report/svg_timeline.h"
#include "report/timeline_lines.h"
#include "report/view.h"

namespace closesim {

using report::RunView;
using report::xml_escape;

namespace {

const char* verdict_class(Verdict v) {
  return v == Verdict::Pass ? "pass" : v == Verdict::Fail ? "fail" : "error";
}

constexpr const char* kStyle = R"(body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.pass { color: #17692c; } .fail { color: #b00020; } .error { color: #a85a00; }
td.verdict, p.verdict { font-weight: bold; }
tr.uncovered td { color: #888; } p.untouched { color: #666; }
ul.reasons li { font-family: ui-monospace, monospace; }
table.steps { font-size: 12px; } table.steps caption { text-align: left; font-weight: bold; padding: 2px 0; }
table.steps td.time { text-align: right; white-space: nowrap; font-family: ui-monospace, monospace; }
table.steps td.what { font-family: ui-monospace, monospace; }
table.steps tr.violation td { color: #b00020; font-weight: bold; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 12px; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; }
)";

// The steps of the timeline that a rule explains (or under which a rule was broken): time, actor,
// what happened and why, the rule in bold.
std::string steps_table(const std::vector<TimelineStep>& steps) {
  std::string rows;
  for (const TimelineStep& step : steps) {
    if (step.rule.empty() && step.violations.empty()) continue;
    std::string why = xml_escape(step.why);
    std::size_t colon = step.why.find(':');
    if (!step.rule.empty() && step.why.rfind(step.rule, 0) == 0 && colon != std::string::npos)
      why = "<b>" + xml_escape(step.why.substr(0, colon)) + "</b>" + xml_escape(step.why.substr(colon));
    else if (!step.rule.empty() && step.why.empty())
      why = "<b>" + xml_escape(step.rule) + "</b>";
    rows += fmt::format("<tr><td class=\"time\">{}</td><td>{}</td><td class=\"what\">{}</td><td>{}</td></tr>\n",
                        xml_escape(format_time(step.time)), xml_escape(step.actor), xml_escape(step.text), why);
    for (const std::string& v : step.violations)
      rows += fmt::format("<tr class=\"violation\"><td class=\"time\">{}</td><td colspan=\"3\">{}</td></tr>\n",
                          xml_escape(format_time(step.time)), xml_escape(v));
  }
  if (rows.empty()) return "";
  return "<table class=\"steps\">\n<caption>Steps the rules explain</caption>\n"
         "<tr><th>time</th><th>who</th><th>what happened</th><th>why</th></tr>\n" +
         rows + "</table>\n";
}

std::string scenario_links(const std::vector<std::string>& files, const std::map<std::string, std::size_t>& anchor) {
  std::string out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i) out += "<br>";
    auto it = anchor.find(files[i]);
    if (it != anchor.end())
      out += fmt::format("<a href=\"#scenario-{}\">{}</a>", it->second, xml_escape(files[i]));
    else
      out += xml_escape(files[i]);
  }
  return out;
}

}  // namespace

std::string render_html(const std::vector<RunResult>& results, const std::vector<RuleCoverageRow>& coverage,
                        const std::vector<RunResult>& other_profile) {
  std::size_t passed = 0, failed = 0, errors = 0;
  std::map<std::string, std::size_t> anchor;
  for (std::size_t i = 0; i < results.size(); ++i) {
    switch (report_verdict(results[i])) {
      case Verdict::Pass: ++passed; break;
      case Verdict::Fail: ++failed; break;
      case Verdict::Error: ++errors; break;
    }
    anchor.emplace(results[i].scenario.file, i + 1);
  }

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>closesim report</title>\n<style>\n";
  out += kStyle;
  out += report::svg_timeline_style();
  out += report::step_through_style();
  out += "</style>\n</head>\n<body>\n<h1>closesim report</h1>\n";
  out += fmt::format("<p class=\"totals\">{}: {} passed, {} failed{}</p>\n",
                     report::plural(results.size(), "scenario"), passed, failed,
                     errors > 0 ? fmt::format(", {} errors", errors) : std::string());

  out += "<h2>Scenarios</h2>\n<table class=\"suite\">\n<tr><th>verdict</th><th>scenario</th><th>title</th>"
         "<th>provider</th><th>profile</th><th>rules</th><th>end</th><th>events</th></tr>\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunResult& r = results[i];
    Verdict v = report_verdict(r);
    std::vector<std::string> ids;
    for (int n : r.scenario.rules) ids.push_back(rule_name(static_cast<RuleId>(n)));
    std::string rules;
    for (std::size_t k = 0; k < ids.size(); ++k) rules += (k ? " " : "") + ids[k];
    out += fmt::format("<tr class=\"{}\"><td class=\"verdict\">{}</td><td><a href=\"#scenario-{}\">{}</a></td>"
                       "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       verdict_class(v), xml_escape(verdict_line(r)), i + 1, xml_escape(r.scenario.file),
                       xml_escape(r.scenario.title), xml_escape(provider_name(r.config.provider)),
                       xml_escape(profile_name(r.config.profile)), rules,
                       v == Verdict::Error ? "" : xml_escape(format_time(r.end_time)),
                       v == Verdict::Error ? std::string() : std::to_string(r.events));
  }
  out += "</table>\n";

  out += "<h2>Rule coverage</h2>\n";
  if (coverage.empty()) {
    out += "<p>No coverage information.</p>\n";
  } else {
    out += "<table class=\"coverage\">\n<tr><th>rule</th><th>title</th><th>exercised by</th>"
           "<th>branches</th><th>declared by</th><th>violated by</th></tr>\n";
    // A rule no scenario of this report exercises, declares or violates gets no row of its own
    // (a one-scenario report would be a column of grey): one line names them all.
    std::vector<std::string> untouched;
    for (const RuleCoverageRow& row : coverage) {
      if (row.exercised_by.empty() && row.declared_by.empty() && row.violated_by.empty()) {
        untouched.push_back(rule_name(row.rule));
        continue;
      }
      std::string branches;
      for (std::size_t k = 0; k < row.branches.size(); ++k) branches += (k ? ", " : "") + xml_escape(row.branches[k]);
      out += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
                         row.exercised_by.empty() ? " class=\"uncovered\"" : "", rule_name(row.rule),
                         xml_escape(rule_title(row.rule)),
                         row.exercised_by.empty() ? std::string("not exercised")
                                                  : scenario_links(row.exercised_by, anchor),
                         branches, scenario_links(row.declared_by, anchor),
                         row.violated_by.empty() ? "" : "fail", scenario_links(row.violated_by, anchor));
    }
    out += "</table>\n";
    if (!untouched.empty()) {
      std::string names;
      for (const std::string& n : untouched) names += (names.empty() ? "" : " ") + n;
      out += fmt::format("<p class=\"untouched\">Not exercised by {}: {}.</p>\n",
                         results.size() == 1 ? std::string("this scenario") : std::string("these scenarios"),
                         names);
    }
  }

  out += "<h2>Timelines</h2>\n" + report::svg_timeline_legend();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunResult& r = results[i];
    Verdict v = report_verdict(r);
    out += fmt::format("<section id=\"scenario-{}\">\n<h3>{}</h3>\n", i + 1, xml_escape(r.scenario.file));
    if (!r.scenario.title.empty()) out += fmt::format("<p class=\"title\">{}</p>\n", xml_escape(r.scenario.title));
    out += fmt::format("<p class=\"verdict {}\">{}</p>\n", verdict_class(v), xml_escape(verdict_line(r)));
    std::vector<std::string> why = report::reasons(r);
    if (!why.empty()) {
      out += "<ul class=\"reasons\">\n";
      for (const std::string& line : why) out += "<li>" + xml_escape(line) + "</li>\n";
      out += "</ul>\n";
    }
    RunView view(r);
    report::SvgTimelineImage image = report::render_svg_timeline(view);
    if (v == Verdict::Error) {
      out += image.svg;
      out += "<pre>" + xml_escape(render_verdict(r)) + "</pre>\n";
    } else {
      const RunResult* other = i < other_profile.size() ? &other_profile[i] : nullptr;
      // One view of the run for all it shows: the SVG, the steps and the explained timeline.
      const std::vector<TimelineStep> steps = report::timeline_steps(view);
      out += report::render_step_through(r, other, i + 1, image, steps);
      out += steps_table(steps);
      out += fmt::format("<details><summary>timeline, explained ({} records)</summary>\n<pre>{}</pre>\n</details>\n",
                         r.trace.size(), xml_escape(report::render_timeline(view, TimelineOptions{true})));
    }
    out += "</section>\n";
  }
  out += report::step_through_page_script();
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace closesim
