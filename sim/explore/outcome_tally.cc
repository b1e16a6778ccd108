// Outcome classes: runs grouped by signature hash. A class's example is its least schedule
// (schedule_less), so the same classes come out whatever order runs or shards are added in.
#include <algorithm>

#include "closesim/explore/explore.h"

namespace closesim {

namespace {

template <typename T, typename Key>
typename std::vector<T>::iterator find_sorted(std::vector<T>& v, Key key, Key (*key_of)(const T&)) {
  return std::lower_bound(v.begin(), v.end(), key,
                          [&](const T& item, Key k) { return key_of(item) < k; });
}

std::uint64_t class_key(const OutcomeClass& c) { return c.hash; }
int tally_key(const ExpectationTally& e) { return e.line; }

}  // namespace

void OutcomeTally::add_run(const Answers& answers, const RunResult& result) {
  // The signature is a function of the trace, the rule report (itself a function of the trace)
  // and whether the run was stuck: memoised by trace hash, as most schedules repeat a trace.
  const std::pair<std::uint64_t, bool> key{trace_fingerprint(result.trace), !result.stuck.empty()};
  OutcomeSignature sig;
  bool have_signature = false;
  auto known = signature_of_trace_.find(key);
  if (known == signature_of_trace_.end()) {
    sig = outcome_signature(result);
    have_signature = true;
    signature_of_trace_.emplace(key, sig.hash);
  } else {
    sig.hash = known->second;
  }
  OutcomeClass c;
  c.hash = sig.hash;
  c.count = 1;
  c.example = trim_schedule(answers);
  auto it = find_sorted(classes_, c.hash, class_key);
  const bool fresh = it == classes_.end() || it->hash != c.hash;
  if (fresh || schedule_less(c.example, it->example)) {
    for (const Violation& v : result.rules.violations) {
      c.violations.push_back(format_violation(v));
      if (!v.divergence) c.violated.push_back(rule_name(v.rule));
    }
    std::sort(c.violated.begin(), c.violated.end(), [](const std::string& a, const std::string& b) {
      return parse_rule_name(a).value_or(RuleId::None) < parse_rule_name(b).value_or(RuleId::None);
    });
    c.violated.erase(std::unique(c.violated.begin(), c.violated.end()), c.violated.end());
    c.stuck = result.stuck;
    if (!have_signature && fresh) sig = outcome_signature(result);
    c.signature = have_signature || fresh ? std::move(sig.lines) : it->signature;
  }
  if (fresh) {
    classes_.insert(it, std::move(c));
  } else {
    add_class(c);
  }

  // Each expectation line counts once per schedule in which it failed.
  int last_line = -1;
  for (const ExpectationFailure& f : result.failures) {
    if (f.line == last_line) continue;
    last_line = f.line;
    add_expectation(ExpectationTally{f.line, 1, f.message, trim_schedule(answers)});
  }
}

void OutcomeTally::add_class(const OutcomeClass& c) {
  auto it = find_sorted(classes_, c.hash, class_key);
  if (it == classes_.end() || it->hash != c.hash) {
    classes_.insert(it, c);
    return;
  }
  it->count += c.count;
  if (schedule_less(c.example, it->example)) {
    it->example = c.example;
    it->violations = c.violations;
    it->violated = c.violated;
    it->stuck = c.stuck;
    if (!c.signature.empty()) it->signature = c.signature;
  }
}

void OutcomeTally::add_expectation(const ExpectationTally& e) {
  auto it = find_sorted(expectations_, e.line, tally_key);
  if (it == expectations_.end() || it->line != e.line) {
    expectations_.insert(it, e);
    return;
  }
  it->failed += e.failed;
  if (schedule_less(e.example, it->example)) {
    it->example = e.example;
    it->message = e.message;
  }
}

void OutcomeTally::finish(ExploreSummary& summary) {
  std::sort(classes_.begin(), classes_.end(), [](const OutcomeClass& a, const OutcomeClass& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.example != b.example) return schedule_less(a.example, b.example);
    return a.hash < b.hash;
  });
  summary.classes = std::move(classes_);
  summary.expectations = std::move(expectations_);
  classes_.clear();
  expectations_.clear();
}

}  // namespace closesim
