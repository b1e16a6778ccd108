// The text timeline of `closesim run`, and its explain mode: the lines of timeline_rows.cc with
// the explanations of timeline_explain.cc under them, each violation marked under the line that
// says the record that broke the rule, and in explain mode where the outcome was decided.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "closesim/report/report.h"
#include "report/timeline_lines.h"
#include "report/view.h"
#include "report/visible.h"

namespace closesim {

using report::kNone;
using report::RunView;
using report::TimelineLine;

namespace {

// Every line of the timeline, in trace order, each with its explanation.
std::vector<TimelineLine> timeline_lines(const RunView& view) {
  const report::TimelineRows rows(view);
  const report::TimelineExplainer explainer(view);
  std::vector<bool> consumed(view.records().size(), false);
  std::vector<TimelineLine> lines;
  for (std::size_t i = 0; i < consumed.size(); ++i) {
    if (consumed[i]) continue;
    TimelineLine line = rows.describe(i);
    if (line.text.empty()) continue;
    line.why = explainer.why(i);
    for (std::size_t c : line.covers) consumed[c] = true;
    lines.push_back(std::move(line));
  }
  return lines;
}

// Where the outcome was decided: the first counted violation; else the first failed
// expectation's record; else (stuck) the last record; else, for a pass, the last record that
// closed, reset or ended a connection or released a descriptor.
struct Decision {
  std::size_t record = kNone;
  std::string reason;
};

Decision decide(const RunView& v) {
  const RunResult& result = v.result();
  const auto& recs = v.records();
  Decision d;
  if (recs.empty()) return d;
  for (const Violation& vi : result.rules.violations) {
    if (!report::counts_as_failure(result, vi)) continue;
    d.record = std::min<std::size_t>(vi.seq, recs.size() - 1);
    d.reason = violation_text(vi);
    return d;
  }
  if (!result.failures.empty()) {
    const ExpectationFailure* first = &result.failures.front();
    for (const ExpectationFailure& f : result.failures)
      if (f.time < first->time) first = &f;
    std::size_t by_line = kNone, by_time = kNone;
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (recs[i].time > first->time) break;
      by_time = i;
      if (recs[i].line == first->line) by_line = i;
    }
    d.record = by_line != kNone ? by_line : by_time != kNone ? by_time : 0;
    d.reason = report::failure_text(result, *first);
    return d;
  }
  if (!result.stuck.empty()) {
    d.record = recs.size() - 1;
    d.reason = "the run could not finish: " + result.stuck.front();
    return d;
  }
  for (std::size_t i = recs.size(); i-- > 0;) {
    const TraceRecord& r = recs[i];
    bool closing = (r.kind == RecordKind::CallEnd && r.call == CallId::CloseSocket) ||
                   r.kind == RecordKind::FinSent || r.kind == RecordKind::RstSent ||
                   r.kind == RecordKind::PeerSawFin || r.kind == RecordKind::PeerSawRst ||
                   r.kind == RecordKind::SocketReleased || r.kind == RecordKind::HandleReleased;
    if (closing) {
      d.record = i;
      break;
    }
  }
  if (d.record == kNone) d.record = recs.size() - 1;
  return d;
}

// The timeline's lines, and the violations each carries.
struct Layout {
  std::vector<TimelineLine> lines;
  std::map<std::size_t, std::size_t> line_of;  // record -> line
  // line -> the violations shown under it; kNone: before the first line
  std::map<std::size_t, std::vector<const Violation*>> marks;
};

Layout lay_out(const RunView& view) {
  const RunResult& result = view.result();
  Layout l;
  l.lines = timeline_lines(view);
  // A violation is shown under the line that covers the record that broke the rule; one whose
  // record no line covers goes under the last line at or before its time.
  for (std::size_t k = 0; k < l.lines.size(); ++k)
    for (std::size_t c : l.lines[k].covers) l.line_of[c] = k;
  if (result.rules_mode != RulesMode::Off) {
    for (const Violation& vi : result.rules.violations) {
      std::size_t k = kNone;
      auto it = l.line_of.find(vi.seq);
      if (it != l.line_of.end()) {
        k = it->second;
      } else {
        for (std::size_t j = 0; j < l.lines.size() && l.lines[j].time <= vi.time; ++j) k = j;
      }
      l.marks[k].push_back(&vi);
    }
  }
  return l;
}

std::string mark_text(const Violation& vi) { return fmt::format("{} (#{})", violation_text(vi), vi.seq); }

// "R9" from "R9: ...", "R9/R10: ..." or "R3 (windows profile): ...".
std::string leading_rule(const std::string& why) {
  if (why.size() < 2 || why[0] != 'R' || why[1] < '0' || why[1] > '9') return "";
  std::size_t end = 1;
  while (end < why.size() && why[end] >= '0' && why[end] <= '9') ++end;
  return why.substr(0, end);
}

}  // namespace

