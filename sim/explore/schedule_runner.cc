// Running many schedules of one scenario, with the rule checker memoised by trace.
#include <cstring>

#include "closesim/explore/explore.h"

namespace closesim {

namespace {

// A 64-bit mix of every field of every record, a word at a time (Trace::hash goes a byte at a
// time; this runs several times per schedule, so it must be cheap). Collisions between distinct
// traces of one exploration are as unlikely as for any 64-bit hash.
class Fingerprint {
 public:
  void word(std::uint64_t w) {
    h_ = (h_ ^ w) * 0x9e3779b97f4a7c15ULL;
    h_ ^= h_ >> 29;
  }
  void text(const std::string& s) {
    const char* p = s.data();
    std::size_t n = s.size();
    word(n);
    while (n >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      word(w);
      p += 8;
      n -= 8;
    }
    if (n) {
      std::uint64_t w = 0;
      std::memcpy(&w, p, n);
      word(w);
    }
  }
  std::uint64_t value() const {
    std::uint64_t z = h_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t h_ = 0x243f6a8885a308d3ULL;
};

}  // namespace

std::uint64_t trace_fingerprint(const Trace& trace) {
  Fingerprint f;
  f.word(trace.size());
  for (const TraceRecord& r : trace.records()) {
    f.word(static_cast<std::uint64_t>(r.time));
    f.word(r.seq);
    f.word(static_cast<std::uint64_t>(r.kind) | static_cast<std::uint64_t>(r.rule) << 8 |
           static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.layer)) << 32);
    f.word(static_cast<std::uint64_t>(r.handle) | static_cast<std::uint64_t>(r.socket) << 32);
    f.word(static_cast<std::uint64_t>(r.value));
    f.word(static_cast<std::uint64_t>(r.value2));
    f.word(static_cast<std::uint64_t>(r.bytes));
    f.word(static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.error)) |
           static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.line)) << 32);
    f.text(r.actor);
    f.text(r.process);
    f.text(std::string(call_name(r.call)));
    f.word(static_cast<std::uint64_t>(r.option));
    f.text(r.op);
    f.text(r.text);
  }
  return f.value();
}

ScheduleRunner::ScheduleRunner(const Scenario& scenario, const RunOptions& options)
    : scenario_(scenario), options_(options), rules_(options.rules) {
  options_.rules = RulesMode::Off;
  checker_.profile = options.profile.value_or(scenario.profile);
}

RunResult ScheduleRunner::run(ChoiceSource& choices) { return run(choices, nullptr); }

RunResult ScheduleRunner::run(ChoiceSource& choices, std::function<void(const Trace&)> watch_trace) {
  RunOptions options = options_;
  options.watch_trace = std::move(watch_trace);
  RunResult result = run_with_choices(scenario_, options, choices);
  ++runs_;
  result.rules_mode = rules_;
  if (rules_ == RulesMode::Off) return result;
  const std::uint64_t key = trace_fingerprint(result.trace);
  auto it = reports_.find(key);
  if (it == reports_.end()) {
    if (reports_.size() >= 100'000) reports_.clear();
    it = reports_.emplace(key, check_rules(result.trace, checker_)).first;
    ++checks_;
  }
  result.rules = it->second;
  return result;
}

}  // namespace closesim
