#include "closesim/base/trace.h"

#include "closesim/base/check.h"

#include <fmt/format.h>

namespace closesim {

std::string_view via_name(CompletionVia via) {
  switch (via) {
    case CompletionVia::None: return "none";
    case CompletionVia::Event: return "event";
    case CompletionVia::Apc: return "apc";
    case CompletionVia::Port: return "port";
  }
  return "?";
}

std::string_view kind_name(RecordKind kind) {
  switch (kind) {
#define CLOSESIM_KIND(k) \
  case RecordKind::k: return #k;
    CLOSESIM_KIND(CallBegin) CLOSESIM_KIND(CallEnd) CLOSESIM_KIND(ThreadBlocked)
    CLOSESIM_KIND(ThreadWoken) CLOSESIM_KIND(OpIssued) CLOSESIM_KIND(OpCompleted)
    CLOSESIM_KIND(EventSignaled) CLOSESIM_KIND(ApcQueued) CLOSESIM_KIND(ApcRan)
    CLOSESIM_KIND(PortPacketPosted) CLOSESIM_KIND(PortPacketDequeued)
    CLOSESIM_KIND(HandleCreated) CLOSESIM_KIND(ProviderCloseBegin)
    CLOSESIM_KIND(ProviderCloseEnd) CLOSESIM_KIND(HandleReleased) CLOSESIM_KIND(RefCount)
    CLOSESIM_KIND(SocketReleased) CLOSESIM_KIND(NetworkEvent)
    CLOSESIM_KIND(LingerTimerStarted) CLOSESIM_KIND(LingerTimerExpired)
    CLOSESIM_KIND(CleanupBegin) CLOSESIM_KIND(CleanupEnd) CLOSESIM_KIND(ConnectionOpened)
    CLOSESIM_KIND(DataQueued) CLOSESIM_KIND(DataSent) CLOSESIM_KIND(PeerReceived)
    CLOSESIM_KIND(DataAcked) CLOSESIM_KIND(DataDiscarded) CLOSESIM_KIND(FinSent)
    CLOSESIM_KIND(PeerSawFin) CLOSESIM_KIND(RstSent) CLOSESIM_KIND(PeerSawRst)
    CLOSESIM_KIND(PeerAction) CLOSESIM_KIND(LocalReceived) CLOSESIM_KIND(LocalSawFin)
    CLOSESIM_KIND(LocalSawRst) CLOSESIM_KIND(Note)
#undef CLOSESIM_KIND
  }
  return "?";
}

void TraceRecords::push_back(TraceRecord r) {
  const Place at = place(size_);
  if (at.chunk == chunks_.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(at.chunk < kGrowingChunks ? std::size_t{1} << (kFirstShift + at.chunk)
                                                     : kLastChunk);
  }
  chunks_[at.chunk].push_back(std::move(r));  // within its reserve: never moves the chunk
  ++size_;
}

std::size_t TraceRecords::capacity_bytes() const {
  std::size_t bytes = chunks_.capacity() * sizeof(std::vector<TraceRecord>);
  for (const auto& c : chunks_) bytes += c.capacity() * sizeof(TraceRecord);
  return bytes;
}

const TraceRecord& Trace::append(TraceRecord r) {
  CLOSESIM_CHECK(records_.empty() || r.time >= records_.back().time);
  r.seq = records_.size();
  records_.push_back(std::move(r));
  return records_.back();
}

std::string Trace::handle_name(const std::string& process, Handle h) const {
  auto it = names_.handles.find({process, h});
  if (it != names_.handles.end()) return it->second;
  return fmt::format("{:#x}", h);
}

std::string Trace::handle_name(const std::string& process, Handle h, SocketId socket) const {
  auto it = names_.descriptors.find({process, h, socket});
  if (it != names_.descriptors.end()) return it->second;
  return handle_name(process, h);
}

std::string Trace::peer_name(SocketId s) const {
  auto it = names_.sockets.find(s);
  if (it != names_.sockets.end()) return fmt::format("peer({})", it->second);
  return fmt::format("peer#{}", s);
}

namespace {

struct Fnv {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= c[i];
      h *= 1099511628211ull;
    }
  }
  void num(std::int64_t v) {
    // Fixed little-endian byte order, so the hash is the same on every machine.
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff);
    bytes(b, 8);
  }
  void str(const std::string& s) {
    num(static_cast<std::int64_t>(s.size()));
    bytes(s.data(), s.size());
  }
};

}  // namespace

std::uint64_t Trace::hash() const {
  Fnv f;
  for (const TraceRecord& r : records_) {
    f.num(r.time);
    f.num(static_cast<std::int64_t>(r.seq));
    f.num(static_cast<std::int64_t>(r.kind));
    f.num(static_cast<std::int64_t>(r.rule));
    f.str(r.actor);
    f.str(r.process);
    f.num(r.handle);
    f.num(r.socket);
    f.num(r.layer);
    f.str(std::string(call_name(r.call)));
    f.num(static_cast<std::int64_t>(r.option));
    f.str(r.op);
    f.num(r.value);
    f.num(r.value2);
    f.num(r.bytes);
    f.num(r.error);
    f.str(r.text);
    f.num(r.line);
  }
  return f.h;
}

}  // namespace closesim
