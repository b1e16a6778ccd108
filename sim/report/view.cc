// RunView: one pass over the trace that pairs records and names what they refer to, so every
// format reads calls, operations and data bursts the same way.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "report/view.h"

namespace closesim::report {

namespace {

// The record kinds that a DataRun collects.
bool is_data_kind(RecordKind kind) {
  switch (kind) {
    case RecordKind::DataQueued:
    case RecordKind::DataSent:
    case RecordKind::PeerReceived:
    case RecordKind::DataAcked:
    case RecordKind::LocalReceived:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_thread_actor(std::string_view actor) {
  if (actor.empty() || actor == "provider" || actor == "dll" || actor == "link") return false;
  if (actor.substr(0, 4) == "peer") return false;
  return actor.find('.') != std::string_view::npos;
}

std::string process_of_thread(std::string_view thread) {
  auto dot = thread.find('.');
  return std::string(dot == std::string_view::npos ? thread : thread.substr(0, dot));
}

std::string waiting_for(std::string_view text) {
  if (text.empty()) return "";
  std::size_t colon = text.find(": ");
  if (colon == std::string_view::npos) return ": waiting for " + std::string(text);
  return " (" + std::string(text.substr(0, colon)) + "): waiting for " + std::string(text.substr(colon + 2));
}

RunView::RunView(const RunResult& result) : result_(result) {
  const auto& recs = records();
  call_of.assign(recs.size(), kNone);
  op_of.assign(recs.size(), kNone);
  run_of.assign(recs.size(), kNone);

  std::map<std::string, std::size_t> open_call;      // thread -> call span
  std::map<std::string, std::size_t> open_op;        // op name -> op span
  std::map<SocketId, std::size_t> open_run;          // socket -> run
  std::vector<std::size_t> awaiting_release;         // op spans whose descriptor is still held

  auto note_thread = [&](const std::string& actor) {
    if (!is_thread_actor(actor)) return;
    if (std::find(threads.begin(), threads.end(), actor) == threads.end()) threads.push_back(actor);
    std::string p = process_of_thread(actor);
    if (std::find(processes.begin(), processes.end(), p) == processes.end()) processes.push_back(p);
  };
  auto note_peer = [&](SocketId s) {
    if (s != 0 && std::find(peers.begin(), peers.end(), s) == peers.end()) peers.push_back(s);
  };

  for (std::size_t i = 0; i < recs.size(); ++i) {
    const TraceRecord& r = recs[i];
    if (!is_data_kind(r.kind)) open_run.clear();
    switch (r.kind) {
      case RecordKind::CallBegin: {
        note_thread(r.actor);
        calls.push_back(CallSpan{i, kNone, kNone, kNone});
        open_call[r.actor] = calls.size() - 1;
        call_of[i] = calls.size() - 1;
        break;
      }
      case RecordKind::ThreadBlocked:
      case RecordKind::ThreadWoken:
      case RecordKind::CallEnd: {
        note_thread(r.actor);
        auto it = open_call.find(r.actor);
        if (it == open_call.end()) break;  // an end without a begin: shown on its own
        CallSpan& c = calls[it->second];
        call_of[i] = it->second;
        if (r.kind == RecordKind::ThreadBlocked && c.blocked == kNone) c.blocked = i;
        if (r.kind == RecordKind::ThreadWoken && c.woken == kNone) c.woken = i;
        if (r.kind == RecordKind::CallEnd) {
          c.end = i;
          open_call.erase(it);
        }
        break;
      }
      case RecordKind::OpIssued: {
        note_thread(r.actor);
        ops.push_back(OpSpan{i, kNone, kNone});
        open_op[r.op] = ops.size() - 1;
        op_of[i] = ops.size() - 1;
        awaiting_release.push_back(ops.size() - 1);
        break;
      }
      case RecordKind::OpCompleted: {
        auto it = open_op.find(r.op);
        if (it == open_op.end()) break;
        ops[it->second].completed = i;
        op_of[i] = it->second;
        open_op.erase(it);
        break;
      }
      case RecordKind::HandleReleased: {
        for (auto it = awaiting_release.begin(); it != awaiting_release.end();) {
          const TraceRecord& issued = recs[ops[*it].issued];
          std::string owner =
              issued.process.empty() ? process_of_thread(issued.actor) : issued.process.str();
          if (issued.handle == r.handle && owner == r.process) {
            ops[*it].released = i;
            it = awaiting_release.erase(it);
          } else {
            ++it;
          }
        }
        break;
      }
      case RecordKind::ApcQueued:
      case RecordKind::ApcRan:
      case RecordKind::PortPacketDequeued:
        note_thread(r.actor);
        break;
      case RecordKind::ConnectionOpened:
      case RecordKind::FinSent:
      case RecordKind::PeerSawFin:
      case RecordKind::RstSent:
      case RecordKind::PeerSawRst:
      case RecordKind::PeerAction:
      case RecordKind::LocalSawFin:
      case RecordKind::LocalSawRst:
      case RecordKind::DataDiscarded:
        note_peer(r.socket);
        break;
      default:
        break;
    }
    if (r.kind == RecordKind::DataQueued) {
      // Bytes a send call queues belong to that call's line: "send(s, 64KiB) = 65536".
      bool folded = false;
      for (const auto& [thread, span] : open_call) {
        const TraceRecord& b = recs[calls[span].begin];
        if (b.socket == r.socket && (b.call == CallId::Send || b.call == CallId::WSASend)) {
          call_of[i] = span;
          folded = true;
          break;
        }
      }
      if (folded) continue;
    }
    if (is_data_kind(r.kind)) {
      note_peer(r.socket);
      auto it = open_run.find(r.socket);
      if (it == open_run.end()) {
        runs.push_back(DataRun{r.socket, {}});
        it = open_run.emplace(r.socket, runs.size() - 1).first;
      }
      runs[it->second].records.push_back(i);
      run_of[i] = it->second;
    }
  }
  read_closes_and_sockets();
}

Time RunView::end_time() const {
  Time t = result_.end_time;
  if (!records().empty()) t = std::max(t, records().back().time);
  return t;
}

std::string RunView::handle(const TraceRecord& r) const {
  if (r.handle == 0) return "";
  return result_.trace.handle_name(r.process, r.handle, r.socket);
}

std::string RunView::peer(SocketId socket) const { return result_.trace.peer_name(socket); }

std::string RunView::socket_name(SocketId socket) const {
  const auto& names = result_.trace.names().sockets;
  auto it = names.find(socket);
  if (it != names.end()) return it->second;
  return fmt::format("socket#{}", socket);
}

std::string RunView::call_with_args(const TraceRecord& begin) const {
  return fmt::format("{}({})", begin.call, begin.text);
}

std::string RunView::call_short(const TraceRecord& begin) const {
  if (begin.handle != 0) return fmt::format("{}({})", begin.call, handle(begin));
  return call_with_args(begin);
}

std::string RunView::call_result(const TraceRecord& end) const {
  std::string text = end.text;
  if (text.empty()) {
    if (end.error != 0)
      text = fmt::format("{} {}", end.value == -1 ? "SOCKET_ERROR" : std::to_string(end.value),
                         error_name(end.error));
    else
      text = std::to_string(end.value);
  }
  return text;
}

std::string RunView::call_assign(const TraceRecord& end) const {
  bool makes_descriptor = end.call == CallId::Socket || end.call == CallId::WSASocket || end.call == CallId::Accept;
  if (makes_descriptor && end.handle != 0 && end.error == 0) return handle(end) + " = ";
  // Events, ports and protocol infos have no handle in the trace: take the name the script gave.
  if (end.line > 0 && end.error == 0) {
    for (const Step& st : result_.scenario.steps)
      if (st.line == end.line && st.actor_kind == Step::ActorKind::Thread && !st.call.assign.empty())
        return st.call.assign + " = ";
  }
  return "";
}

std::string RunView::run_summary(const DataRun& run) const {
  struct Part {
    RecordKind kind;
    const char* verb;
    std::int64_t bytes = 0;
    std::int64_t total = 0;
    bool seen = false;
  };
  // "{n}" is the byte count (with its running total), "{peer}" the far end.
  Part parts[] = {{RecordKind::DataQueued, "queued {n}"},
                  {RecordKind::DataSent, "sent {n}"},
                  {RecordKind::PeerReceived, "{peer} received {n}"},
                  {RecordKind::DataAcked, "acked {n}"},
                  {RecordKind::LocalReceived, "received {n} from {peer}"}};
  for (std::size_t i : run.records) {
    const TraceRecord& r = at(i);
    for (Part& p : parts) {
      if (p.kind != r.kind) continue;
      p.seen = true;
      p.bytes += r.bytes;
      p.total = r.value;
    }
  }
  std::string out = socket_name(run.socket) + ":";
  bool first = true;
  for (const Part& p : parts) {
    if (!p.seen) continue;
    std::string count = p.total != 0 && p.total != p.bytes
                            ? fmt::format("{} (total {})", p.bytes, p.total)
                            : std::to_string(p.bytes != 0 ? p.bytes : p.total);
    out += first ? " " : ", ";
    first = false;
    out += fmt::format(fmt::runtime(p.verb), fmt::arg("n", count), fmt::arg("peer", peer(run.socket)));
  }
  Time t0 = at(run.records.front()).time;
  Time t1 = at(run.records.back()).time;
  if (t1 != t0) out += fmt::format(" over {}..{}", format_time(t0), format_time(t1));
  return out;
}

}  // namespace closesim::report
