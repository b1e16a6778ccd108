// Chrome Trace Event Format (`--format chrome`), for chrome://tracing and ui.perfetto.dev.
//
// Tracks: one process per application process with a track per thread (and per-thread lanes for
// overlapped operations, which may overlap a blocked call and each other); a "Winsock provider"
// process with a track per socket and one for the rule checker; a "network" process with a track
// per peer. Blocked calls, pending operations, provider closes and data bursts are complete
// slices (ph X); everything else is an instant (ph i). Each overlapped operation has a flow
// (ph s/t/f) from its issue through its completion to its descriptor's release, in time order.
// Violations are global instants. Timestamps are microseconds printed exactly with three decimals.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "closesim/report/report.h"
#include "report/view.h"

namespace closesim {

using report::json_string;
using report::kNone;
using report::micros;
using report::RunView;

namespace {

struct TrackId {
  int pid = 0;
  int tid = 0;
};

struct Interval {
  Time begin = 0, end = 0;
};

class ChromeWriter {
 public:
  explicit ChromeWriter(const RunView& view) : v_(view) {}

  std::string write() {
    const RunResult& result = v_.result();
    for (const std::string& p : v_.processes) process(p);
    provider_pid_ = static_cast<int>(v_.processes.size()) + 1;
    network_pid_ = provider_pid_ + 1;
    name_process(provider_pid_, "Winsock provider");
    name_process(network_pid_, "network");
    checker_ = track(provider_pid_, "rule checker");
    for (const std::string& t : v_.threads) thread_track(t);
    for (SocketId s : v_.peers) peer_track(s);

    if (result.diagnostics.empty()) {
      for (std::size_t i = 0; i < v_.records().size(); ++i) emit(i);
      flows();
      violations();
    }

    std::string out = "{\"traceEvents\":[\n";
    bool first = true;
    for (const std::string& e : metadata_) {
      out += (first ? "" : ",\n") + e;
      first = false;
    }
    for (const std::string& e : events_) {
      out += (first ? "" : ",\n") + e;
      first = false;
    }
    out += "\n],\n\"displayTimeUnit\":\"ns\",\n";
    out += fmt::format("\"otherData\":{{\"file\":{},\"title\":{},\"verdict\":{},\"summary\":{},"
                       "\"provider\":{},\"profile\":{}}}\n}}\n",
                       json_string(result.scenario.file), json_string(result.scenario.title),
                       json_string(verdict_name(report_verdict(result))),
                       json_string(verdict_line(result)),
                       json_string(provider_name(result.config.provider)),
                       json_string(profile_name(result.config.profile)));
    return out;
  }

 private:
  // --- tracks ---

  int process(const std::string& name) {
    auto it = pids_.find(name);
    if (it != pids_.end()) return it->second;
    int pid = static_cast<int>(pids_.size()) + 1;
    pids_[name] = pid;
    name_process(pid, "process " + name);
    return pid;
  }

  void name_process(int pid, const std::string& name) {
    metadata_.push_back(fmt::format(
        "{{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":{},\"tid\":0,\"args\":{{\"name\":{}}}}}",
        pid, json_string(name)));
    metadata_.push_back(fmt::format(
        "{{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":{},\"tid\":0,\"args\":{{\"sort_index\":{}}}}}",
        pid, pid));
  }

  TrackId track(int pid, const std::string& name) {
    auto key = std::make_pair(pid, name);
    auto it = tracks_.find(key);
    if (it != tracks_.end()) return it->second;
    TrackId id{pid, ++next_tid_[pid]};
    tracks_[key] = id;
    metadata_.push_back(fmt::format(
        "{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":{},\"tid\":{},\"args\":{{\"name\":{}}}}}",
        id.pid, id.tid, json_string(name)));
    metadata_.push_back(fmt::format(
        "{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":{},\"tid\":{},\"args\":{{\"sort_index\":{}}}}}",
        id.pid, id.tid, id.tid));
    return id;
  }

  TrackId thread_track(const std::string& thread) {
    return track(process(report::process_of_thread(thread)), thread);
  }
  TrackId socket_track(SocketId s) { return track(provider_pid_, "socket " + v_.socket_name(s)); }
  TrackId peer_track(SocketId s) { return track(network_pid_, v_.peer(s)); }

