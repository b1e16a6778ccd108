#include "engine/instant.h"

namespace closesim::engine_detail {

void Instant::begin(Time t) {
  CLOSESIM_CHECK(!active_);
  active_ = true;
  time_ = t;
}

void Instant::add(const Entry& e, SlotPool& slots) {
  CLOSESIM_CHECK(active_ && e.time == time_);
  CLOSESIM_CHECK(entries_.empty() || entries_.back().seq < e.seq);
  const auto position = static_cast<std::uint32_t>(entries_.size());
  if (e.lane >= head_.size()) {
    head_.resize(e.lane + 1, kNoPosition);
    tail_.resize(e.lane + 1, kNoPosition);
  }
  entries_.push_back(e);
  next_.push_back(kNoPosition);
  slots[e.slot].position = position;
  const bool first = head_[e.lane] == kNoPosition;
  if (first) {
    head_[e.lane] = position;
    touched_.push_back(e.lane);
  } else {
    next_[tail_[e.lane]] = position;
  }
  tail_[e.lane] = position;
  heads_.append(first);
}

void Instant::remove(std::uint32_t position, SlotPool& slots) {
  const Lane lane = entries_[position].lane;
  if (head_[lane] != position) return;  // cancelled behind a live one: skipped when reached
  heads_.clear(position);
  std::uint32_t p = next_[position];
  while (p != kNoPosition && slots[entries_[p].slot].cancelled) {
    slots.release(entries_[p].slot);
    p = next_[p];
  }
  head_[lane] = p;
  if (p == kNoPosition) {
    tail_[lane] = kNoPosition;
  } else {
    heads_.set(p);
  }
  if (heads_.marked() == 0) end();
}

// Every lane's list is empty by now (a lane whose earliest entry left gave back every cancelled
// one after it), so no slot is left behind.
void Instant::end() {
  for (Lane lane : touched_) head_[lane] = tail_[lane] = kNoPosition;
  touched_.clear();
  entries_.clear();
  next_.clear();
  heads_.reset();
  active_ = false;
}

}  // namespace closesim::engine_detail
