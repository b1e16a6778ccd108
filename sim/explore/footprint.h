// What one engine event touched, read from the trace records it wrote: the dependency relation
// of partial-order reduction (docs/explore.md, "Dependency"). Like the rule checker it reads
// the trace only, so it needs nothing from the model and cannot be fooled by it.
//
// Two events are dependent when one writes an object the other reads or writes. Objects are
// threads, descriptors (process, handle), a process's descriptor table, sockets, a socket's
// queue of parked callers, overlapped operations and named objects (events, ports). A record
// whose effect is not classified below writes the whole world, so an unknown kind can only
// make the reduction explore more, never less. An event that wrote no record at all may still
// have read something and decided to do nothing (an acknowledgement arriving after a reset): it
// is dependent on everything at its instant — except in a scripted thread's own lane (its label
// is the thread's, "A.t1"), where a silent event is the thread taking its next step, or finding
// it still busy: it reads that thread's state only; and in a link's lane ("link#3"), where it
// touched that socket only (data arriving for a socket that was closed meanwhile).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "closesim/base/trace.h"

namespace closesim::por {

struct Access {
  std::uint64_t object = 0;  // a hash of the object's kind and identity; collisions only merge
  bool write = false;
  bool operator<(const Access& o) const {
    return object != o.object ? object < o.object : write < o.write;
  }
  bool operator==(const Access& o) const { return object == o.object && write == o.write; }
};

// Sorted, without duplicates; `everything` when the event must be taken to touch all objects.
struct Footprint {
  std::vector<Access> accesses;
  bool everything = false;
};

bool dependent(const Footprint& a, const Footprint& b);

// Reads a run's trace event by event. Parked callers of one socket are ordered in the model's
// queue; the order is observable only when a caller is served while another still waits (data
// arriving for one of two parked recvs). `ordered_queues` lists the sockets where the run showed
// that; parking on any other socket commutes with other parkings there.
class FootprintReader {
 public:
  // `all_ordered`: take every socket's queue as ordered (when the run is not over yet).
  explicit FootprintReader(std::set<SocketId> ordered_queues, bool all_ordered = false)
      : ordered_(std::move(ordered_queues)), all_ordered_(all_ordered) {}
  // REQUIRES: records of one event, in trace order, events in run order. `lane_label` is the
  // label of the event's lane ("" if unknown).
  Footprint read(const TraceRecords& records, std::size_t first, std::size_t last,
                 const std::string& lane_label);

 private:
  struct CallPlace {
    std::string process;
    Handle handle = 0;
    SocketId socket = 0;
  };
  std::set<SocketId> ordered_;
  bool all_ordered_ = false;
  std::map<std::string, CallPlace, std::less<>> calls_;  // thread -> its current call
  CallPlace& place_of(std::string_view thread);
};

// The sockets whose queue of parked callers a run observed in order (see FootprintReader).
std::set<SocketId> ordered_queues(const Trace& trace);

}  // namespace closesim::por

namespace closesim::por {

// Names the Mazurkiewicz trace of a run: equal for two runs exactly when they differ only in the
// order of independent events (as far as a 64-bit hash tells). An event is named by its records'
// content (not their times or sequence numbers) and its rank among the events of the same
// content at its instant; the key hashes every event's name with what orders the dependent pairs
// of its instant (for each object written, its writes in order and the reads between them; and
// where the events that touch everything fall), which tells the order of every dependent pair
// without listing the pairs.
std::uint64_t mazurkiewicz_key(const Trace& trace);

}  // namespace closesim::por
