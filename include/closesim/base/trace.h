// The trace: the ordered record of everything observable in a run — the application's calls and
// their results, the provider's calls into the Winsock DLL, completions, and what crossed the
// wire. The rule checker and every report read only this, never the model that wrote it.
//
// Invariants: records are appended in (time, seq) order; seq is dense from 0; time never goes
// backwards. A handle is only meaningful together with its process (handle values are
// per-process and are reused lowest-free-first once released).
#pragma once

#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "closesim/base/call_table.h"
#include "closesim/base/rule_id.h"
#include "closesim/base/time.h"
#include "closesim/base/compact_text.h"

namespace closesim {

using Handle = std::uint32_t;    // a descriptor value as a process sees it; 0 = none
using SocketId = std::uint32_t;  // a provider socket (endpoint); 0 = none; numbered from 1

// How an overlapped operation reports that it finished (R3).
enum class CompletionVia : std::uint8_t {
  None,   // no completion action: the OVERLAPPED is only marked done (or R14: cleanup)
  Event,  // its event object is signalled
  Apc,    // its completion routine is queued to the issuing thread
  Port,   // a packet is posted to the completion port
};
std::string_view via_name(CompletionVia via);  // "none", "event", "apc", "port"

// What kind of handle a provider created or released (R11).
enum class HandleKind : std::uint8_t {
  Wpu,   // non-IFS: WPUCreateSocketHandle / WPUCloseSocketHandle
  File,  // IFS: a kernel file handle, closed with CloseHandle
};

// Field use per kind. Fields not named are left at their defaults. `actor` is the thread
// ("A.main"), "peer#N" for the far end of socket N, "provider" or "dll"; `process` is the
// process that owns `handle` (or the thread).
enum class RecordKind : std::uint8_t {
  // --- the application's calls (actor = calling thread) ---
  // A thread entered an API call. call = the CallId (its name in JSON: "closesocket"); handle =
  // the descriptor it names (0 if none); socket = the socket that handle named at that moment in
  // the DLL's table (0 if the value was not a live descriptor); text = the arguments as written
  // ("s, 64KiB"), for people only; option = the keyword that selects the call's variant;
  // value, value2 = structured arguments:
  //   socket: option = Tcp|Udp; value = 1 if overlapped, value2 = 1 if non-blocking
  //   WSASocket: option = None (the duplicate shares its socket's options)
  //   setsockopt: option = SoLinger: value = l_onoff, value2 = l_linger (seconds)
  //               option = SoDontLinger: value = 0|1
  //   ioctlsocket: option = FionBio, value = 0|1
  //   CancelIoEx: op = the operation named, "" for all
  //   send/recv/WSASend/WSARecv: value = byte count; op = overlapped op name for WSA*
  //   shutdown: value = 0 SD_RECEIVE, 1 SD_SEND, 2 SD_BOTH
  //   WSAEventSelect: value = network-event mask (FD_* bits)
  //   SleepEx/WaitForSingleObject/GetQueuedCompletionStatus: value = timeout ns (-1 infinite)
  //   select, WSAPoll: handle = the first socket named (the rest are in text)
  //   getsockopt: option = SoLinger|SoDontLinger|SoError|SoType
  //   GetOverlappedResult, WSAGetOverlappedResult: op = the operation; value = 1 to wait
  CallBegin,
  // The call returned to the thread. value = the return value (bytes, 0, -1 for SOCKET_ERROR /
  // INVALID_SOCKET, a wait code); error = the WSA error (0 on success); handle = the descriptor
  // named, or for socket/accept/WSASocket the new descriptor; socket as in CallBegin, or the new
  // socket; text = the result as a script writes it ("SOCKET_ERROR WSAEINTR", "ok"), then
  // what the call wrote besides its value ("1 read={s} write={} except={}", "1 s=POLLNVAL").
  CallEnd,
  // The call parked the thread. text = what it waits for ("data", "room in the send queue",
  // "linger: queue to drain", "event e1"). A parked call ends with ThreadWoken then CallEnd.
  ThreadBlocked,
  // A parked call was made runnable. rule = why (R2 for a close interrupting it, R9 for a
  // linger timeout...); error = the error it will return (0 if none).
  ThreadWoken,

