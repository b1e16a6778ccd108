// Mermaid sequence diagram (`--format mermaid`): the application's threads, the Winsock DLL, the
// provider and the peers as participants; calls as messages thread -> DLL -> provider and results
// back; blocked calls and pending overlapped operations as activation bars on the thread; rules as
// notes; violations as notes on a red background.
//
// Syntax kept to what Mermaid has accepted for years (participant/as, ->> and -->>, Note over,
// activate/deactivate, rect): ids are [A-Za-z0-9_] with a prefix so that none is a keyword, and
// text goes through mermaid_escape so ';' '#' '<' '>' cannot end or break a statement.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "closesim/report/report.h"
#include "report/view.h"

namespace closesim {

using report::kNone;
using report::mermaid_escape;
using report::RunView;

namespace {

std::string sanitize_id(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += ok ? c : '_';
  }
  return out;
}

class MermaidWriter {
 public:
  explicit MermaidWriter(const RunView& view) : v_(view) {}

  std::string write() {
    const RunResult& result = v_.result();
    out_ = "sequenceDiagram\n";
    out_ += fmt::format("  %% {}\n", one_line(result.scenario.file));
    if (!result.scenario.title.empty()) out_ += fmt::format("  %% {}\n", one_line(result.scenario.title));
    declare();
    if (!result.diagnostics.empty()) {
      out_ += fmt::format("  Note over dll: {}\n",
                          mermaid_escape(report::plural(result.diagnostics.size(), "parse error")));
      return out_;
    }
    std::map<std::uint64_t, std::vector<const Violation*>> violations;
    if (result.rules_mode != RulesMode::Off)
      for (const Violation& vi : result.rules.violations) violations[vi.seq].push_back(&vi);

    for (std::size_t i = 0; i < v_.records().size(); ++i) {
      emit(i);
      auto it = violations.find(v_.at(i).seq);
      if (it == violations.end()) continue;
      for (const Violation* vi : it->second) {
        out_ += vi->divergence ? "  rect rgb(255, 240, 200)\n" : "  rect rgb(255, 210, 210)\n";
        out_ += fmt::format("  Note over {}: {}\n", participant_of(v_.at(i)),
                            mermaid_escape(violation_text(*vi)));
        out_ += "  end\n";
      }
    }
    // Violations the checker reported past the end of the trace (at finish).
    for (const auto& [seq, list] : violations) {
      if (seq < v_.records().size()) continue;
      for (const Violation* vi : list)
        out_ += fmt::format("  Note over provider: {}\n", mermaid_escape(violation_text(*vi)));
    }
    // A call still blocked or an operation still pending at the end keeps its bar open; close it
    // so the diagram stays balanced, and say so.
    for (const auto& [id, count] : active_) {
      if (count == 0) continue;
      out_ += fmt::format("  Note over {}: still waiting at the end of the run\n", id);
      for (int k = 0; k < count; ++k) out_ += fmt::format("  deactivate {}\n", id);
    }
    return out_;
  }

 private:
  // Comment text: one line, and no braces, which could make "%%{" a directive.
  static std::string one_line(std::string text) {
    for (char& c : text) {
      if (c == '\n' || c == '\r') c = ' ';
      if (c == '{') c = '(';
      if (c == '}') c = ')';
    }
    return text;
  }

  void declare() {
    std::set<std::string> used = {"dll", "provider"};
    auto unique = [&](std::string id) {
      std::string base = id;
      for (int n = 2; used.count(id); ++n) id = fmt::format("{}_{}", base, n);
      used.insert(id);
      return id;
    };
    for (const std::string& t : v_.threads) {
      thread_ids_[t] = unique("th_" + sanitize_id(t));
      out_ += fmt::format("  participant {} as {}\n", thread_ids_[t], mermaid_escape(t));
    }
    out_ += "  participant dll as Winsock DLL\n";
    out_ += "  participant provider as Provider\n";
    for (SocketId s : v_.peers) {
      peer_ids_[s] = unique("peer_" + sanitize_id(v_.socket_name(s)));
      out_ += fmt::format("  participant {} as {}\n", peer_ids_[s], mermaid_escape(v_.peer(s)));
    }
    first_ = v_.threads.empty() ? "dll" : thread_ids_[v_.threads.front()];
    last_ = v_.peers.empty() ? "provider" : peer_ids_[v_.peers.back()];
  }