std::vector<TimelineStep> timeline_steps(const RunResult& result) {
  if (!result.diagnostics.empty()) return {};
  RunView view(result);
  return report::timeline_steps(view);
}

std::vector<TimelineStep> report::timeline_steps(const RunView& view) {
  std::vector<TimelineStep> steps;
  if (!view.result().diagnostics.empty()) return steps;
  Layout layout = lay_out(view);
  for (std::size_t k = 0; k < layout.lines.size(); ++k) {
    const TimelineLine& l = layout.lines[k];
    TimelineStep step;
    step.seq = view.at(l.record).seq;
    step.time = l.time;
    step.actor = l.actor;
    step.text = l.text;
    step.rule = l.rule != RuleId::None ? rule_name(l.rule) : leading_rule(l.why);
    step.why = l.why;
    for (std::size_t c : l.covers) step.covers.push_back(view.at(c).seq);
    auto add_marks = [&](std::size_t at) {
      auto it = layout.marks.find(at);
      if (it == layout.marks.end()) return;
      for (const Violation* vi : it->second) step.violations.push_back(mark_text(*vi));
    };
    if (k == 0) add_marks(kNone);  // violations before the first line go with it
    add_marks(k);
    steps.push_back(std::move(step));
  }
  return steps;
}

std::string render_timeline(const RunResult& result, const TimelineOptions& options) {
  RunView view(result);
  return report::render_timeline(view, options);
}

std::string report::render_timeline(const RunView& view, const TimelineOptions& options) {
  const RunResult& result = view.result();
  // Titles, names and notes come from the file: their control bytes are shown, never obeyed.
  std::string out = report::visible_controls(report::timeline_header(result));
  if (!result.diagnostics.empty()) {
    out += "\n" + render_verdict(result);
    return out;
  }
  Layout layout = lay_out(view);
  const std::vector<TimelineLine>& lines = layout.lines;
  const std::map<std::size_t, std::size_t>& line_of = layout.line_of;
  const std::map<std::size_t, std::vector<const Violation*>>& marks = layout.marks;

  std::size_t time_width = 6, actor_width = 8;
  for (const TimelineLine& l : lines) {
    time_width = std::max(time_width, format_time(l.time).size());
    actor_width = std::max(actor_width, l.actor.size());
  }
  std::string indent(time_width + 2 + actor_width + 2, ' ');

  out += "\n";
  auto emit_marks = [&](std::size_t k) {
    auto it = marks.find(k);
    if (it == marks.end()) return;
    for (const Violation* vi : it->second) out += fmt::format("{}!! {}\n", indent, mark_text(*vi));
  };
  emit_marks(kNone);
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const TimelineLine& l = lines[k];
    out += fmt::format("{:>{}}  {:<{}}  {}\n", format_time(l.time), time_width, l.actor, actor_width,
                       l.text);
    if (options.explain && !l.why.empty()) out += fmt::format("{}why: {}\n", indent, l.why);
    emit_marks(k);
  }

  if (options.explain) {
    Decision d = decide(view);
    if (d.record != kNone) {
      auto it = line_of.find(d.record);
      const TraceRecord& r = view.at(d.record);
      out += fmt::format("\ndecided at #{} ({}):", r.seq, format_time(r.time));
      std::string why = d.reason;
      if (it != line_of.end()) {
        const TimelineLine& l = lines[it->second];
        out += fmt::format(" {}  {}\n", l.actor, l.text);
        if (why.empty()) why = l.why;
      } else {
        out += fmt::format(" {}  {}\n", r.actor, kind_name(r.kind));
      }
      if (!why.empty()) out += fmt::format("  why: {}\n", why);
      if (d.reason.empty())
        out += "  outcome: the close finished here; every expectation held and no rule was violated\n";
    }
  }

  out += "\n" + render_verdict(result);
  return report::visible_controls(out);
}

}  // namespace closesim
