#include "shared_run.h"

#include <cstring>

namespace realstack {

namespace {

template <typename Slot>
Slot* slot_named(Slot* slots, const std::string& name) {
  for (int i = 0; i < SharedRun::kSlots; ++i)
    if (name == slots[i].name) return &slots[i];
  for (int i = 0; i < SharedRun::kSlots; ++i) {
    if (slots[i].name[0] != 0) continue;
    std::strncpy(slots[i].name, name.c_str(), sizeof slots[i].name - 1);
    return &slots[i];
  }
  return nullptr;
}

}  // namespace

SharedRun* SharedRun::create(const std::string& name, int steps) {
  const std::size_t size = size_for(steps);
  void* memory = nullptr;
  if (name.empty()) {
    memory = VirtualAlloc(nullptr, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  } else {
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0, static_cast<DWORD>(size),
                                  name.c_str());
    if (m) memory = MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, size);
  }
  if (!memory) return nullptr;
  std::memset(memory, 0, size);
  auto* run = static_cast<SharedRun*>(memory);
  run->steps = steps;
  return run;
}

SharedRun* SharedRun::open(const std::string& name) {
  HANDLE m = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name.c_str());
  if (!m) return nullptr;
  return static_cast<SharedRun*>(MapViewOfFile(m, FILE_MAP_ALL_ACCESS, 0, 0, 0));
}

SharedRun::Process* SharedRun::process(const std::string& name) { return slot_named(processes, name); }
SharedRun::Info* SharedRun::info(const std::string& name) { return slot_named(infos, name); }

}  // namespace realstack
