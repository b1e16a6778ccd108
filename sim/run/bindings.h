// What the names of a scenario were bound to as it ran: each assignment of a descriptor name,
// in order, so that an expect line can ask what `s` meant at its own line (a name can be
// rebound, and a handle value reused). Private to sim/run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "closesim/trace.h"

namespace closesim {

struct Binding {
  int line = 0;               // the step that bound it
  std::uint64_t seq = 0;      // trace position of that step's return
  std::string process;
  Handle handle = 0;
  SocketId socket = 0;
};

struct NameHistory {
  std::map<std::string, std::vector<Binding>> handles;  // in binding order

  // The binding in force for a step at `line`: the last one made by a step above it; else the
  // first one made at all (a step reordered by exploration may name it before it is bound).
  const Binding* at_line(const std::string& name, int line) const {
    auto it = handles.find(name);
    if (it == handles.end() || it->second.empty()) return nullptr;
    const Binding* best = nullptr;
    for (const Binding& b : it->second)
      if (b.line < line && (!best || b.line >= best->line)) best = &b;
    return best ? best : &it->second.front();
  }
};

}  // namespace closesim
