// Merging summaries: the shards of one split (or any summaries of one scenario explored with the
// same settings) become one report, as if explored at once.
#include <algorithm>

#include <fmt/format.h>

#include "closesim/explore/explore.h"

namespace closesim {

std::optional<ExploreSummary> merge_summaries(const std::vector<ExploreSummary>& parts,
                                              std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (parts.empty()) {
    *error = "nothing to merge";
    return std::nullopt;
  }
  const ExploreSummary& first = parts.front();
  ExploreSummary out;
  out.file = first.file;
  out.title = first.title;
  out.strategy = first.strategy;
  out.provider = first.provider;
  out.profile = first.profile;
  out.mutant = first.mutant;
  out.rules_mode = first.rules_mode;
  out.expect_all = first.expect_all;
  out.check_determinism = first.check_determinism;
  out.max_schedules = first.max_schedules;
  out.preemption_bound = first.preemption_bound;
  out.split_depth = first.split_depth;
  out.runs = first.runs;
  out.seed = first.seed;
  out.depth = first.depth;
  out.shard_count = first.shard_count;
  out.lanes = first.lanes;
  out.choices = first.choices;
  out.shards.clear();

  OutcomeTally tally;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const ExploreSummary& p = parts[i];
    auto differs = [&](const char* what, const std::string& a, const std::string& b) {
      if (a == b) return false;
      *error = fmt::format("summary {} explored with {} '{}', the first with '{}': they do not "
                           "belong together", i + 1, what, b, a);
      return true;
    };
    if (differs("file", first.file, p.file) || differs("strategy", first.strategy, p.strategy) ||
        differs("provider", first.provider, p.provider) ||
        differs("profile", first.profile, p.profile) || differs("mutant", first.mutant, p.mutant) ||
        differs("rules", first.rules_mode, p.rules_mode) ||
        differs("shard count", std::to_string(first.shard_count), std::to_string(p.shard_count)))
      return std::nullopt;
    // The parameters that decide which schedules a shard runs must agree too.
    auto bound = [](const ExploreSummary& s) {
      return s.preemption_bound ? std::to_string(*s.preemption_bound) : std::string("none");
    };
    const bool tree = first.strategy == "dfs" || first.strategy == "dpor";
    if (tree &&
        (differs("preemption bound", bound(first), bound(p)) ||
         differs("split depth", std::to_string(first.split_depth), std::to_string(p.split_depth))))
      return std::nullopt;
    if (!tree &&
        (differs("seed", std::to_string(first.seed), std::to_string(p.seed)) ||
         differs("runs", std::to_string(first.runs), std::to_string(p.runs)) ||
         differs("depth", std::to_string(first.depth), std::to_string(p.depth))))
      return std::nullopt;
    for (std::uint32_t shard : p.shards) {
      if (std::find(out.shards.begin(), out.shards.end(), shard) != out.shards.end()) {
        *error = fmt::format("shard {}/{} is in more than one summary: its schedules would count "
                             "twice", shard, p.shard_count);
        return std::nullopt;
      }
      out.shards.push_back(shard);
    }
    out.max_schedules = std::max(out.max_schedules, p.max_schedules);
    out.expect_all = out.expect_all || p.expect_all;
    out.check_determinism = out.check_determinism || p.check_determinism;
    out.schedules += p.schedules;
    out.probes += p.probes;
    out.truncated = out.truncated || p.truncated;
    // Shards of a reduced search may run one trace in two subtrees: the sum is an upper bound.
    out.traces += p.traces;
    out.fallback_runs = std::max(out.fallback_runs, p.fallback_runs);
    out.fallback_depths = std::max(out.fallback_depths, p.fallback_depths);
    for (const OutcomeClass& c : p.classes) tally.add_class(c);
    for (const ExpectationTally& e : p.expectations) tally.add_expectation(e);
    out.nondeterministic.insert(out.nondeterministic.end(), p.nondeterministic.begin(),
                                p.nondeterministic.end());
    if (p.first_violation &&
        (!out.first_violation || schedule_less(p.first_violation->schedule, out.first_violation->schedule)))
      out.first_violation = p.first_violation;
  }
  std::sort(out.shards.begin(), out.shards.end());
  std::sort(out.nondeterministic.begin(), out.nondeterministic.end(),
            [](const DeterminismFailure& a, const DeterminismFailure& b) {
              return schedule_less(a.schedule, b.schedule);
            });
  tally.finish(out);
  return out;
}

}  // namespace closesim
