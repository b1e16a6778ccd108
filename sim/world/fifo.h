// A first-in first-out queue for the model's per-object queues (a listener's backlog, a
// thread's APCs). Private to sim/world. Unlike std::deque, an empty one allocates nothing:
// there is one per socket and one per thread, and most stay empty for their whole life.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace closesim {

template <typename T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  const T& front() const { return items_[head_]; }
  T& front() { return items_[head_]; }
  void push_back(T item) { items_.push_back(std::move(item)); }
  // Amortised O(1): the taken items' room is given back once the queue runs empty.
  void pop_front() {
    ++head_;
    if (head_ == items_.size()) clear();
  }
  void clear() {
    items_.clear();
    head_ = 0;
  }
  auto begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return items_.end(); }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace closesim
