// The observable outcome of a run: what each thread got back, what each peer saw, how each
// overlapped operation completed, what was released, and what the checker found — as a sorted
// multiset of lines, so that neither times nor the interleaving that produced them matter.
#include <algorithm>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "closesim/explore/explore.h"

namespace closesim {

namespace {

bool creates_handle(CallId call) {
  return makes_descriptor(call);
}

struct PeerView {
  SocketId socket = 0;
  std::int64_t received = 0;
  bool fin = false;
  bool rst = false;
};

}  // namespace

std::string hash_text(std::uint64_t hash) { return fmt::format("{:016x}", hash); }

OutcomeSignature outcome_signature(const RunResult& result) {
  OutcomeSignature sig;
  std::vector<PeerView> peers;
  auto peer = [&](SocketId s) -> PeerView& {
    for (PeerView& p : peers)
      if (p.socket == s) return p;
    peers.push_back(PeerView{s});
    return peers.back();
  };
  for (const TraceRecord& r : result.trace.records()) {
    switch (r.kind) {
      case RecordKind::CallEnd:
        if (creates_handle(r.call) && r.handle) {
          sig.lines.push_back(fmt::format("{} {} (line {}) = {} -> handle {:#x}", r.actor, r.call,
                                          r.line, r.text, r.handle));
        } else {
          sig.lines.push_back(fmt::format("{} {} (line {}) = {}", r.actor, r.call, r.line, r.text));
        }
        break;
      case RecordKind::PeerReceived: peer(r.socket).received = r.value; break;
      case RecordKind::PeerSawFin: peer(r.socket).fin = true; break;
      case RecordKind::PeerSawRst: peer(r.socket).rst = true; break;
      case RecordKind::OpCompleted:
        sig.lines.push_back(fmt::format("{} completes {} {} bytes via {}", r.op,
                                        r.error ? error_name(r.error) : "NO_ERROR", r.bytes,
                                        via_name(static_cast<CompletionVia>(r.value))));
        break;
      case RecordKind::HandleReleased:
        sig.lines.push_back(fmt::format("{} releases {} ({}, layer {})", r.process,
                                        result.trace.handle_name(r.process, r.handle, r.socket),
                                        r.value == static_cast<std::int64_t>(HandleKind::File)
                                            ? "file handle"
                                            : "WPUCloseSocketHandle",
                                        r.layer));
        break;
      case RecordKind::SocketReleased: {
        auto it = result.trace.names().sockets.find(r.socket);
        sig.lines.push_back(fmt::format(
            "socket {} released ({})",
            it == result.trace.names().sockets.end() ? fmt::format("#{}", r.socket) : it->second,
            rule_name(r.rule)));
        break;
      }
      default: break;
    }
  }
  for (const PeerView& p : peers) {
    const std::string name = result.trace.peer_name(p.socket);
    sig.lines.push_back(fmt::format("{} received {} bytes", name, p.received));
    if (p.fin) sig.lines.push_back(name + " sees FIN");
    if (p.rst) sig.lines.push_back(name + " sees RST");
  }
  for (const Violation& v : result.rules.violations)
    sig.lines.push_back(fmt::format("{} {}", v.divergence ? "diverges" : "violates",
                                    rule_name(v.rule)));
  if (!result.stuck.empty()) sig.lines.push_back("stuck");
  std::sort(sig.lines.begin(), sig.lines.end());

  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, 64-bit
  for (const std::string& line : sig.lines) {
    for (unsigned char c : line) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= '\n';
    h *= 0x100000001b3ULL;
  }
  sig.hash = h;
  return sig;
}

}  // namespace closesim
