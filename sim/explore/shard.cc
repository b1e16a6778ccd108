// Shards: "I/N", part I of N disjoint parts of a schedule space.
#include <charconv>

#include "closesim/explore/explore.h"

namespace closesim {

std::optional<Shard> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  auto number = [](const char* begin, const char* end) -> std::optional<std::uint32_t> {
    std::uint32_t v = 0;
    auto [next, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || next != end) return std::nullopt;
    return v;
  };
  const char* p = text.data();
  std::optional<std::uint32_t> index = number(p, p + slash);
  std::optional<std::uint32_t> count = number(p + slash + 1, p + text.size());
  if (!index || !count || *count == 0 || *index >= *count) return std::nullopt;
  return Shard{*index, *count};
}

}  // namespace closesim
