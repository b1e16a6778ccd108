// The step-through view of one scenario (see step_through.h): the markup and the data its script
// reads. One step is one trace record; the timeline line that says it comes from timeline_steps,
// so the view and `closesim run --explain` never disagree.
#include "report/step_through.h"

#include <map>

#include <fmt/format.h>

#include "closesim/report/report.h"
#include "report/rule_text.h"
#include "report/view.h"

namespace closesim::report {

namespace {

// JSON for inside a <script> element: a '<' is written \u003c so that no "</script" or "<!--"
// in a title or a message can end the element early.
std::string script_json(std::string_view text) {
  std::string out;
  for (char c : json_string(text)) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

// The steps: one object per trace record.
std::string steps_json(const RunResult& run, const std::vector<TimelineStep>& lines,
                       const SvgTimelineImage& image) {
  std::map<std::uint64_t, std::size_t> line_of;  // record seq -> the line that says it
  for (std::size_t k = 0; k < lines.size(); ++k)
    for (std::uint64_t seq : lines[k].covers) line_of.emplace(seq, k);
  std::map<std::uint64_t, std::vector<const Violation*>> broken;
  if (run.rules_mode != RulesMode::Off)
    for (const Violation& v : run.rules.violations) broken[v.seq].push_back(&v);

  std::string out = "[";
  const TraceRecords& records = run.trace.records();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const TraceRecord& r = records[i];
    auto it = line_of.find(r.seq);
    const TimelineStep* line = it == line_of.end() ? nullptr : &lines[it->second];
    // The record's own rule, else its line's ("R9/R10: linger {1,2}: ..." names the first).
    std::string rule = r.rule != RuleId::None ? rule_name(r.rule) : line ? line->rule : "";
    rule = rule.substr(0, rule.find('/'));
    std::string marks;
    for (const Violation* v : broken[r.seq])
      marks += (marks.empty() ? "" : ",") + script_json(fmt::format("{} (#{})", violation_text(*v), v->seq));
    out += fmt::format(
        "{}\n{{\"seq\":{},\"time\":{},\"x\":{:.1f},\"kind\":{},\"actor\":{},\"line\":{},\"lineSeq\":{},"
        "\"why\":{},\"rule\":{},\"violations\":[{}]}}",
        i ? "," : "", r.seq, script_json(format_time(r.time)),
        i < image.record_x.size() ? image.record_x[i] : 0.0, script_json(kind_name(r.kind)),
        script_json(line ? std::string_view(line->actor) : r.actor.view()), script_json(line ? line->text : ""),
        line ? static_cast<long long>(line->seq) : -1LL, script_json(line ? line->why : ""),
        script_json(rule), marks);
  }
  return out + "\n]";
}

std::string step_line(const TimelineStep& s) {
  return fmt::format("{}  {}  {}", format_time(s.time), s.actor, s.text);
}

// The two profiles side by side where they differ: the common head and tail of their timelines
// folded into a count, the differing middle row by row. Linear in the length of the timelines.
std::string profile_comparison(const RunResult& run, const RunResult& other,
                               const std::vector<TimelineStep>& lines) {
  // `other` names the profile it ran under; `run` ran under the other one.
  const bool documented_first = other.scenario.profile == ProfileKind::Windows;
  const RunResult& left_run = documented_first ? run : other;
  const RunResult& right_run = documented_first ? other : run;
  std::vector<TimelineStep> other_lines = timeline_steps(other);
  const std::vector<TimelineStep>& left = documented_first ? lines : other_lines;
  const std::vector<TimelineStep>& right = documented_first ? other_lines : lines;

  std::size_t head = 0;
  while (head < left.size() && head < right.size() && step_line(left[head]) == step_line(right[head])) ++head;
  std::size_t tail = 0;
  while (tail < left.size() - head && tail < right.size() - head &&
         step_line(left[left.size() - 1 - tail]) == step_line(right[right.size() - 1 - tail]))
    ++tail;
  const bool same = head == left.size() && head == right.size() &&
                    verdict_line(left_run) == verdict_line(right_run) &&
                    reasons(left_run) == reasons(right_run);
  std::string out = "<div class=\"profiles\">\n";
  if (same)
    return out + "<p class=\"same\">The documented and the windows profile run this scenario the same "
                 "way, line for line.</p>\n</div>\n";

  out += "<table class=\"profiles\">\n<caption>Where the documented and the windows profile differ"
         "</caption>\n<tr><th>documented</th><th>windows</th></tr>\n";
  auto fold = [&](std::size_t n, const char* where) {
    if (n > 0)
      out += fmt::format("<tr class=\"fold\"><td colspan=\"2\">{} the same in both {}</td></tr>\n",
                         plural(n, "line"), where);
  };
  fold(head, "before");
  const std::size_t rows = std::max(left.size() - head - tail, right.size() - head - tail);
  for (std::size_t k = 0; k < rows; ++k) {
    auto text = [&](const std::vector<TimelineStep>& side) {
      std::size_t at = head + k;
      return at >= side.size() - tail ? std::string() : step_line(side[at]);
    };
    // Inside the differing stretch a row can still match (the runs fall back in step): only
    // the rows that differ are highlighted.
    const std::string l = text(left), r = text(right);
    out += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td></tr>\n", l == r ? "same" : "differs",
                       xml_escape(l), xml_escape(r));
  }
  fold(tail, "after");
  auto verdict = [](const RunResult& r) {
    std::string cell = xml_escape(verdict_line(r));
    for (const std::string& why : reasons(r)) cell += "<br>" + xml_escape(why);
    return "<td class=\"verdict\">" + cell + "</td>";
  };
  out += "<tr>" + verdict(left_run) + verdict(right_run) + "</tr>\n</table>\n</div>\n";
  return out;
}

}  // namespace

