// JUnit XML for `closesim check --junit FILE`: one <testcase> per scenario, in the order run.
// Jenkins, GitLab and GitHub reporters read the attributes used here; no wall time is written
// (a run's duration is virtual, so no time attribute is written).
#include <fmt/format.h>

#include "closesim/base/diagnostic.h"
#include "closesim/report/report.h"
#include "report/view.h"

namespace closesim {

using report::xml_attr;
using report::xml_escape;

namespace {

// The documented rule (docs/formats.md): the folder's components joined with '.', leaving out
// what names no folder of its own ("", "." and "..": a leading '/', "./", "../") and writing a
// '.' inside a component as '_' so that reporters do not split it into packages; "closesim" when
// nothing is left. Reporters group test cases by classname, so it must never be "." or "...x".
std::string classname(const std::string& file) {
  std::string folder = report::folder_of(file);
  std::string out, part;
  auto flush = [&] {
    if (!part.empty() && part != "." && part != "..") {
      for (char& c : part)
        if (c == '.') c = '_';
      out += (out.empty() ? "" : ".") + part;
    }
    part.clear();
  };
  for (char c : folder) {
    if (c == '/' || c == '\\') flush();
    else part += c;
  }
  flush();
  return out.empty() ? "closesim" : out;
}

std::string testcase_name(const RunResult& r) {
  std::string name = report::stem_of(r.scenario.file);
  if (!r.config.mutant.empty()) name += " [mutant " + r.config.mutant + "]";
  return name;
}

std::string join_lines(const std::vector<std::string>& lines, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) out += sep;
    out += lines[i];
  }
  return out;
}

}  // namespace

std::string render_junit(const std::vector<RunResult>& results) {
  std::size_t failures = 0, errors = 0;
  for (const RunResult& r : results) {
    Verdict v = report_verdict(r);
    if (v == Verdict::Fail) ++failures;
    if (v == Verdict::Error) ++errors;
  }
  std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\"", results.size(),
                                   failures, errors);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"closesim\" {}>\n", counts);
  out += fmt::format("  <testsuite name=\"closesim\" {} skipped=\"0\">\n", counts);
  for (const RunResult& r : results) {
    Verdict v = report_verdict(r);
    std::string head = fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                                   xml_attr(classname(r.scenario.file)),
                                   xml_attr(testcase_name(r)), xml_attr(r.scenario.file));
    if (v == Verdict::Pass) {
      out += head + "/>\n";
      continue;
    }
    out += head + ">\n";
    std::vector<std::string> why = report::reasons(r);
    if (v == Verdict::Error) {
      std::string body;
      for (const Diagnostic& d : r.diagnostics) {
        std::string source;
        if (d.line > 0 && d.line <= static_cast<int>(r.scenario.lines.size()))
          source = r.scenario.lines[static_cast<std::size_t>(d.line - 1)];
        body += format_diagnostic(d, source);
      }
      out += fmt::format("      <error message=\"{}\" type=\"parse\">{}</error>\n",
                         xml_attr(join_lines(why, "; ")), xml_escape(body));
    } else {
      out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                         xml_attr(join_lines(why, "; ")), xml_attr(verdict_line(r)),
                         xml_escape(join_lines(why, "\n") + "\n"));
      out += fmt::format("      <system-out>{}</system-out>\n", xml_escape(render_timeline(r)));
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace closesim