  // --- overlapped operations (actor = issuing thread) ---
  // op = name ("o1"); call = WSASend/WSARecv; handle, socket; value = CompletionVia;
  // text = its target (event or port name, or the thread for an APC). Recorded when the call
  // returned WSA_IO_PENDING or completed at once.
  OpIssued,
  // The provider completed it: error = status (0, 995, 1236, 10054...), bytes = transferred,
  // value = the CompletionVia actually used (None when no completion action fires, as under
  // R14), rule = the rule that completed it (R3 for a close abort, R14 for cleanup; None for a
  // CancelIo/CancelIoEx, inside that call's CallBegin..CallEnd, or for a data completion).
  OpCompleted,
  EventSignaled,       // op = the op whose completion signalled it; text = event name
  ApcQueued,           // actor = target thread; op = op name
  ApcRan,              // actor = thread that ran it (alertable wait); op = op name
  PortPacketPosted,    // op = op name; text = port name
  PortPacketDequeued,  // actor = thread; op = op name; text = port name

  // --- the provider and the Winsock DLL (actor = "provider" or "dll") ---
  // A descriptor came to life. handle, socket, layer (0 base provider, 1 layered provider);
  // value = HandleKind.
  HandleCreated,
  // WSPCloseSocket entered at a layer (handle, socket, layer). For a layered provider, the
  // lower layer's close nests inside the upper one's.
  ProviderCloseBegin,
  // WSPCloseSocket at a layer returned: error = 0 or the failure (WSAEWOULDBLOCK, WSAENOTSOCK).
  ProviderCloseEnd,
  // The descriptor was given back: value = HandleKind (Wpu: WPUCloseSocketHandle; File:
  // CloseHandle). After this the value may be reused (R1, R5, R11).
  HandleReleased,
  // The socket's reference count changed: value = the new count; handle = the descriptor that
  // added or dropped the reference (R6).
  RefCount,
  // The socket's state was discarded (R6, R7, R8). rule = what discarded it.
  SocketReleased,
  // A network event was posted for a descriptor: handle, socket, text = "FD_CLOSE" (R12).
  NetworkEvent,
  // The linger timer of a blocking close started (value = deadline) or expired (R9).
  LingerTimerStarted,
  LingerTimerExpired,
  // WSACleanup brought the process's count to zero (process); R14 work follows.
  CleanupBegin,
  CleanupEnd,

  // --- the wire (actor = "link" or the peer) ---
  ConnectionOpened,  // socket connected to its peer (peer name in text)
  DataQueued,        // bytes accepted into the send queue by a send; value = total queued so far
  DataSent,          // bytes left the local stack; value = total sent so far
  PeerReceived,      // bytes arrived at the peer; value = total the peer has received
  DataAcked,         // the peer's ack for bytes arrived; value = total acknowledged
  DataDiscarded,     // unsent or unread bytes thrown away (reset): bytes; text = "send"/"receive"
  FinSent,           // local FIN left (rule = why: R7 graceful close, R13 shutdown...)
  PeerSawFin,        // ... and reached the peer (its recv returns 0)
  RstSent,           // local RST left (rule R8, R9 timeout, R14 cleanup...)
  PeerSawRst,        // ... and reached the peer (its recv fails WSAECONNRESET)
  PeerAction,        // the peer did something: text = "send 1024", "stop_reading", "close"...
  LocalReceived,     // peer data arrived in the local receive buffer: bytes
  LocalSawFin,       // the peer's FIN arrived
  LocalSawRst,       // the peer's RST arrived
  Note,              // free text for the timeline (e.g. "step started late"); no semantics
};
std::string_view kind_name(RecordKind kind);  // "CallBegin", ...

// Laid out for size (a long run keeps millions): the 64-bit fields first, then the 32-bit ones,
// then the bytes, then the strings: 136 bytes (a std::string each and this order took 208).
struct TraceRecord {
  Time time = 0;
  std::uint64_t seq = 0;
  std::int64_t value = 0;
  std::int64_t value2 = 0;
  std::int64_t bytes = 0;
  // The engine event that wrote it (EventInfo::ordinal): which records one event wrote, for
  // partial-order reduction. Not part of the documented format, the hash or the JSON.
  std::uint64_t event = 0;
  Handle handle = 0;
  SocketId socket = 0;
  int error = 0;
  int line = 0;  // the scenario line whose step caused this record, 0 if none
  int layer = 0;
  RecordKind kind = RecordKind::Note;
  RuleId rule = RuleId::None;  // the rule that made this happen, where one did
  CallId call = CallId::None;
  CallOption option = CallOption::None;
  CompactText actor;
  CompactText process;
  CompactText op;
  CompactText text;
};

// Names a run gives to things, so reports can say "s" and "peer(s)" instead of numbers. Filled
// by whoever drives the model (the scenario runner); the model itself never reads it.
struct TraceNames {
  std::map<std::pair<std::string, Handle>, std::string> handles;  // (process, handle) -> "s"
  // The same, per socket: a handle value reused by a new socket keeps its old name for the
  // records of the old socket.
  std::map<std::tuple<std::string, Handle, SocketId>, std::string> descriptors;
  std::map<SocketId, std::string> sockets;                         // socket -> "s" (first name)
};

// The records of a run, in chunks that never move. A vector's growth held the old array and
// the new at once (the trace's peak was three times its size); a chunk, once full, stays.
// Chunks grow from 64 records to 8192, so a short run stays small and a long one wastes
// at most one chunk.
class TraceRecords {
 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = TraceRecord;
    using difference_type = std::ptrdiff_t;
    using pointer = const TraceRecord*;
    using reference = const TraceRecord&;
    const_iterator() = default;
    const_iterator(const TraceRecords* r, std::size_t i) : records_(r), index_(i) {}
    reference operator*() const { return (*records_)[index_]; }
    pointer operator->() const { return &(*records_)[index_]; }
    reference operator[](difference_type d) const { return *(*this + d); }
    const_iterator& operator++() { ++index_; return *this; }
    const_iterator operator++(int) { const_iterator t = *this; ++index_; return t; }
    const_iterator& operator--() { --index_; return *this; }
    const_iterator operator--(int) { const_iterator t = *this; --index_; return t; }
    const_iterator& operator+=(difference_type d) {
      index_ += static_cast<std::size_t>(d);
      return *this;
    }
    const_iterator& operator-=(difference_type d) {
      index_ -= static_cast<std::size_t>(d);
      return *this;
    }
    friend const_iterator operator+(const_iterator a, difference_type d) { return a += d; }
    friend const_iterator operator+(difference_type d, const_iterator a) { return a += d; }
    friend const_iterator operator-(const_iterator a, difference_type d) { return a -= d; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.index_ == b.index_;
    }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) {
      return a.index_ <=> b.index_;
    }

