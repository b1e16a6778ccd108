#include "closesim/real/diff.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "closesim/base/errors.h"

namespace closesim::real {

namespace {

// What one trace shows an application and the peers, keyed so two traces line up.
struct Observed {
  std::map<int, std::string> results;           // scenario line -> result as written
  std::map<std::string, std::string> completions;  // op -> "STATUS N bytes via ROUTE"
  std::map<std::string, std::string> peers;        // socket name -> "N bytes, then RST"
  std::vector<std::string> order;                  // returns, completions, peer ends in time order
};

std::string socket_name(const Trace& t, SocketId s) {
  auto it = t.names().sockets.find(s);
  return it != t.names().sockets.end() ? it->second : fmt::format("#{}", s);
}

Observed observe(const Trace& t) {
  Observed o;
  std::map<std::string, std::int64_t> received;
  std::map<std::string, std::string> ended;
  for (const TraceRecord& r : t.records()) {
    switch (r.kind) {
      case RecordKind::CallEnd:
        if (r.line && !o.results.count(r.line)) {
          o.results[r.line] = r.text;
          o.order.push_back(fmt::format("line {} returns", r.line));
        }
        break;
      case RecordKind::OpCompleted:
        if (!o.completions.count(r.op)) {
          o.completions[r.op] = fmt::format("{} {} bytes via {}", r.error ? error_name(r.error) : "0",
                                            r.bytes, via_name(static_cast<CompletionVia>(r.value)));
          o.order.push_back(r.op + " completes");
        }
        break;
      case RecordKind::PeerReceived: received[socket_name(t, r.socket)] += r.bytes; break;
      case RecordKind::PeerSawFin:
      case RecordKind::PeerSawRst: {
        std::string name = socket_name(t, r.socket);
        if (!ended.count(name)) {
          ended[name] = r.kind == RecordKind::PeerSawRst ? "RST" : "FIN";
          o.order.push_back(fmt::format("peer({}) sees {}", name, ended[name]));
        }
        break;
      }
      case RecordKind::ConnectionOpened: received.emplace(socket_name(t, r.socket), 0); break;
      default: break;
    }
  }
  for (const auto& [name, bytes] : received) {
    auto e = ended.find(name);
    o.peers[name] = fmt::format("{} bytes, then {}", bytes, e == ended.end() ? "nothing (still open)" : e->second);
  }
  return o;
}

std::string step_text(const Step& st) {
  std::string args;
  for (const Argument& a : st.call.args) {
    if (!args.empty()) args += ", ";
    args += a.written();
  }
  return fmt::format("line {} {}{}({})", st.line, st.call.assign.empty() ? "" : st.call.assign + " = ",
                     st.call.name, args);
}

std::string or_none(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? "(none)" : it->second;
}

}  // namespace

int RunDiff::differences() const {
  return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const DiffRow& r) { return r.differs(); }));
}

RunDiff diff_traces(const Scenario& sc, const Trace& left, const Trace& right, std::string left_label,
                    std::string right_label) {
  RunDiff d;
  d.left_label = std::move(left_label);
  d.right_label = std::move(right_label);
  const Observed a = observe(left), b = observe(right);
  for (const Step& st : sc.steps) {
    if (st.actor_kind != Step::ActorKind::Thread) continue;
    auto ra = a.results.find(st.line), rb = b.results.find(st.line);
    d.rows.push_back(DiffRow{step_text(st), ra == a.results.end() ? "(did not return)" : ra->second,
                             rb == b.results.end() ? "(did not return)" : rb->second});
  }
  std::map<std::string, int> ops, peers;
  for (const auto& [k, v] : a.completions) ops[k];
  for (const auto& [k, v] : b.completions) ops[k];
  for (const auto& [k, v] : ops) d.rows.push_back(DiffRow{k + " completes", or_none(a.completions, k), or_none(b.completions, k)});
  for (const auto& [k, v] : a.peers) peers[k];
  for (const auto& [k, v] : b.peers) peers[k];
  for (const auto& [k, v] : peers) d.rows.push_back(DiffRow{"peer(" + k + ") saw", or_none(a.peers, k), or_none(b.peers, k)});
  // Order: the common events only, so a missing event is reported once (above), not twice.
  std::vector<std::string> oa, ob;
  for (const std::string& e : a.order)
    if (std::find(b.order.begin(), b.order.end(), e) != b.order.end()) oa.push_back(e);
  for (const std::string& e : b.order)
    if (std::find(a.order.begin(), a.order.end(), e) != a.order.end()) ob.push_back(e);
  if (oa != ob) {
    for (std::size_t i = 0; i < oa.size(); ++i) {
      if (oa[i] == ob[i]) continue;
      d.rows.push_back(DiffRow{fmt::format("order, event {}", i + 1), oa[i], ob[i]});
      break;  // the first place they part is what to look at; the rest follows from it
    }
  }
  return d;
}

std::string render_diff(const RunDiff& d) {
  std::size_t w0 = 4, w1 = d.left_label.size();
  for (const DiffRow& r : d.rows) {
    w0 = std::max(w0, r.what.size());
    w1 = std::max(w1, r.left.size());
  }
  std::string out = fmt::format("  {:<{}}  {:<{}}  {}\n", "", w0, d.left_label, w1, d.right_label);
  for (const DiffRow& r : d.rows)
    out += fmt::format("{} {:<{}}  {:<{}}  {}\n", r.differs() ? "!" : " ", r.what, w0, r.left, w1, r.right);
  const int n = d.differences();
  out += n ? fmt::format("\n{} difference{}\n", n, n == 1 ? "" : "s") : "\nno differences\n";
  return out;
}

}  // namespace closesim::real