  // A lane of `base` where [b, e] nests with or stays clear of every slice already there
  // (slices on one track must nest).
  TrackId lane(int pid, const std::string& base, Time b, Time e) {
    for (int n = 1;; ++n) {
      std::string name = n == 1 ? base : fmt::format("{} {}", base, n);
      auto& slices = lanes_[{pid, name}];
      bool fits = std::all_of(slices.begin(), slices.end(), [&](const Interval& x) {
        bool disjoint = e <= x.begin || b >= x.end;
        bool inside = b >= x.begin && e <= x.end;
        bool around = b <= x.begin && e >= x.end;
        return disjoint || inside || around;
      });
      if (fits) {
        slices.push_back({b, e});
        return track(pid, name);
      }
    }
  }

  // --- events ---

  static std::string args_json(const std::vector<std::pair<std::string, std::string>>& args) {
    std::string out = "{";
    for (std::size_t i = 0; i < args.size(); ++i)
      out += fmt::format("{}{}:{}", i ? "," : "", json_string(args[i].first), args[i].second);
    return out + "}";
  }

  std::vector<std::pair<std::string, std::string>> record_args(const TraceRecord& r) const {
    std::vector<std::pair<std::string, std::string>> args = {{"seq", std::to_string(r.seq)},
                                                             {"kind", json_string(kind_name(r.kind))}};
    if (r.rule != RuleId::None) args.push_back({"rule", json_string(rule_name(r.rule))});
    if (r.error != 0) args.push_back({"error", json_string(error_name(r.error))});
    if (!r.text.empty()) args.push_back({"text", json_string(r.text)});
    if (r.handle != 0) args.push_back({"handle", json_string(v_.handle(r))});
    if (!r.op.empty()) args.push_back({"op", json_string(r.op)});
    if (r.value != 0) args.push_back({"value", std::to_string(r.value)});
    if (r.bytes != 0) args.push_back({"bytes", std::to_string(r.bytes)});
    if (r.line != 0) args.push_back({"line", std::to_string(r.line)});
    return args;
  }

  void slice(const std::string& name, const char* cat, Time b, Time e, TrackId t,
             const std::vector<std::pair<std::string, std::string>>& args) {
    events_.push_back(fmt::format(
        "{{\"name\":{},\"cat\":\"{}\",\"ph\":\"X\",\"ts\":{},\"dur\":{},\"pid\":{},\"tid\":{},\"args\":{}}}",
        json_string(name), cat, micros(b), micros(e - b), t.pid, t.tid, args_json(args)));
  }

  void instant(const std::string& name, const char* cat, Time at, TrackId t,
               const std::vector<std::pair<std::string, std::string>>& args, char scope = 't') {
    events_.push_back(fmt::format(
        "{{\"name\":{},\"cat\":\"{}\",\"ph\":\"i\",\"s\":\"{}\",\"ts\":{},\"pid\":{},\"tid\":{},\"args\":{}}}",
        json_string(name), cat, scope, micros(at), t.pid, t.tid, args_json(args)));
  }

  Time end_or_last(std::size_t index) const { return index == kNone ? v_.end_time() : v_.at(index).time; }