std::string render_step_through(const RunResult& run, const RunResult* other, std::size_t index,
                                const SvgTimelineImage& image,
                                const std::vector<TimelineStep>& lines) {
  std::string out = fmt::format(
      "<div class=\"stepper\" id=\"stepper-{0}\" data-scenario=\"{0}\" tabindex=\"0\">\n"
      "<div class=\"controls\"><button type=\"button\" data-go=\"first\" title=\"first record (Home)\">"
      "&#x25C0;&#x25C0; first</button><button type=\"button\" data-go=\"prev\" title=\"previous record (&#x2190;)\">"
      "&#x25C0; previous</button><button type=\"button\" data-go=\"next\" title=\"next record (&#x2192;)\">"
      "next &#x25B6;</button><button type=\"button\" data-go=\"last\" title=\"last record (End)\">last "
      "&#x25B6;&#x25B6;</button><button type=\"button\" data-go=\"all\" title=\"show the whole run\">whole run</button>"
      "<span class=\"counter\">the whole run: {1}; step through it one record at a time "
      "(&#x2192;, or #step=N in the address)</span></div>\n",
      index, plural(run.trace.size(), "record"));
  out += image.svg;
  out += "<div class=\"current\" aria-live=\"polite\"><p class=\"record\"></p><p class=\"line\"></p>"
         "<p class=\"why\"></p><div class=\"rule\"></div><ul class=\"marks\"></ul></div>\n";
  out += "<ol class=\"lines\">\n";
  for (const TimelineStep& s : lines)
    out += fmt::format("<li data-seq=\"{}\"><span class=\"t\">{}</span> <span class=\"a\">{}</span> {}</li>\n",
                       s.seq, xml_escape(format_time(s.time)), xml_escape(s.actor), xml_escape(s.text));
  out += "</ol>\n";
  out += "<script type=\"application/json\" class=\"steps\">" + steps_json(run, lines, image) + "</script>\n";
  out += "</div>\n";
  if (other != nullptr && other->diagnostics.empty()) out += profile_comparison(run, *other, lines);
  return out;
}

std::string step_through_page_script() {
  std::string rules = "{";
  for (int n = 1; n <= kRuleCount; ++n) {
    RuleId id = static_cast<RuleId>(n);
    rules += fmt::format("{}\n{}:{{\"title\":{},\"meaning\":{}}}", n > 1 ? "," : "",
                         script_json(rule_name(id)), script_json(rule_title(id)),
                         script_json(rule_meaning(id)));
  }
  rules += "\n}";
  return "<script type=\"application/json\" id=\"rule-texts\">" + rules + "</script>\n<script>\n" +
         std::string(step_through_script()) + "</script>\n";
}

}  // namespace closesim::report
