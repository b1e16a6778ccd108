// 0/1 marks over positions 0, 1, 2...: set, clear, count and "the k-th marked position", and a
// new position appended. The engine keeps the lanes due at one instant in it, so that a choice
// among many lanes costs O(log n), not O(lanes). Up to 64 positions the marks are one word (each
// operation a few instructions: most instants hold a handful of events); past that, a Fenwick
// tree (each operation O(log n)).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "closesim/base/check.h"

namespace closesim::engine_detail {

class RankTree {
 public:
  std::size_t size() const { return size_; }
  std::size_t marked() const { return marked_; }

  // Appends position size(), marked or not.
  void append(bool mark) {
    if (!big_ && size_ < kWord) {
      if (mark) word_ |= std::uint64_t{1} << size_;
    } else {
      if (!big_) grow();
      tree_append(mark);
    }
    ++size_;
    if (mark) ++marked_;
  }

  // REQUIRES: the position is unmarked (set) or marked (clear).
  void set(std::size_t pos) {
    if (big_) {
      add(pos, 1);
    } else {
      word_ |= std::uint64_t{1} << pos;
    }
    ++marked_;
  }
  void clear(std::size_t pos) {
    if (big_) {
      add(pos, -1);
    } else {
      word_ &= ~(std::uint64_t{1} << pos);
    }
    --marked_;
  }

  // The position of the k-th mark (0-based). REQUIRES: k < marked().
  std::size_t kth(std::size_t k) const {
    CLOSESIM_CHECK(k < marked_);
    if (!big_) {
      std::uint64_t w = word_;
      for (; k > 0; --k) w &= w - 1;  // drop the k lowest marks
      return static_cast<std::size_t>(std::countr_zero(w));
    }
    const std::size_t n = size_;
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

  // How many positions below `pos` are marked: the option index of a marked position.
  std::size_t rank(std::size_t pos) const {
    CLOSESIM_CHECK(pos < size_);
    if (!big_) return static_cast<std::size_t>(std::popcount(word_ & ((std::uint64_t{1} << pos) - 1)));
    std::size_t sum = 0;
    for (std::size_t i = pos; i > 0; i -= low(i)) sum += tree_[i];
    return sum;
  }

  void reset() {
    word_ = 0;
    size_ = 0;
    marked_ = 0;
    if (big_) tree_.resize(1);
    big_ = false;
  }

 private:
  static constexpr std::size_t kWord = 64;
  static std::size_t low(std::size_t i) { return i & (~i + 1); }

  // The word's marks become the tree's first 64 positions.
  void grow() {
    tree_.resize(1);
    for (std::size_t p = 0; p < kWord; ++p) tree_append(((word_ >> p) & 1) != 0);
    big_ = true;
  }
  // Node i covers (i - low(i), i]: its sum is the new mark plus the nodes that tile
  // (i - low(i), i - 1].
  void tree_append(bool mark) {
    const std::size_t i = tree_.size();
    std::uint32_t sum = mark ? 1 : 0;
    const std::size_t stop = i - low(i);
    for (std::size_t j = i - 1; j > stop; j -= low(j)) sum += tree_[j];
    tree_.push_back(sum);
  }
  void add(std::size_t pos, int delta) {
    for (std::size_t i = pos + 1; i < tree_.size(); i += low(i))
      tree_[i] = static_cast<std::uint32_t>(static_cast<int>(tree_[i]) + delta);
  }

  std::uint64_t word_ = 0;  // the marks while !big_
  std::size_t size_ = 0;
  std::size_t marked_ = 0;
  bool big_ = false;
  std::vector<std::uint32_t> tree_ = std::vector<std::uint32_t>(1, 0);  // 1-based; [0] unused
};

}  // namespace closesim::engine_detail
