#include "closesim/engine/choice_source.h"

#include "closesim/base/check.h"

namespace closesim {

// splitmix64 (Steele, Lea, Flood; the reference code by Vigna). Only fixed-width unsigned
// arithmetic, so every platform and standard library produces the same stream.
std::uint64_t SeededChoice::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A plain modulo, one draw per choice. Its bias is below n / 2^64 per option, which no run can
// observe for the handful of lanes that are ever due at once. This mapping is part of the
// reproducibility contract: changing it (even to remove that bias) changes every seeded run.
std::size_t SeededChoice::choose(const ChoiceContext& ctx) {
  CLOSESIM_CHECK(ctx.options.size() >= 2);
  return static_cast<std::size_t>(next() % ctx.options.size());
}

}  // namespace closesim
