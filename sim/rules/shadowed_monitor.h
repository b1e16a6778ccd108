// The base of every rule monitor: it reads a ShadowState in step with the trace and gives each
// rule two looks at every record — before() with the state as it was before the record, after()
// with the record applied — plus the bookkeeping every rule shares (violations, divergences,
// coverage, the last record for checks made at finish). The checker gives all monitors one
// shared shadow (share(), look_before(), look_after()); a monitor used alone through observe()
// keeps its own. Each monitor names the record kinds its looks care about (RecordKinds), and
// the checker hands it those only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "closesim/base/check.h"
#include "closesim/rules/rules.h"
#include "rules/shadow_state.h"

namespace closesim::rules {

// A set of record kinds, one bit each.
class RecordKinds {
 public:
  constexpr RecordKinds() = default;
  constexpr RecordKinds(std::initializer_list<RecordKind> kinds) {
    for (RecordKind k : kinds) bits_ |= bit(k);
  }
  static constexpr RecordKinds all() {
    RecordKinds k;
    k.bits_ = ~std::uint64_t{0};
    return k;
  }
  constexpr bool has(RecordKind k) const { return (bits_ & bit(k)) != 0; }

 private:
  static constexpr std::uint64_t bit(RecordKind k) {
    return std::uint64_t{1} << static_cast<unsigned>(k);
  }
  std::uint64_t bits_ = 0;
};
static_assert(static_cast<unsigned>(RecordKind::Note) < 64, "RecordKinds holds a bit per kind");

class ShadowedMonitor : public RuleMonitor {
 public:
  ShadowedMonitor(RuleId id, const CheckerOptions& options)
      : id_(id), options_(options), own_(std::make_unique<ShadowState>()), shadow_(own_.get()) {
    coverage.rule = id;
  }
  ShadowedMonitor(const ShadowedMonitor&) = delete;
  ShadowedMonitor& operator=(const ShadowedMonitor&) = delete;

  RuleId rule() const final { return id_; }
  void observe(const TraceRecord& r, const Trace& trace) final {
    CLOSESIM_CHECK(own_ && "a monitor sharing a shadow is fed through look_before/look_after");
    look_before(r, trace);
    own_->apply(r);
    look_after(r, trace);
  }

  // From now on reads `shared`, which the caller applies every record to between this monitor's
  // look_before() and look_after().
  void share(const ShadowState& shared) {
    own_.reset();
    shadow_ = &shared;
  }
  void look_before(const TraceRecord& r, const Trace& trace) {
    last_time_ = r.time;
    last_seq_ = r.seq;
    before(r, trace);
  }
  void look_after(const TraceRecord& r, const Trace& trace) { after(r, trace); }

  // The kinds of record before() and after() act on: the checker skips the others, so a look
  // at a record of another kind must change nothing. The default is every kind.
  virtual RecordKinds before_kinds() const { return RecordKinds::all(); }
  virtual RecordKinds after_kinds() const { return RecordKinds::all(); }
  // The record finish() points its violations at when the checker skipped the last ones.
  void saw_last(const TraceRecord& r) {
    last_time_ = r.time;
    last_seq_ = r.seq;
  }

 protected:
  virtual void before(const TraceRecord& r, const Trace& trace) { (void)r, (void)trace; }
  virtual void after(const TraceRecord& r, const Trace& trace) { (void)r, (void)trace; }

  void violation(const TraceRecord& at, std::string message) {
    violation_at(at.time, at.seq, std::move(message));
  }
  void violation_at(Time time, std::uint64_t seq, std::string message) {
    violations.push_back({id_, time, seq, std::move(message), false});
    coverage.exercised = true;
  }
  // Violations found when the run is over point at its last record.
  void violation_at_end(std::string message) { violation_at(last_time_, last_seq_, std::move(message)); }
  // A known windows-profile departure seen in a windows-profile run: reported, not a failure.
  void divergence(const TraceRecord& at, std::string message) {
    violations.push_back({id_, at.time, at.seq, std::move(message), true});
    coverage.exercised = true;
  }
  // A departure Windows is known to make: a divergence there, a violation in the documented
  // profile.
  void departure(const TraceRecord& at, std::string message) {
    if (windows()) {
      divergence(at, std::move(message));
    } else {
      violation(at, std::move(message));
    }
  }
  void exercise(std::initializer_list<std::string_view> branches = {}) {
    coverage.exercised = true;
    for (std::string_view b : branches) coverage.branches.emplace(b);
  }
  void exercise(const std::set<std::string>& branches) {
    coverage.exercised = true;
    coverage.branches.insert(branches.begin(), branches.end());
  }
  // A close's branches: spelled out the first time each combination is seen.
  void exercise(const CloseBranches& branches) {
    coverage.exercised = true;
    const std::uint64_t bit = std::uint64_t{1} << branches.code();
    if ((close_branches_seen_ & bit) != 0) return;
    close_branches_seen_ |= bit;
    const std::set<std::string> names = branches.names();
    coverage.branches.insert(names.begin(), names.end());
  }
  bool windows() const { return options_.profile == ProfileKind::Windows; }

  const ShadowState& shadow() const { return *shadow_; }

  const RuleId id_;
  const CheckerOptions options_;

 private:
  std::unique_ptr<ShadowState> own_;  // null when sharing
  const ShadowState* shadow_;
  std::uint64_t close_branches_seen_ = 0;  // by CloseBranches::code()
  static_assert(CloseBranches::kCount <= 64);

 protected:
  Time last_time_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace closesim::rules
