// What the names of a scenario were bound to as it ran: each assignment of a descriptor name,
// in order, so that an expect line can ask what `s` meant at its own line (a name can be
// rebound, and a handle value reused). Private to sim/run.
#pragma once

#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "closesim/base/trace.h"

namespace closesim {

struct Binding {
  int line = 0;               // the step that bound it
  std::uint64_t seq = 0;      // trace position of that step's return
  std::string process;
  Handle handle = 0;
  SocketId socket = 0;
};

// Each lookup is O(log n) in the bindings of that name.
class NameHistory {
 public:
  void bind(const std::string& name, const Binding& b) {
    Bindings& all = handles_[name];
    all.by_line[b.line] = all.in_order.size();  // a later binding from the same line wins
    all.in_order.push_back(b);
  }

  // The binding in force for a step at `line`: the last one made by a step above it; else the
  // first one made at all (a step reordered by exploration may name it before it is bound).
  const Binding* at_line(const std::string& name, int line) const {
    auto it = handles_.find(name);
    if (it == handles_.end() || it->second.in_order.empty()) return nullptr;
    const Bindings& all = it->second;
    auto above = all.by_line.lower_bound(line);  // first binding at or below `line`
    if (above == all.by_line.begin()) return &all.in_order.front();
    return &all.in_order[std::prev(above)->second];
  }

 private:
  struct Bindings {
    std::vector<Binding> in_order;
    std::map<int, std::size_t> by_line;  // line -> index of the latest binding from it
  };
  std::map<std::string, Bindings> handles_;
};

}  // namespace closesim