  void emit(std::size_t i) {
    const TraceRecord& r = v_.at(i);
    std::string h = v_.handle(r);
    if (r.kind == RecordKind::DataQueued && v_.call_of[i] != kNone) return;
    if (v_.run_of[i] != kNone) {
      const report::DataRun& run = v_.runs[v_.run_of[i]];
      if (run.records.front() != i) return;
      Time b = r.time, e = v_.at(run.records.back()).time;
      std::string summary = v_.run_summary(run);
      slice("data", "wire", b, e, lane(network_pid_, v_.peer(run.socket), b, e),
            {{"seq", std::to_string(r.seq)}, {"summary", json_string(summary)},
             {"records", std::to_string(run.records.size())}});
      return;
    }
    switch (r.kind) {
      case RecordKind::CallBegin: {
        std::size_t span = v_.call_of[i];
        const report::CallSpan& c = v_.calls[span];
        std::string result = c.end != kNone ? v_.call_result(v_.at(c.end)) : "(never returned)";
        std::string assign = c.end != kNone ? v_.call_assign(v_.at(c.end)) : "";
        if (c.blocked != kNone || (c.end != kNone && v_.at(c.end).time != r.time) || c.end == kNone) {
          Time e = end_or_last(c.end);
          auto args = record_args(r);
          args.push_back({"result", json_string(result)});
          if (c.blocked != kNone) args.push_back({"blocked_on", json_string(v_.at(c.blocked).text)});
          if (c.woken != kNone && v_.at(c.woken).rule != RuleId::None)
            args.push_back({"woken_by", json_string(rule_name(v_.at(c.woken).rule))});
          slice(v_.call_with_args(r), "call", r.time, e,
                lane(thread_track(r.actor).pid, r.actor, r.time, e), args);
        } else {
          auto args = record_args(r);
          args.push_back({"result", json_string(result)});
          instant(fmt::format("{}{} = {}", assign, v_.call_with_args(r), result), "call", r.time,
                  thread_track(r.actor), args);
        }
        break;
      }
      case RecordKind::ThreadWoken:
        instant(r.rule != RuleId::None ? "woken by " + rule_name(r.rule) : "woken", "call", r.time,
                thread_track(r.actor), record_args(r));
        break;
      case RecordKind::OpIssued: {
        std::size_t op = v_.op_of[i];
        std::size_t done = op != kNone ? v_.ops[op].completed : kNone;
        Time e = end_or_last(done);
        TrackId t = lane(thread_track(r.actor).pid, r.actor + " overlapped", r.time, e);
        op_track_[op] = t;
        auto args = record_args(r);
        // The byte count is what was asked for; "bytes" is what the completion moved.
        for (auto& [key, value] : args)
          if (key == "bytes") key = "requested";
        args.push_back({"via", json_string(via_name(static_cast<CompletionVia>(r.value)))});
        if (done != kNone) {
          const TraceRecord& d = v_.at(done);
          args.push_back({"status", json_string(d.error == 0 ? "0" : error_name(d.error))});
          args.push_back({"bytes", std::to_string(d.bytes)});
        }
        slice(fmt::format("{} {}({})", r.op, r.call, h), "op", r.time, e, t, args);
        break;
      }
      case RecordKind::OpCompleted: {
        TrackId t = socket_track(r.socket);
        point_[i] = t;
        slice(fmt::format("{} completed: {}", r.op, r.error == 0 ? "0" : error_name(r.error)), "op",
              r.time, r.time, t, record_args(r));
        break;
      }
      case RecordKind::ProviderCloseBegin: {
        const std::size_t end = v_.closes[v_.close_of[i]].end;
        Time e = end_or_last(end);
        auto args = record_args(r);
        if (end != kNone)
          args.push_back({"result", json_string(v_.at(end).error == 0 ? "0" : error_name(v_.at(end).error))});
        args.push_back({"layer", std::to_string(r.layer)});
        slice(fmt::format("WSPCloseSocket({})", h), "provider", r.time, e,
              lane(provider_pid_, "socket " + v_.socket_name(r.socket), r.time, e), args);
        break;
      }
      case RecordKind::ProviderCloseEnd:
        break;  // the end of the WSPCloseSocket slice
      case RecordKind::HandleReleased: {
        TrackId t = socket_track(r.socket);
        point_[i] = t;
        slice(static_cast<HandleKind>(r.value) == HandleKind::File
                  ? fmt::format("CloseHandle({})", h)
                  : fmt::format("WPUCloseSocketHandle({})", h),
              "provider", r.time, r.time, t, record_args(r));
        break;
      }
      case RecordKind::CallEnd:
      case RecordKind::ThreadBlocked:
        break;  // part of the call's slice or instant
      case RecordKind::ApcQueued:
      case RecordKind::ApcRan:
      case RecordKind::PortPacketDequeued:
      case RecordKind::EventSignaled: {
        // An event is signalled by the provider, not by a thread: it gets a provider track.
        TrackId t = report::is_thread_actor(r.actor) ? thread_track(r.actor)
                                                     : track(provider_pid_, "completions");
        instant(fmt::format("{} {}", kind_name(r.kind), r.op), "op", r.time, t, record_args(r));
        break;
      }
      case RecordKind::PeerSawFin:
      case RecordKind::PeerSawRst:
      case RecordKind::PeerAction:
        instant(r.kind == RecordKind::PeerAction ? r.text
                : r.kind == RecordKind::PeerSawFin ? "sees FIN" : "sees RST",
                "wire", r.time, peer_track(r.socket), record_args(r));
        break;
      case RecordKind::FinSent:
      case RecordKind::RstSent:
        instant(r.kind == RecordKind::FinSent ? "FIN sent" : "RST sent", "wire", r.time,
                peer_track(r.socket), record_args(r));
        break;
      case RecordKind::Note:
        instant(r.text, "note", r.time, checker_, record_args(r));
        break;
      default: {
        TrackId t = r.socket != 0 ? socket_track(r.socket) : checker_;
        if (report::is_thread_actor(r.actor) && r.socket == 0) t = thread_track(r.actor);
        instant(std::string(kind_name(r.kind)), "provider", r.time, t, record_args(r));
        break;
      }
    }
  }

