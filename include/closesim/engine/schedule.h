// A schedule is the list of answers a run gave at its choice points, written "0.1.0.2". Any
// run can be replayed exactly from it: ScheduleChoice answers from the list, then from a
// fallback source, and records every answer it gave with how many options there were.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "closesim/engine/choice_source.h"

namespace closesim {

struct ChoiceTaken {
  std::size_t chosen = 0;
  std::size_t options = 0;
  Time time = 0;
  // No labels: a copy of every option's label at every choice point grows with lanes times
  // choices. A report that wants them replays the schedule and reads ChoiceContext::options.
};

class ScheduleChoice final : public ChoiceSource {
 public:
  // `fallback` answers past the end of `prefix`; nullptr means option 0.
  ScheduleChoice(std::vector<std::size_t> prefix, ChoiceSource* fallback);
  std::size_t choose(const ChoiceContext& ctx) override;
  // The fallback sees every event too (partial-order reduction reads them).
  bool observes_events() const override { return fallback_ && fallback_->observes_events(); }
  void on_event(const EventInfo& e) override {
    if (fallback_) fallback_->on_event(e);
  }
  void on_withdrawn(Lane lane, Time time, std::uint64_t from, std::uint64_t to) override {
    if (fallback_) fallback_->on_withdrawn(lane, time, from, to);
  }

  const std::vector<ChoiceTaken>& taken() const { return taken_; }
  // True when the prefix named an option a choice point did not have (it was clamped).
  bool mismatched() const { return mismatched_; }
  std::vector<std::size_t> answers() const;

 private:
  std::vector<std::size_t> prefix_;
  ChoiceSource* fallback_;
  std::vector<ChoiceTaken> taken_;
  bool mismatched_ = false;
};

std::string format_schedule(const std::vector<std::size_t>& answers);  // "0.1.0"; "" if empty
std::optional<std::vector<std::size_t>> parse_schedule(const std::string& text);

}  // namespace closesim
