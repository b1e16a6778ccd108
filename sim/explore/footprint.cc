#include "explore/footprint.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace closesim::por {

namespace {

// Object identities, hashed (FNV-1a). A collision merges two objects, which can only add
// dependencies.
enum class Object : std::uint8_t { Thread = 1, Descriptor, Table, Socket, Queue, Operation, Named, Lane };

class Key {
 public:
  explicit Key(Object kind) { byte(static_cast<std::uint8_t>(kind)); }
  Key& text(std::string_view s) {
    for (char c : s) byte(static_cast<std::uint8_t>(c));
    byte(0xff);
    return *this;
  }
  Key& number(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  std::uint64_t value() const { return h_; }

 private:
  void byte(std::uint8_t b) { h_ = (h_ ^ b) * 0x100000001b3ULL; }
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

// Calls whose effect on shared state the records of their event fully show: what they read is
// the descriptor and socket they name, what they change is written down. Every other call (waits,
// ports, events, duplication, start-up and clean-up, cancellation) is taken to touch everything.
bool socket_call(CallId call) {
  switch (call) {
    case CallId::Socket: case CallId::WSASocket: case CallId::Connect: case CallId::Listen:
    case CallId::Accept: case CallId::Send: case CallId::Recv: case CallId::WSASend:
    case CallId::WSARecv: case CallId::SetSockOpt: case CallId::IoctlSocket:
    case CallId::Shutdown: case CallId::CloseSocket:
      return true;
    default:
      return false;
  }
}

// "A.t1": a scripted thread's lane (peers are "peer(s)", links "link#3").
bool thread_label(const std::string& label) {
  const std::size_t dot = label.find('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < label.size() &&
         label.find_first_of("()#") == std::string::npos;
}

// "link#3": the lane of socket 3's link; 0 for any other label.
SocketId link_socket(const std::string& label) {
  constexpr std::string_view kPrefix = "link#";
  if (label.size() <= kPrefix.size() || label.compare(0, kPrefix.size(), kPrefix) != 0) return 0;
  SocketId s = 0;
  for (std::size_t i = kPrefix.size(); i < label.size(); ++i) {
    if (label[i] < '0' || label[i] > '9' || s > 100'000'000) return 0;
    s = s * 10 + static_cast<SocketId>(label[i] - '0');
  }
  return s;
}

}  // namespace

bool dependent(const Footprint& a, const Footprint& b) {
  if (a.everything || b.everything) return true;
  // Both sorted by object: a merge walk.
  auto i = a.accesses.begin();
  auto j = b.accesses.begin();
  while (i != a.accesses.end() && j != b.accesses.end()) {
    if (i->object < j->object) {
      ++i;
    } else if (j->object < i->object) {
      ++j;
    } else {
      const std::uint64_t object = i->object;
      bool wa = false, wb = false;
      for (; i != a.accesses.end() && i->object == object; ++i) wa = wa || i->write;
      for (; j != b.accesses.end() && j->object == object; ++j) wb = wb || j->write;
      if (wa || wb) return true;
    }
  }
  return false;
}

FootprintReader::CallPlace& FootprintReader::place_of(std::string_view thread) {
  auto it = calls_.find(thread);
  if (it == calls_.end()) it = calls_.emplace(std::string(thread), CallPlace{}).first;
  return it->second;
}

Footprint FootprintReader::read(const TraceRecords& records, std::size_t first,
                                std::size_t last, const std::string& lane_label) {
  Footprint f;
  if (first == last) {
    if (thread_label(lane_label)) {
      f.accesses.push_back({Key(Object::Lane).text(lane_label).value(), true});
      f.accesses.push_back({Key(Object::Thread).text(lane_label).value(), false});
      std::sort(f.accesses.begin(), f.accesses.end());
    } else if (SocketId s = link_socket(lane_label)) {
      f.accesses.push_back({Key(Object::Socket).number(s).value(), true});
    } else {
      f.everything = true;
    }
    return f;
  }
  auto add = [&](const Key& k, bool write) { f.accesses.push_back({k.value(), write}); };
  auto thread = [&](const TraceRecord& r) { add(Key(Object::Thread).text(r.actor), true); };
  auto descriptor = [&](const std::string& process, Handle h, bool write) {
    add(Key(Object::Descriptor).text(process).number(h), write);
  };
  auto sock = [&](SocketId s, bool write) {
    if (s == 0) {
      f.everything = true;
      return;
    }
    add(Key(Object::Socket).number(s), write);
  };
  for (std::size_t at = first; at != last; ++at) {
    const TraceRecord& r = records[at];
    switch (r.kind) {
      case RecordKind::CallBegin: {
        thread(r);
        place_of(r.actor) = CallPlace{r.process, r.handle, r.socket};
        if (!socket_call(r.call)) f.everything = true;
        if (r.handle) descriptor(r.process, r.handle, false);
        if (r.socket) sock(r.socket, false);
        break;
      }
      case RecordKind::CallEnd: {
        thread(r);
        const CallPlace& place = place_of(r.actor);
        // A receive that returned data took it out of the socket's buffer.
        if ((r.call == CallId::Recv || r.call == CallId::WSARecv) && r.value > 0)
          sock(r.socket ? r.socket : place.socket, true);
        break;
      }
      case RecordKind::ThreadBlocked: {
        thread(r);
        const SocketId s = place_of(r.actor).socket;
        if (s) add(Key(Object::Queue).number(s), all_ordered_ || ordered_.count(s) > 0);
        break;
      }
      case RecordKind::ThreadWoken: {
        thread(r);
        const SocketId s = place_of(r.actor).socket;
        if (s) add(Key(Object::Queue).number(s), true);
        break;
      }
      case RecordKind::OpIssued:
      case RecordKind::OpCompleted:
        thread(r);
        add(Key(Object::Operation).text(r.process).text(r.op), true);
        if (r.socket) sock(r.socket, true);
        break;
      case RecordKind::EventSignaled:
      case RecordKind::PortPacketPosted:
        add(Key(Object::Named).text(r.text), true);
        break;
      case RecordKind::PortPacketDequeued:
        thread(r);
        add(Key(Object::Named).text(r.text), true);
        break;
      case RecordKind::ApcQueued:
      case RecordKind::ApcRan:
        thread(r);
        break;
      case RecordKind::HandleCreated:
      case RecordKind::HandleReleased:
        descriptor(r.process, r.handle, true);
        add(Key(Object::Table).text(r.process), true);
        if (r.socket) sock(r.socket, true);
        break;
      case RecordKind::ProviderCloseBegin:
      case RecordKind::ProviderCloseEnd:
        descriptor(r.process, r.handle, true);
        sock(r.socket, true);
        break;
      case RecordKind::RefCount:
      case RecordKind::SocketReleased:
      case RecordKind::LingerTimerStarted:
      case RecordKind::LingerTimerExpired:
      case RecordKind::ConnectionOpened:
      case RecordKind::DataQueued:
      case RecordKind::DataSent:
      case RecordKind::PeerReceived:
      case RecordKind::DataAcked:
      case RecordKind::DataDiscarded:
      case RecordKind::FinSent:
      case RecordKind::PeerSawFin:
      case RecordKind::RstSent:
      case RecordKind::PeerSawRst:
      case RecordKind::PeerAction:
      case RecordKind::LocalReceived:
      case RecordKind::LocalSawFin:
      case RecordKind::LocalSawRst:
        sock(r.socket, true);
        break;
      case RecordKind::Note:
        break;
      default:  // network events signal objects the record does not name; cleanup; new kinds
        f.everything = true;
        break;
    }
  }
  std::sort(f.accesses.begin(), f.accesses.end());
  f.accesses.erase(std::unique(f.accesses.begin(), f.accesses.end()), f.accesses.end());
  return f;
}

std::set<SocketId> ordered_queues(const Trace& trace) {
  std::set<SocketId> out;
  std::map<std::string, SocketId> place;             // thread -> socket of its current call
  std::map<SocketId, std::set<std::string>> parked;  // socket -> threads parked on it
  const auto& records = trace.records();
  for (std::size_t i = 0; i < records.size();) {
    // One event at a time: a close that wakes every parked caller in one event observes no order.
    std::size_t end = i;
    while (end < records.size() && records[end].event == records[i].event) ++end;
    std::set<SocketId> served;
    for (std::size_t k = i; k < end; ++k) {
      const TraceRecord& r = records[k];
      if (r.kind == RecordKind::CallBegin) place[r.actor] = r.socket;
      if (r.kind == RecordKind::ThreadBlocked && place[r.actor]) parked[place[r.actor]].insert(r.actor);
      if (r.kind == RecordKind::ThreadWoken && place[r.actor]) {
        parked[place[r.actor]].erase(r.actor);
        served.insert(place[r.actor]);
      }
    }
    for (SocketId s : served)
      if (!parked[s].empty()) out.insert(s);
    i = end;
  }
  return out;
}

}  // namespace closesim::por

namespace closesim::por {

namespace {

struct Event {
  std::uint64_t name = 0;
  Footprint footprint;
};

// What orders the instant's events, as hashes pushed on `parts`, without naming every dependent
// pair (n events that all write one descriptor table would make n^2 pairs). The order of the
// dependent pairs is told instead by: each event's segment, counted in events that touch
// everything (those come in one order, and every other event falls between two of them); and,
// for each object some event writes, its accesses in order: each write, and the set of reads
// between two writes. Two runs of the same events give the same parts exactly when their
// dependent pairs come in the same order; an object only read orders nothing and adds nothing.
void push_order_parts(const std::vector<Event>& events, std::vector<std::uint64_t>& parts) {
  struct Touch {
    std::uint64_t object = 0;
    std::size_t event = 0;
    bool write = false;
    bool operator<(const Touch& o) const {
      return object != o.object ? object < o.object : event < o.event;
    }
  };
  std::vector<Touch> touches;
  std::uint64_t segment = 0;
  for (std::size_t e = 0; e < events.size(); ++e) {
    const Footprint& f = events[e].footprint;
    if (f.everything) ++segment;
    parts.push_back(Key(Object::Table).number(events[e].name).number(segment).value());
    if (f.everything) continue;
    // Accesses are sorted by object: one touch per object, a write if any access writes.
    for (auto a = f.accesses.begin(); a != f.accesses.end();) {
      Touch t{a->object, e, false};
      for (; a != f.accesses.end() && a->object == t.object; ++a) t.write = t.write || a->write;
      touches.push_back(t);
    }
  }
  std::sort(touches.begin(), touches.end());
  std::vector<std::uint64_t> reads;
  for (std::size_t begin = 0; begin < touches.size();) {
    std::size_t end = begin;
    bool written = false;
    for (; end < touches.size() && touches[end].object == touches[begin].object; ++end)
      written = written || touches[end].write;
    if (written) {
      Key order(Object::Queue);
      order.number(touches[begin].object);
      reads.clear();
      auto flush_reads = [&] {
        std::sort(reads.begin(), reads.end());  // reads between two writes commute
        order.number(reads.size());
        for (std::uint64_t r : reads) order.number(r);
        reads.clear();
      };
      for (std::size_t k = begin; k < end; ++k) {
        const std::uint64_t name = events[touches[k].event].name;
        if (!touches[k].write) {
          reads.push_back(name);
          continue;
        }
        flush_reads();
        order.number(name);
      }
      flush_reads();
      parts.push_back(order.value());
    }
    begin = end;
  }
}

}  // namespace

std::uint64_t mazurkiewicz_key(const Trace& trace) {
  FootprintReader reader(ordered_queues(trace));
  const auto& records = trace.records();
  std::vector<std::uint64_t> parts;  // sorted at the end: the key must not depend on order
  std::size_t i = 0;
  while (i < records.size()) {
    const Time now = records[i].time;
    std::vector<Event> events;
    std::map<std::uint64_t, int> seen;  // content -> how many events of this instant had it
    while (i < records.size() && records[i].time == now) {
      std::size_t end = i;
      while (end < records.size() && records[end].event == records[i].event) ++end;
      // Records by content, in sorted order: a close that wakes two parked threads names the
      // same event whichever joined the queue first.
      std::vector<std::uint64_t> lines;
      for (std::size_t k = i; k < end; ++k) {
        const TraceRecord& r = records[k];
        lines.push_back(Key(Object::Named).number(static_cast<std::uint64_t>(r.kind)).text(r.actor)
                            .number(static_cast<std::uint64_t>(r.call)).text(r.op).number(r.handle).number(r.socket)
                            .number(static_cast<std::uint64_t>(r.value))
                            .number(static_cast<std::uint64_t>(r.error))
                            .number(static_cast<std::uint64_t>(r.line)).value());
      }
      std::sort(lines.begin(), lines.end());
      Key content(Object::Named);
      for (std::uint64_t l : lines) content.number(l);
      Event e;
      e.name = Key(Object::Thread).number(content.value()).number(static_cast<std::uint64_t>(seen[content.value()]++)).number(static_cast<std::uint64_t>(now)).value();
      e.footprint = reader.read(records, i, end, std::string());
      events.push_back(std::move(e));
      i = end;
    }
    push_order_parts(events, parts);
  }
  std::sort(parts.begin(), parts.end());
  Key key(Object::Table);
  for (std::uint64_t p : parts) key.number(p);
  return key.value();
}

}  // namespace closesim::por
