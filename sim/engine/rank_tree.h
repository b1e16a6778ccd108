// A Fenwick tree of 0/1 marks over positions 0, 1, 2...: set, clear, count and "the k-th marked
// position" in O(log n), and a new position appended in O(log n). The engine keeps the lanes due
// at one instant in it, so that a choice among many lanes costs O(log n), not O(lanes).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "closesim/base/check.h"

namespace closesim::engine_detail {

class RankTree {
 public:
  std::size_t size() const { return tree_.size() - 1; }
  std::size_t marked() const { return marked_; }

  // Appends position size(), marked or not. Node i covers (i - low(i), i]: its sum is the new
  // mark plus the nodes that tile (i - low(i), i - 1].
  void append(bool mark) {
    const std::size_t i = tree_.size();
    std::uint32_t sum = mark ? 1 : 0;
    const std::size_t stop = i - low(i);
    for (std::size_t j = i - 1; j > stop; j -= low(j)) sum += tree_[j];
    tree_.push_back(sum);
    if (mark) ++marked_;
  }

  // REQUIRES: the position is unmarked (set) or marked (clear).
  void set(std::size_t pos) { add(pos, 1), ++marked_; }
  void clear(std::size_t pos) { add(pos, -1), --marked_; }

  // The position of the k-th mark (0-based). REQUIRES: k < marked().
  std::size_t kth(std::size_t k) const {
    CLOSESIM_CHECK(k < marked_);
    const std::size_t n = size();
    std::size_t step = std::bit_floor(n);
    std::size_t at = 0;
    for (; step > 0; step /= 2) {
      if (at + step <= n && tree_[at + step] <= k) {
        at += step;
        k -= tree_[at];
      }
    }
    return at;  // 1-based at + 1 holds the mark, so its 0-based position is `at`
  }

  void reset() {
    tree_.resize(1);
    marked_ = 0;
  }

 private:
  static std::size_t low(std::size_t i) { return i & (~i + 1); }
  void add(std::size_t pos, int delta) {
    for (std::size_t i = pos + 1; i < tree_.size(); i += low(i))
      tree_[i] = static_cast<std::uint32_t>(static_cast<int>(tree_[i]) + delta);
  }

  std::vector<std::uint32_t> tree_ = std::vector<std::uint32_t>(1, 0);  // 1-based; [0] unused
  std::size_t marked_ = 0;
};

}  // namespace closesim::engine_detail
