// What the runner's processes share when a scenario has several: one named file mapping made by
// the first process (the parent) before it starts a child per other scenario process. It holds
// time zero, the trace's next seq, each step's progress (so steps keep file order across
// processes), each process's id (for WSADuplicateSocket) and the protocol infos handed over.
// A scenario of one process uses the same layout in the process's own memory.
#pragma once

#include <winsock2.h>
#include <windows.h>

#include <cstdint>
#include <string>

namespace realstack {

struct SharedRun {
  static constexpr int kSlots = 16;
  struct Process {
    char name[32];
    DWORD pid;
    std::int32_t ready;  // 1 once the process is waiting for time zero
  };
  struct Info {
    char name[32];
    std::int32_t set;  // 1 once `info` is written
    std::uint32_t socket;  // closesim's number of the socket it duplicates: duplicates share it
    WSAPROTOCOL_INFOW info;
  };
  std::int64_t t0;      // steady_clock ticks of time zero
  std::int32_t go;      // 1 once t0 is set
  std::int64_t seq;     // the trace's next seq
  Process processes[kSlots];
  Info infos[kSlots];
  std::int32_t steps;
  // Then `steps` states (0 waiting, 1 started, 2 returned) and `steps` start times: see state().
  std::int32_t* state() { return reinterpret_cast<std::int32_t*>(this + 1); }
  std::int64_t* started() { return reinterpret_cast<std::int64_t*>(state() + steps + (steps & 1)); }

  static std::size_t size_for(int steps) {
    return sizeof(SharedRun) + sizeof(std::int32_t) * (steps + 1) + sizeof(std::int64_t) * steps;
  }
  // The parent makes it (`name` empty: private memory, a one-process run); a child opens it.
  static SharedRun* create(const std::string& name, int steps);
  static SharedRun* open(const std::string& name);
  Process* process(const std::string& name);  // the slot of that name, made if missing
  Info* info(const std::string& name);
};

}  // namespace realstack
