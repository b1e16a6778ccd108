// Private to the report library: what every format needs to read a trace the same way — the
// escaping rules of each output language (escape.h), and RunView, the one view of a finished run:
// it pairs a trace's records once (call begin/blocked/woken/end, overlapped op
// issue/completion/release, a WSPCloseSocket's begin and end, bursts of data records), keeps what
// each socket had in force at each record (its options, as the rule checker's shadow learns them,
// and how its close went) and names what they refer to. Every writer reads it; none pairs or
// replays records itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "closesim/report/report.h"
#include "closesim/result/run_result.h"
#include "closesim/base/trace.h"
#include "closesim/rules/options_in_force.h"
#include "report/escape.h"

namespace closesim::report {

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// --- escaping (escape.h) and small formatting ------------------------------------------------
// Microseconds with three decimals from nanoseconds, exact: 1500 -> "1.500".
std::string micros(Time ns);
// "1 expectation" / "2 expectations".
std::string plural(std::size_t n, std::string_view word);

// --- verdict pieces ----------------------------------------------------------------------------

// "file:line: message" for a failed expectation.
std::string failure_text(const RunResult& result, const ExpectationFailure& failure);
// An end-of-run obligation of a run cut by its budget: "R9 not reached within the budget: ...".
std::string unreached_text(const Violation& v);
// Violations that count for the verdict: none when rules are Off; in Warn mode they are reported
// but do not fail.
bool counts_as_failure(const RunResult& result, const Violation& v);
// The reasons a result did not pass, one line each, in verdict order: failures, counted and
// reported violations (with "(#seq)"), "stuck: ..." lines, then the first line of each
// diagnostic.
std::vector<std::string> reasons(const RunResult& result);
// The run's trace cites the rule for something it did (a record's rule): the rule is exercised,
// whatever the checker's premise says (coverage.cc).
bool cites_rule(const RunResult& result, RuleId rule);
// "scenarios/linger" from "scenarios/linger/hard_close.scn" ("" at top level);
// "hard_close" as the stem.
std::string folder_of(const std::string& path);
std::string stem_of(const std::string& path);

// --- reading a trace ---------------------------------------------------------------------------

// One application call, from CallBegin to CallEnd. Indices into the trace's records.
struct CallSpan {
  std::size_t begin = kNone;
  std::size_t blocked = kNone;  // ThreadBlocked, if the call parked its thread
  std::size_t woken = kNone;    // ThreadWoken
  std::size_t end = kNone;      // CallEnd; kNone if the call never returned (stuck run)
};

// One overlapped operation from OpIssued to OpCompleted to the release of its descriptor.
struct OpSpan {
  std::size_t issued = kNone;
  std::size_t completed = kNone;  // kNone if it never completed
  std::size_t released = kNone;   // first HandleReleased of its descriptor after the issue
};

// A burst of data records (DataQueued, DataSent, PeerReceived, DataAcked, LocalReceived) of one
// socket with no other record between them (data records of other sockets may interleave).
struct DataRun {
  SocketId socket = 0;
  std::vector<std::size_t> records;
};

// One WSPCloseSocket, from its ProviderCloseBegin to the ProviderCloseEnd of the same process,
// handle and layer (closes of one key pair inside out).
struct CloseSpan {
  std::size_t begin = kNone;
  std::size_t end = kNone;    // kNone if it never ended (a stuck run)
  std::size_t outer = kNone;  // a layered provider's close of the same socket that called this one
};

// What the trace has shown of a socket by a record.
struct SocketState {
  rules::SocketOptions options;  // as the application set them (the checker's shadow)
  bool closing = false;          // a WSPCloseSocket began for it and did not fail (R10)
  bool linger_expired = false;   // its linger timer expired (R9)
  bool reset = false;            // an RST went out on it

  bool operator==(const SocketState&) const = default;
};

class RunView {
 public:
  explicit RunView(const RunResult& result);
  RunView(const RunView&) = delete;
  RunView& operator=(const RunView&) = delete;

  const RunResult& result() const { return result_; }
  const TraceRecords& records() const { return result_.trace.records(); }
  const TraceRecord& at(std::size_t i) const { return records()[i]; }

  // Pairings; the *_of vectors map a record index to a span index, or kNone. A DataQueued
  // record written while a send call on its socket is open belongs to that call (call_of) and to
  // no data run.
  std::vector<CallSpan> calls;
  std::vector<std::size_t> call_of;
  std::vector<OpSpan> ops;
  std::vector<std::size_t> op_of;  // OpIssued and OpCompleted records
  std::vector<DataRun> runs;
  std::vector<std::size_t> run_of;
  std::vector<CloseSpan> closes;
  std::vector<std::size_t> close_of;  // ProviderCloseBegin and ProviderCloseEnd records

  // Socket s as the record at `record` finds it: what every record before it showed.
  SocketState socket_at(std::size_t record, SocketId s) const;
  // A RefCount record's count before it: the socket's previous RefCount; for its first, 0 when
  // it reports the creation (1), else 1.
  std::int64_t refs_before(std::size_t record) const { return refs_before_[record]; }
  // A WSACleanup is under way (a CleanupBegin seen, its CleanupEnd not yet) at the record.
  bool in_cleanup(std::size_t record) const { return in_cleanup_[record]; }
  // The provider that ran is a layered one (lsp:ifs, lsp:nonifs).
  bool layered() const;

  // Threads ("A.main") in order of first appearance; processes likewise ("A").
  std::vector<std::string> threads;
  std::vector<std::string> processes;
  // Sockets that have a far end (wire records, peer actions), in order of first appearance.
  std::vector<SocketId> peers;

  // The last time anything happened: max(end_time, last record's time).
  Time end_time() const;

  // "s" for the record's (process, handle); "" when handle is 0.
  std::string handle(const TraceRecord& r) const;
  // "peer(s)" for a socket.
  std::string peer(SocketId socket) const;
  // The socket's first name ("s"), else "socket#N".
  std::string socket_name(SocketId socket) const;
  // "closesocket(s, ...)" as written: call(args).
  std::string call_with_args(const TraceRecord& begin) const;
  // "recv(s)": the call and the handle it names (or its arguments when it names none).
  std::string call_short(const TraceRecord& begin) const;
  // The result as a script writes it: CallEnd.text, else derived from value and error.
  std::string call_result(const TraceRecord& end) const;
  // "s = " when the call made a descriptor ("socket", "WSASocket", "accept"), else "".
  std::string call_assign(const TraceRecord& end) const;
  // A data run's summary: "s: sent 1024 (total 3072), peer(s) received 1024 (total 2048)".
  std::string run_summary(const DataRun& run) const;

 private:
  void read_closes_and_sockets();  // view_sockets.cc

  const RunResult& result_;
  std::map<SocketId, std::vector<std::pair<std::size_t, SocketState>>> socket_changes_;
  std::vector<std::int64_t> refs_before_;
  std::vector<bool> in_cleanup_;
};

// True when the actor names an application thread (not "provider", "dll", "link", "peer#N").
bool is_thread_actor(std::string_view actor);
// The process part of "A.main".
std::string process_of_thread(std::string_view thread);
// What a blocked thread waits for, as the tail of "blocks..." / "blocked...": "" when the text is
// empty, ": waiting for data" for "data", and " (linger {1,2}): waiting for the queue to drain"
// for a ThreadBlocked text that names its cause first ("linger {1,2}: the queue to drain").
std::string waiting_for(std::string_view text);

}  // namespace closesim::report
