// RunView's second pass: the closes (a WSPCloseSocket's begin paired with its end), each
// socket's state record by record (options from the rule checker's shadow, via OptionsInForce),
// reference counts before each RefCount, and the records inside a WSACleanup.
#include <algorithm>
#include <map>
#include <tuple>

#include "report/view.h"

namespace closesim::report {

bool RunView::layered() const {
  const ProviderKind p = result_.config.provider;
  return p == ProviderKind::LspIfs || p == ProviderKind::LspNonIfs;
}

SocketState RunView::socket_at(std::size_t record, SocketId s) const {
  auto it = socket_changes_.find(s);
  if (it == socket_changes_.end()) return {};
  const auto& list = it->second;
  auto after = std::upper_bound(list.begin(), list.end(), record,
                                [](std::size_t i, const auto& change) { return i < change.first; });
  if (after == list.begin()) return {};
  return std::prev(after)->second;
}

void RunView::read_closes_and_sockets() {
  const auto& recs = records();
  close_of.assign(recs.size(), kNone);
  refs_before_.assign(recs.size(), 0);
  in_cleanup_.assign(recs.size(), false);

  const rules::OptionsInForce options(result_.trace);
  using CloseKey = std::tuple<std::string, Handle, int>;  // process, handle, layer
  std::map<CloseKey, std::vector<std::size_t>> open;      // open closes of each key, innermost last
  std::map<SocketId, SocketState> now;
  std::map<SocketId, std::int64_t> refs;
  bool cleaning = false;

  for (std::size_t i = 0; i < recs.size(); ++i) {
    const TraceRecord& r = recs[i];
    in_cleanup_[i] = cleaning;
    switch (r.kind) {
      case RecordKind::ProviderCloseBegin: {
        CloseSpan span;
        span.begin = i;
        // The layered provider's own close is open on the same socket, a layer up.
        for (const auto& [key, stack] : open)
          for (std::size_t k : stack) {
            const TraceRecord& b = recs[closes[k].begin];
            if (b.process == r.process && b.socket == r.socket && b.layer > r.layer) span.outer = k;
          }
        closes.push_back(span);
        open[{r.process, r.handle, r.layer}].push_back(closes.size() - 1);
        close_of[i] = closes.size() - 1;
        break;
      }
      case RecordKind::ProviderCloseEnd: {
        auto it = open.find({r.process, r.handle, r.layer});
        if (it == open.end()) break;  // an end without a begin: shown on its own
        closes[it->second.back()].end = i;
        close_of[i] = it->second.back();
        it->second.pop_back();
        if (it->second.empty()) open.erase(it);
        break;
      }
      case RecordKind::RefCount: {
        auto known = refs.find(r.socket);
        refs_before_[i] = known != refs.end() ? known->second : r.value == 1 ? 0 : 1;
        refs[r.socket] = r.value;
        break;
      }
      case RecordKind::CleanupBegin: cleaning = true; break;
      case RecordKind::CleanupEnd: cleaning = false; break;
      default: break;
    }

    // The sockets this record can change: its own, and for a CallEnd the one its call named.
    SocketId named = 0;
    if (r.kind == RecordKind::CallEnd && call_of[i] != kNone)
      named = recs[calls[call_of[i]].begin].socket;
    for (SocketId s : {r.socket, named}) {
      if (s == 0) continue;
      SocketState state = now[s];
      state.options = options.at(i + 1, s);
      switch (r.kind) {  // records of the socket itself (r.socket == s)
        case RecordKind::ProviderCloseBegin: state.closing = true; break;
        // R10: a close that failed with WSAEWOULDBLOCK changed nothing; no close is in progress.
        case RecordKind::ProviderCloseEnd:
          if (r.error != 0) state.closing = false;
          break;
        case RecordKind::LingerTimerExpired: state.linger_expired = true; break;
        case RecordKind::RstSent: state.reset = true; break;
        default: break;
      }
      if (state == now[s]) continue;
      now[s] = state;
      socket_changes_[s].emplace_back(i + 1, state);
    }
  }
}

}  // namespace closesim::report