  std::string thread(const std::string& actor) {
    auto it = thread_ids_.find(actor);
    return it == thread_ids_.end() ? std::string("provider") : it->second;
  }
  std::string peer(SocketId s) {
    auto it = peer_ids_.find(s);
    return it == peer_ids_.end() ? std::string("provider") : it->second;
  }

  std::string participant_of(const TraceRecord& r) {
    if (report::is_thread_actor(r.actor)) return thread(r.actor);
    if (r.kind == RecordKind::PeerSawFin || r.kind == RecordKind::PeerSawRst ||
        r.kind == RecordKind::PeerAction)
      return peer(r.socket);
    return r.actor == "dll" ? "dll" : "provider";
  }

  void line(const std::string& text) { out_ += "  " + text + "\n"; }
  // Mermaid wants text after the colon; "-" stands in for an empty one.
  static std::string label(const std::string& text) {
    std::string escaped = mermaid_escape(text);
    return escaped.find_first_not_of(' ') == std::string::npos ? "-" : escaped;
  }
  void message(const std::string& from, const char* arrow, const std::string& to, const std::string& text) {
    line(fmt::format("{}{}{}: {}", from, arrow, to, label(text)));
  }
  void note(const std::string& over, const std::string& text) {
    line(fmt::format("Note over {}: {}", over, label(text)));
  }
  void rule_note(const TraceRecord& r, const std::string& over, const std::string& text) {
    if (r.rule == RuleId::None) return;
    note(over, rule_name(r.rule) + " " + text);
  }
  void activate(const std::string& id) {
    line("activate " + id);
    ++active_[id];
  }
  void deactivate(const std::string& id) {
    if (active_[id] == 0) return;
    line("deactivate " + id);
    --active_[id];
  }

  void mark_time(Time t) {
    if (have_time_ && t == time_) return;
    have_time_ = true;
    time_ = t;
    line(fmt::format("Note over {},{}: at {}", first_, last_, mermaid_escape(format_time(t))));
  }

  bool called_by_provider(std::size_t i) const {
    const std::size_t close = v_.close_of[i];
    return close != kNone && v_.closes[close].outer != kNone;
  }

