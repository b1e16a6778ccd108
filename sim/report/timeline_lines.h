// Private to the report library: the pieces of the text timeline of `closesim run`. Its header
// (timeline_header.cc); the text of each line, written in Winsock terms with the script's names
// (TimelineRows, timeline_rows.cc); the rule behind each line, explain mode's prose
// (TimelineExplainer, timeline_explain.cc). timeline.cc walks the trace with both, marks the
// violations and writes the lines out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

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
  TimelineLine describe(std::size_t i);
  // Record i has been said (by its own line or one that covers it).
  void saw(std::size_t i);

 private:
  const TraceRecord& at(std::size_t i) const { return v_.at(i); }
  std::string actor_of(const TraceRecord& r) const;
  std::string layer_suffix(const TraceRecord& r) const;
  std::string status_name(int error) const;
  const CallSpan* span(std::size_t i) const;
  bool is_layered() const;

  const RunView& v_;
  std::map<SocketId, std::int64_t> refcounts_;
  std::map<std::string, Time> close_begin_;
};

// Explain mode: the rule behind a line, derived from its record's kind, rule and fields and from
// the socket options the trace has shown so far.
class TimelineExplainer {
 public:
  explicit TimelineExplainer(const RunView& view) : v_(view) {}

  // The "why:" of the line record i opens ("R9: ..."), or "".
  std::string why(std::size_t i);
  // Record i has been said: what it shows about its socket holds from now on.
  void saw(std::size_t i);

 private:
  // What the trace has shown so far about a socket's options (set by the application's calls).
  struct SocketOptions {
    bool linger = false;
    std::int64_t linger_seconds = 0;
    bool nonblocking = false;
    bool closing = false;  // a closesocket reached the provider for it and did not fail (R10)
    bool linger_expired = false;
    bool reset = false;  // an RST went out on it
  };

  const TraceRecord& at(std::size_t i) const { return v_.at(i); }
  std::string why_record(std::size_t i);
  std::string why_call(std::size_t begin_index, const CallSpan* c);
  std::string why_woken(std::size_t i, const CallSpan* c);
  std::string why_completed(const TraceRecord& r);
  std::string why_action(const TraceRecord& r);
  std::string why_released(const TraceRecord& r);
  std::string why_data(const DataRun& run);
  SocketOptions& opts(SocketId s) { return sockets_[s]; }
  std::string linger_text(SocketId s);
  const CallSpan* span(std::size_t i) const;
  bool is_layered() const;

  const RunView& v_;
  std::map<SocketId, SocketOptions> sockets_;
  std::map<SocketId, std::int64_t> refcounts_;
  bool in_cleanup_ = false;
};

}  // namespace closesim::report
