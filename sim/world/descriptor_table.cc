#include "world/descriptor_table.h"

#include "closesim/base/check.h"

namespace closesim {

namespace {
constexpr Handle kStep = 4;  // Windows handle values are multiples of four
}

Handle DescriptorTable::allocate(SocketId socket, int layer, HandleKind kind, bool app_level) {
  // Every free value below next_ is in free_, so the lowest free one is O(log n) away.
  Handle h = next_;
  if (!free_.empty()) {
    h = *free_.begin();
    free_.erase(free_.begin());
  } else {
    next_ += kStep;
  }
  live_[h] = Descriptor{h, socket, layer, kind, app_level, 0, false, false, false, false};
  return h;
}

void DescriptorTable::release(Handle h) {
  auto erased = live_.erase(h);
  CLOSESIM_CHECK(erased == 1 && "released a descriptor that was not live");
  (void)erased;
  free_.insert(h);
}

Descriptor* DescriptorTable::find(Handle h) {
  auto it = live_.find(h);
  return it == live_.end() ? nullptr : &it->second;
}

const Descriptor* DescriptorTable::find(Handle h) const {
  auto it = live_.find(h);
  return it == live_.end() ? nullptr : &it->second;
}

}  // namespace closesim
