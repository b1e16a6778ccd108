#include "explore/offers.h"

#include <algorithm>

#include "closesim/base/check.h"

namespace closesim::por {

void OfferLog::add(Lane lane, Time time, std::uint64_t from, std::uint64_t to) {
  CLOSESIM_CHECK(from < to);
  CLOSESIM_CHECK(offers_.empty() || offers_.back().to <= to);
  offers_.push_back(Offer{lane, time, from, to});
  if (lane >= by_lane_.size()) by_lane_.resize(lane + 1);
  std::vector<Span>& spans = by_lane_[lane];
  CLOSESIM_CHECK(spans.empty() || spans.back().to <= from);
  if (!spans.empty() && spans.back().to == from) {
    spans.back().to = to;  // the lane's next event took the place of the one that ran
  } else {
    spans.push_back(Span{from, to});
  }
}

bool OfferLog::offered(Lane lane, std::uint64_t choice) const {
  if (lane >= by_lane_.size()) return false;
  const std::vector<Span>& spans = by_lane_[lane];
  // The last span starting at or before the choice point is the only one that can hold it.
  auto it = std::upper_bound(spans.begin(), spans.end(), choice,
                             [](std::uint64_t c, const Span& s) { return c < s.from; });
  return it != spans.begin() && choice < std::prev(it)->to;
}

std::vector<Lane> OfferLog::options_at(std::uint64_t choice) const {
  std::vector<Lane> out;
  // Offers holding the choice point end after it, and end within its instant.
  auto it = std::upper_bound(offers_.begin(), offers_.end(), choice,
                             [](std::uint64_t c, const Offer& o) { return c < o.to; });
  if (it == offers_.end()) return out;
  const Time time = it->time;
  for (; it != offers_.end() && it->time == time; ++it)
    if (it->from <= choice) out.push_back(it->lane);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace closesim::por
