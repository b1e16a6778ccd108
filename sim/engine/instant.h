// The events due at the instant the engine is at, once two or more are due together: taken out
// of the heap in (time, seq) order and kept per lane in seq order. Each lane's earliest live
// event is marked in a RankTree at its position; positions grow with seq, so the k-th marked
// position is the k-th option of the choice point (options are in the seq order of each lane's
// earliest event). Offering a choice, answering it and the work after each cost O(log n) however
// many lanes are due, where gathering the candidates from the heap cost O(events due) per event.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/event_heap.h"
#include "engine/rank_tree.h"

namespace closesim::engine_detail {

class Instant {
 public:
  bool active() const { return active_; }
  Time time() const { return time_; }
  // Lanes with a live event due: the options of the choice point.
  std::size_t lanes_due() const { return heads_.marked(); }
  // Position of option k. REQUIRES: k < lanes_due().
  std::uint32_t option(std::size_t k) const { return static_cast<std::uint32_t>(heads_.kth(k)); }
  std::uint32_t slot(std::uint32_t position) const {
    return static_cast<std::uint32_t>(items_[position].key);
  }
  Lane lane(std::uint32_t position) const { return items_[position].lane; }
  // The option index of `lane`'s earliest live event, if the lane is due.
  bool option_of(Lane lane, std::size_t& k) const {
    if (lane >= head_.size() || head_[lane] == kNoPosition) return false;
    k = heads_.rank(head_[lane]);
    return true;
  }

  void begin(Time t) {
    CLOSESIM_CHECK(!active_);
    active_ = true;
    time_ = t;
  }

  // REQUIRES: active(), e due at time(), live, ranked above every entry added before; `lane`
  // is its slot's. `choices`: the choice points made so far in the run (a lane due from now on
  // is an option from the next one on).
  void add(const Entry& e, Lane lane, SlotPool& slots, std::uint64_t choices) {
    CLOSESIM_CHECK(active_ && e.time == time_);
    CLOSESIM_CHECK(items_.empty() || items_.back().key < e.key);
    const auto position = static_cast<std::uint32_t>(items_.size());
    if (lane >= head_.size()) {
      head_.resize(lane + 1, kNoPosition);
      tail_.resize(lane + 1, kNoPosition);
      since_.resize(lane + 1, 0);
    }
    items_.push_back({e.key, lane, kNoPosition});
    slots[e.slot()].position = position;
    const bool first = head_[lane] == kNoPosition;
    if (first) {
      head_[lane] = position;
      if (tracking_) {
        since_[lane] = choices;
        fresh_.push_back(lane);
      }
      touched_.push_back(lane);
    } else {
      items_[tail_[lane]].next = position;
    }
    tail_[lane] = position;
    heads_.append(first);
  }

  // The earliest live entry of its lane, at `position`, runs; `choices` counts the choice points
  // made so far, the one that picked it included. Returns the first choice point at which its
  // lane was an option with it (or with cancelled entries it stands for): it was an option at
  // the choice points [returned, choices). The lane's next live entry is an option from
  // `choices` on. Its slot stays with the caller.
  std::uint64_t run(std::uint32_t position, SlotPool& slots, std::uint64_t choices) {
    const Lane lane = items_[position].lane;
    CLOSESIM_CHECK(head_[lane] == position);
    if (!tracking_) {
      advance(lane, position, slots);
      return choices;
    }
    const std::uint64_t from = since_[lane];
    since_[lane] = choices;
    advance(lane, position, slots);
    if (active_ && head_[lane] != kNoPosition) fresh_.push_back(lane);
    return from;
  }

  // A cancelled entry at `position` leaves. One behind a live entry of its lane is skipped when
  // reached. A lane's earliest one gives its place to the lane's next live entry, which is an
  // option in its stead, at the same choice points on (the lane stays due); with none left, the
  // lane's offer is withdrawn: returns true, and `from` is the first choice point at which it was
  // an option. The caller releases the slot of an earliest entry.
  bool cancel(std::uint32_t position, SlotPool& slots, std::uint64_t& from) {
    const Lane lane = items_[position].lane;
    if (head_[lane] != position) return false;
    from = tracking_ ? since_[lane] : 0;
    advance(lane, position, slots);
    return head_[lane] == kNoPosition;
  }
  // Offers are tracked (since_, fresh_) from the start for a source that observes events, and
  // from the first question about them for any other: the plain run asks none, and saves the
  // bookkeeping on every event of a busy instant.
  void track() { tracking_ = true; }
  bool tracking() const { return tracking_; }

  // The option indices, ascending, of the lanes first offered at choice point `choice` (their
  // offer began after the previous one). REQUIRES: forget_fresh() after each choice point. Const
  // to its readers: the first call starts the tracking (mutable state), calling every option
  // fresh, which they are to a source that never asked before.
  void fresh_options(std::uint64_t choice, std::vector<std::size_t>& out) const {
    out.clear();
    if (!tracking_) {
      tracking_ = true;
      fresh_.clear();
      for (Lane lane : touched_) {
        if (head_[lane] == kNoPosition) continue;
        since_[lane] = choice;
        out.push_back(heads_.rank(head_[lane]));
      }
      std::sort(out.begin(), out.end());
      return;
    }
    for (Lane lane : fresh_)
      if (head_[lane] != kNoPosition && since_[lane] == choice) out.push_back(heads_.rank(head_[lane]));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  void forget_fresh() { fresh_.clear(); }

  // f(lane, since) for each lane due, in the order its first entry came; since: the first
  // choice point it was an option at.
  template <class F>
  void for_each_due_lane(F f) const {
    for (Lane lane : touched_)
      if (head_[lane] != kNoPosition) f(lane, since_[lane]);
  }
  bool earliest_of_its_lane(std::uint32_t position) const {
    return head_[items_[position].lane] == position;
  }

  // Gives the entries the ranks 0, 1, ... in position order (their order), keeping their
  // slots. Returns the next free rank. Only they are compared with one another: every entry
  // in the heap meanwhile is due later.
  std::uint64_t renumber() {
    std::uint64_t rank = 0;
    for (Item& item : items_) item.key = make_key(rank++, static_cast<std::uint32_t>(item.key));
    return rank;
  }

 private:
  void end();
  // The lane's head at `position` leaves: its next live entry becomes the head; cancelled ones on
  // the way give their slots back. Ends the instant when no lane has a live event left.
  void advance(Lane lane, std::uint32_t position, SlotPool& slots) {
    heads_.clear(position);
    std::uint32_t p = items_[position].next;
    while (p != kNoPosition && slots[slot(p)].cancelled()) {
      slots.release(slot(p));
      p = items_[p].next;
    }
    head_[lane] = p;
    if (p == kNoPosition) {
      tail_[lane] = kNoPosition;
    } else {
      heads_.set(p);
    }
    if (heads_.marked() == 0) end();
  }

  struct Item {
    std::uint64_t key;   // the entry's (Entry::key)
    Lane lane;
    std::uint32_t next;  // the next position of the same lane
  };

  bool active_ = false;
  Time time_ = 0;
  std::vector<Item> items_;           // by position
  std::vector<std::uint32_t> head_;   // lane -> position of its earliest live entry
  std::vector<std::uint32_t> tail_;   // lane -> position of its latest entry
  mutable bool tracking_ = false;
  mutable std::vector<std::uint64_t> since_;  // lane -> the first choice point it is an option at
  mutable std::vector<Lane> fresh_;           // lanes whose since_ was set since the last choice
  std::vector<Lane> touched_;         // lanes given a head this instant, to reset at the end
  RankTree heads_;
};

}  // namespace closesim::engine_detail
