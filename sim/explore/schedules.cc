// Schedules as answers: trimming and writing them, replaying a prefix, running one schedule.
#include <algorithm>
#include "closesim/base/check.h"

#include "closesim/engine/schedule.h"
#include "closesim/explore/explore.h"

namespace closesim {

Answers trim_schedule(Answers answers) {
  while (!answers.empty() && answers.back() == 0) answers.pop_back();
  return answers;
}

std::string schedule_text(const Answers& answers) {
  std::string text = format_schedule(trim_schedule(answers));
  return text.empty() ? "0" : text;
}

bool schedule_less(const Answers& a, const Answers& b) {
  Answers ta = trim_schedule(a);
  Answers tb = trim_schedule(b);
  if (ta.size() != tb.size()) return ta.size() < tb.size();
  return ta < tb;
}

std::size_t PrefixChoice::choose(const ChoiceContext& ctx) {
  const std::size_t n = ctx.options.size();
  CLOSESIM_CHECK(n >= 2);
  const std::size_t i = taken_.size();
  std::size_t pick = i < prefix_.size() ? std::min(prefix_[i], n - 1) : 0;
  taken_.push_back(ChoicePoint{static_cast<std::uint32_t>(pick), static_cast<std::uint32_t>(n)});
  return pick;
}

Answers PrefixChoice::answers() const {
  Answers out;
  out.reserve(taken_.size());
  for (const ChoicePoint& c : taken_) out.push_back(c.chosen);
  return out;
}

std::size_t RandomWalkChoice::choose(const ChoiceContext& ctx) {
  const std::size_t pick = random_.choose(ctx);
  taken_.push_back(ChoicePoint{static_cast<std::uint32_t>(pick),
                               static_cast<std::uint32_t>(ctx.options.size())});
  return pick;
}

RunResult run_with_choices(const Scenario& scenario, RunOptions options, ChoiceSource& choices) {
  options.choices = &choices;
  options.schedule = Answers{};  // an empty prefix: the file's `schedule` directive is not used
  options.randomize = false;
  options.seed.reset();
  return run_scenario(scenario, options);
}

RunResult replay_schedule(const Scenario& scenario, const RunOptions& options,
                          const Answers& answers) {
  RunOptions o = options;
  o.choices = nullptr;
  o.randomize = false;
  o.seed.reset();
  o.schedule = answers;  // set, even when empty: the file's `schedule` directive is not used
  return run_scenario(scenario, o);
}

}  // namespace closesim
