// Private to the report library: the pieces of the text timeline of `closesim run`. Its header
// (timeline_header.cc); the text of each line, written in Winsock terms with the script's names
// (TimelineRows, timeline_rows.cc); the rule behind each line, explain mode's prose
// (TimelineExplainer, timeline_explain.cc). Both read the run's one view (RunView: its pairings
// and what each socket had in force at each record) and keep no state of their own; timeline.cc
// walks the trace with them, marks the violations and writes the lines out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "closesim/report/report.h"
#include "closesim/result/run_result.h"
#include "report/view.h"

namespace closesim::report {

struct TimelineLine {
  std::size_t record = kNone;  // where the line sits in the trace
  Time time = 0;
  std::string actor;
  std::string text;
  std::string why;  // "R9: ...", or "" when nothing needs explaining
  RuleId rule = RuleId::None;  // the record's rule, shown as the "[R9]" tag
  std::vector<std::size_t> covers;
};

// "scenario:", "title:", "provider: ..., profile ..., link ...", then the rules, seed, schedule,
// mutant and command-line overrides when there are any: the configuration that ran.
std::string timeline_header(const RunResult& result);

// The text of the line each record opens. Records that belong together are merged into one line:
// a call that returns at the instant it starts ("closesocket(s) = 0"), a call and the block that
// parks it ("recv(s, 1024) blocks: waiting for data"), a wake-up and the return it causes
// ("recv(s) woken by R2 -> SOCKET_ERROR WSAEINTR"), and a burst of data records of one socket
// (see DataRun).
class TimelineRows {
 public:
  explicit TimelineRows(const RunView& view) : v_(view) {}

  // The line record i opens, without its explanation; its text is empty when the record is said
  // by another line or not at all.
  TimelineLine describe(std::size_t i) const;

 private:
  const TraceRecord& at(std::size_t i) const { return v_.at(i); }
  std::string actor_of(const TraceRecord& r) const;
  std::string layer_suffix(const TraceRecord& r) const;
  std::string status_name(int error) const;
  const CallSpan* span(std::size_t i) const;

  const RunView& v_;
};

// Explain mode: the rule behind a line, derived from its record's kind, rule and fields and from
// the socket options the trace has shown so far.
class TimelineExplainer {
 public:
  explicit TimelineExplainer(const RunView& view) : v_(view) {}

  // The "why:" of the line record i opens ("R9: ..."), or "".
  std::string why(std::size_t i) const;

 private:
  const TraceRecord& at(std::size_t i) const { return v_.at(i); }
  std::string why_record(std::size_t i) const;
  std::string why_call(std::size_t begin_index, const CallSpan* c) const;
  std::string why_woken(std::size_t i, const CallSpan* c) const;
  std::string why_completed(const TraceRecord& r) const;
  std::string why_action(const TraceRecord& r) const;
  std::string why_released(std::size_t i) const;
  std::string why_data(const DataRun& run) const;
  // Socket s's options and close state as the record at i finds them.
  SocketState opts(std::size_t i, SocketId s) const { return v_.socket_at(i, s); }
  std::string linger_text(std::size_t i, SocketId s) const;
  const CallSpan* span(std::size_t i) const;

  const RunView& v_;
};

// render_timeline() and timeline_steps() on a view the caller already has (the HTML page reads
// one view per run for its SVG, its steps and its explained timeline).
std::string render_timeline(const RunView& view, const TimelineOptions& options);
std::vector<TimelineStep> timeline_steps(const RunView& view);

}  // namespace closesim::report