  void flows() {
    for (std::size_t k = 0; k < v_.ops.size(); ++k) {
      const report::OpSpan& op = v_.ops[k];
      struct Point {
        Time time;
        std::size_t order;
        TrackId track;
        std::size_t record;
      };
      std::vector<Point> points;
      points.push_back({v_.at(op.issued).time, 0, op_track_[k], op.issued});
      if (op.completed != kNone && point_.count(op.completed))
        points.push_back({v_.at(op.completed).time, op.completed, point_[op.completed], op.completed});
      if (op.released != kNone && point_.count(op.released))
        points.push_back({v_.at(op.released).time, op.released, point_[op.released], op.released});
      if (points.size() < 2) continue;
      std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) {
        return a.time != b.time ? a.time < b.time : a.order < b.order;
      });
      std::string name = json_string(v_.at(op.issued).op);
      for (std::size_t n = 0; n < points.size(); ++n) {
        const char* ph = n == 0 ? "s" : n + 1 == points.size() ? "f" : "t";
        std::string bp = n + 1 == points.size() ? ",\"bp\":\"e\"" : "";
        events_.push_back(fmt::format(
            "{{\"name\":{},\"cat\":\"flow\",\"ph\":\"{}\",\"id\":{},\"ts\":{},\"pid\":{},\"tid\":{}{},"
            "\"args\":{{\"seq\":{}}}}}",
            name, ph, k + 1, micros(points[n].time), points[n].track.pid, points[n].track.tid, bp,
            v_.at(points[n].record).seq));
      }
    }
  }

  void violations() {
    const RunResult& result = v_.result();
    if (result.rules_mode == RulesMode::Off) return;
    for (const Violation& vi : result.rules.violations) {
      std::string name = rule_name(vi.rule) + (vi.divergence ? " diverges" : " violated");
      instant(name, "rule", vi.time, checker_,
              {{"seq", std::to_string(vi.seq)},
               {"message", json_string(vi.message)},
               {"text", json_string(violation_text(vi))},
               {"divergence", vi.divergence ? "true" : "false"}},
              'g');
    }
  }

  const RunView& v_;
  std::vector<std::string> metadata_, events_;
  std::map<std::string, int> pids_;
  std::map<std::pair<int, std::string>, TrackId> tracks_;
  std::map<int, int> next_tid_;
  std::map<std::pair<int, std::string>, std::vector<Interval>> lanes_;
  std::map<std::size_t, TrackId> op_track_;  // op span -> its lane
  std::map<std::size_t, TrackId> point_;     // record -> track of its zero-length slice
  int provider_pid_ = 0, network_pid_ = 0;
  TrackId checker_;
};

}  // namespace

std::string render_chrome_trace(const RunResult& result) {
  RunView view(result);
  return ChromeWriter(view).write();
}

}  // namespace closesim