   private:
    const TraceRecords* records_ = nullptr;
    std::size_t index_ = 0;
  };
  using iterator = const_iterator;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const TraceRecord& operator[](std::size_t i) const {
    const Place at = place(i);
    return chunks_[at.chunk][at.offset];
  }
  const TraceRecord& front() const { return (*this)[0]; }
  const TraceRecord& back() const { return (*this)[size_ - 1]; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }
  // The records' storage in bytes, for the benchmarks' accounting.
  std::size_t capacity_bytes() const;
  void push_back(TraceRecord r);

 private:
  static constexpr std::size_t kFirstShift = 6, kGrowingChunks = 8;  // 64 .. 8192 records
  static constexpr std::size_t kGrown =  // records in the growing chunks
      (std::size_t{1} << kFirstShift) * ((std::size_t{1} << kGrowingChunks) - 1);
  static constexpr std::size_t kLastChunk = std::size_t{1} << (kFirstShift + kGrowingChunks - 1);
  struct Place {
    std::size_t chunk, offset;
  };
  static Place place(std::size_t i) {
    if (i >= kGrown) return {kGrowingChunks + (i - kGrown) / kLastChunk, (i - kGrown) % kLastChunk};
    const std::size_t k = static_cast<std::size_t>(std::bit_width((i >> kFirstShift) + 1)) - 1;
    return {k, i - (std::size_t{1} << kFirstShift) * ((std::size_t{1} << k) - 1)};
  }
  std::vector<std::vector<TraceRecord>> chunks_;
  std::size_t size_ = 0;
};

class Trace {
 public:
  // Appends with the next seq; REQUIRES: r.time >= the last record's time.
  const TraceRecord& append(TraceRecord r);
  const TraceRecords& records() const { return records_; }
  std::size_t size() const { return records_.size(); }
  TraceNames& names() { return names_; }
  const TraceNames& names() const { return names_; }
  // "s" for a named handle, else "0x10c". With a socket, the name the handle had while it named
  // that socket (handle values are reused).
  std::string handle_name(const std::string& process, Handle h) const;
  std::string handle_name(const std::string& process, Handle h, SocketId socket) const;
  // "peer(s)" for a named socket, else "peer#3".
  std::string peer_name(SocketId s) const;
  // Stable 64-bit FNV-1a hash of every record's fields: equal traces hash equal on every
  // machine (used by determinism checks).
  std::uint64_t hash() const;

 private:
  TraceRecords records_;
  TraceNames names_;
};

}  // namespace closesim
