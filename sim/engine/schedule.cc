#include "closesim/engine/schedule.h"

#include <charconv>

namespace closesim {

ScheduleChoice::ScheduleChoice(std::vector<std::size_t> prefix, ChoiceSource* fallback)
    : prefix_(std::move(prefix)), fallback_(fallback) {}

std::size_t ScheduleChoice::choose(const ChoiceContext& ctx) {
  const std::size_t n = ctx.options.size();
  std::size_t pick = 0;
  const std::size_t i = taken_.size();
  if (i < prefix_.size()) {
    pick = prefix_[i];
    if (pick >= n) {
      mismatched_ = true;
      pick = n - 1;
    }
  } else if (fallback_) {
    pick = fallback_->choose(ctx);
  }
  taken_.push_back(ChoiceTaken{pick, n, ctx.time});
  return pick;
}

std::vector<std::size_t> ScheduleChoice::answers() const {
  std::vector<std::size_t> out;
  out.reserve(taken_.size());
  for (const ChoiceTaken& c : taken_) out.push_back(c.chosen);
  return out;
}

std::string format_schedule(const std::vector<std::size_t>& answers) {
  std::string out;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (i) out += '.';
    out += std::to_string(answers[i]);
  }
  return out;
}

std::optional<std::vector<std::size_t>> parse_schedule(const std::string& text) {
  std::vector<std::size_t> out;
  if (text.empty()) return out;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    std::size_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p) return std::nullopt;
    out.push_back(v);
    p = next;
    if (p < end) {
      if (*p != '.') return std::nullopt;
      ++p;
      if (p == end) return std::nullopt;
    }
  }
  return out;
}

}  // namespace closesim