  void emit(std::size_t i) {
    const TraceRecord& r = v_.at(i);
    if (r.kind == RecordKind::DataQueued && v_.call_of[i] != kNone) return;
    if (v_.run_of[i] != kNone && v_.runs[v_.run_of[i]].records.front() != i) return;
    mark_time(r.time);
    std::string h = v_.handle(r);

    if (v_.run_of[i] != kNone) {
      const report::DataRun& run = v_.runs[v_.run_of[i]];
      std::string text = v_.run_summary(run);
      text = text.substr(text.find(':') + 2);
      // Arrows point the way the bytes went: acks alone come back from the peer as a reply;
      // what the peer sent (its own message, at its send) arriving is a note.
      auto only = [&](RecordKind kind) {
        return std::all_of(run.records.begin(), run.records.end(),
                           [&](std::size_t k) { return v_.at(k).kind == kind; });
      };
      if (only(RecordKind::DataAcked))
        message(peer(run.socket), "-->>", "provider", text);
      else if (only(RecordKind::LocalReceived))
        note("provider", text);
      else
        message("provider", "->>", peer(run.socket), "data: " + text);
      return;
    }

    switch (r.kind) {
      case RecordKind::CallBegin: {
        std::string th = thread(r.actor);
        std::size_t span = v_.call_of[i];
        if (is_kernel_call(r.call)) {
          message(th, "->>", th, v_.call_with_args(r));
          break;
        }
        message(th, "->>", "dll", v_.call_with_args(r));
        std::string wsp(wsp_name(r.call));
        bool makes = r.call == CallId::Socket || r.call == CallId::WSASocket || r.call == CallId::WSAStartup ||
                     r.call == CallId::WSACleanup;
        if (!wsp.empty() && r.call != CallId::CloseSocket && (r.socket != 0 || makes)) {
          message("dll", "->>", "provider", fmt::format("{}({})", wsp, r.handle != 0 ? h : r.text.str()));
          via_provider_.insert(span);
        }
        break;
      }
      case RecordKind::ThreadBlocked: {
        std::string th = thread(r.actor);
        activate(th);
        blocked_.insert(v_.call_of[i]);
        note(th, "blocked" + report::waiting_for(r.text));
        break;
      }
      case RecordKind::ThreadWoken: {
        std::string th = thread(r.actor);
        std::size_t span = v_.call_of[i];
        std::string call = span != kNone ? v_.call_short(v_.at(v_.calls[span].begin)) : "call";
        std::string text = r.rule != RuleId::None ? rule_name(r.rule) + " wakes " + call : call + " wakes";
        if (r.error != 0) text += ": " + error_name(r.error);
        note(th, text);
        break;
      }
      case RecordKind::CallEnd: {
        std::string th = thread(r.actor);
        std::size_t span = v_.call_of[i];
        if (span != kNone && blocked_.count(span)) deactivate(th);
        std::string result = v_.call_result(r);
        std::string assign = v_.call_assign(r);
        if (!assign.empty() && r.handle != 0) result += " (" + v_.handle(r) + ")";
        if (is_kernel_call(r.call)) {
          message(th, "-->>", th, result);
          break;
        }
        if (span != kNone && via_provider_.count(span)) message("provider", "-->>", "dll", result);
        message("dll", "-->>", th, result);
        break;
      }
      case RecordKind::OpIssued: {
        std::string th = thread(r.actor);
        activate(th);
        note(th, fmt::format("{} pending ({})", r.op, via_name(static_cast<CompletionVia>(r.value))));
        break;
      }
      case RecordKind::OpCompleted: {
        std::string th = thread(r.actor);
        auto via = static_cast<CompletionVia>(r.value);
        message("provider", "-->>", th,
                fmt::format("{} {} {} bytes{}", r.op, r.error == 0 ? "success" : error_name(r.error),
                            r.bytes, via == CompletionVia::None ? std::string(", no action")
                                                                : ", via " + std::string(via_name(via))));
        rule_note(r, "provider", "completes " + r.op);
        if (v_.op_of[i] != kNone) deactivate(th);
        break;
      }
      case RecordKind::EventSignaled:
        note("provider", fmt::format("signals event {} ({})", r.text, r.op));
        break;
      case RecordKind::ApcQueued:
        note(thread(r.actor), fmt::format("APC for {} queued", r.op));
        break;
      case RecordKind::ApcRan:
        note(thread(r.actor), fmt::format("runs {}'s completion routine", r.op));
        break;
      case RecordKind::PortPacketPosted:
        note("provider", fmt::format("posts {}'s packet to port {}", r.op, r.text));
        break;
      case RecordKind::PortPacketDequeued:
        note(thread(r.actor), fmt::format("dequeues {}'s packet from port {}", r.op, r.text));
        break;
      case RecordKind::HandleCreated:
        if (static_cast<HandleKind>(r.value) == HandleKind::File)
          note("provider", fmt::format("creates file handle {} (layer {})", h, r.layer));
        else
          message("provider", "->>", "dll", fmt::format("WPUCreateSocketHandle = {}", h));
        break;
      // A layered provider's close of the layer below is the provider calling itself.
      case RecordKind::ProviderCloseBegin:
        if (called_by_provider(i))
          message("provider", "->>", "provider", fmt::format("WSPCloseSocket({}) layer {}", h, r.layer));
        else
          message("dll", "->>", "provider", fmt::format("WSPCloseSocket({})", h));
        break;
      case RecordKind::ProviderCloseEnd: {
        std::string result = r.error == 0 ? "0" : "SOCKET_ERROR " + error_name(r.error);
        if (called_by_provider(i))
          message("provider", "-->>", "provider", fmt::format("{} (layer {})", result, r.layer));
        else
          message("provider", "-->>", "dll", result);
        break;
      }
      case RecordKind::HandleReleased:
        if (static_cast<HandleKind>(r.value) == HandleKind::File)
          note("provider", fmt::format("CloseHandle({}) (IFS)", h));
        else
          message("provider", "->>", "dll", fmt::format("WPUCloseSocketHandle({})", h));
        rule_note(r, "provider", "hands back " + h);
        break;
      case RecordKind::RefCount:
        note("provider", fmt::format("{}reference count of {} = {}",
                                     r.rule != RuleId::None ? rule_name(r.rule) + " " : "",
                                     v_.socket_name(r.socket), r.value));
        break;
      case RecordKind::SocketReleased:
        note("provider", fmt::format("{}{} state discarded",
                                     r.rule != RuleId::None ? rule_name(r.rule) + " " : "",
                                     v_.socket_name(r.socket)));
        break;
      case RecordKind::NetworkEvent:
        note("dll", fmt::format("{} posted for {}", r.text, h));
        break;
      case RecordKind::LingerTimerStarted:
        note("provider", fmt::format("R9 linger timer: expires at {}", format_time(r.value)));
        break;
      case RecordKind::LingerTimerExpired:
        note("provider", "R9 linger timer expired");
        break;
      case RecordKind::CleanupBegin:
        note("provider", fmt::format("R14 WSACleanup of {}: reset what is left", r.process));
        break;
      case RecordKind::CleanupEnd:
        note("provider", fmt::format("cleanup of {} done", r.process));
        break;
      case RecordKind::ConnectionOpened:
        message("provider", "->>", peer(r.socket), "connect");
        break;
      case RecordKind::DataDiscarded:
        note("provider", fmt::format("{}discards {} {} bytes",
                                     r.rule != RuleId::None ? rule_name(r.rule) + " " : "", r.bytes,
                                     r.text == "receive" ? "unread" : "unsent"));
        break;
      case RecordKind::FinSent:
        message("provider", "->>", peer(r.socket), "FIN");
        rule_note(r, "provider", "FIN");
        break;
      case RecordKind::RstSent:
        message("provider", "->>", peer(r.socket), "RST");
        rule_note(r, "provider", "RST");
        break;
      case RecordKind::PeerSawFin:
        note(peer(r.socket), "sees FIN");
        break;
      case RecordKind::PeerSawRst:
        note(peer(r.socket), "sees RST");
        break;
      case RecordKind::PeerAction:
        if (r.text == "close")
          message(peer(r.socket), "->>", "provider", "FIN");
        else if (r.text == "reset")
          message(peer(r.socket), "->>", "provider", "RST");
        else if (r.text.rfind("send", 0) == 0)
          message(peer(r.socket), "->>", "provider", r.text);
        else
          note(peer(r.socket), r.text);
        break;
      case RecordKind::LocalSawFin:
        note("provider", fmt::format("FIN from {} arrived", v_.peer(r.socket)));
        break;
      case RecordKind::LocalSawRst:
        note("provider", fmt::format("RST from {} arrived", v_.peer(r.socket)));
        break;
      case RecordKind::Note:
        note(first_, r.text);
        break;
      default:
        break;
    }
  }

  const RunView& v_;
  std::string out_;
  std::map<std::string, std::string> thread_ids_;
  std::map<SocketId, std::string> peer_ids_;
  std::string first_, last_;
  std::map<std::string, int> active_;
  std::set<std::size_t> blocked_;       // call spans that activated their thread
  std::set<std::size_t> via_provider_;  // call spans that went on to the provider
  bool have_time_ = false;
  Time time_ = 0;
};

}  // namespace

std::string render_mermaid(const RunResult& result) {
  RunView view(result);
  return MermaidWriter(view).write();
}

}  // namespace closesim
