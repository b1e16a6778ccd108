#include "engine/instant.h"

namespace closesim::engine_detail {

// Every lane's list is empty by now (a lane whose earliest entry left gave back every cancelled
// one after it), so no slot is left behind.
void Instant::end() {
  for (Lane lane : touched_) head_[lane] = tail_[lane] = kNoPosition;
  touched_.clear();
  fresh_.clear();
  items_.clear();
  heads_.reset();
  active_ = false;
}

}  // namespace closesim::engine_detail
