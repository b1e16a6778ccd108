// The text report of an exploration (and of merged shards), its exit status and replay lines.
#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "closesim/explore/explore.h"
#include "report/visible.h"

namespace closesim {

namespace {

bool rules_fail(const ExploreSummary& s) { return s.rules_mode == "on"; }

bool class_fails(const ExploreSummary& s, const OutcomeClass& c) {
  return (rules_fail(s) && !c.violated.empty()) || !c.stuck.empty();
}

// A word the shell passes through unchanged is written as is; anything else in single quotes.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.' || ch == '/' || ch == ':' || ch == '=' || ch == '+';
  });
  if (plain) return word;
  std::string out = "'";
  for (char ch : word) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// PCT's bound: a bug needing d ordering constraints shows in one run with probability at least
// 1/(n k^(d-1)), so in r runs with at least 1 - (1 - that)^r.
double pct_bound(const ExploreSummary& s, std::uint64_t depth, std::uint64_t runs) {
  const double n = static_cast<double>(std::max<std::uint64_t>(s.lanes, 1));
  const double k = static_cast<double>(std::max<std::uint64_t>(s.choices, 1));
  const double p = 1.0 / (n * std::pow(k, static_cast<double>(depth - 1)));
  return 1.0 - std::pow(1.0 - p, static_cast<double>(runs));
}

// What a shard covers, when the summary is not the whole.
std::string shard_scope(const ExploreSummary& s) {
  if (s.complete_shards()) return "";
  return fmt::format(" — shard{} {} of {} only: merge all {} for the whole",
                     s.shards.size() == 1 ? "" : "s", fmt::join(s.shards, ","), s.shard_count,
                     s.shard_count);
}

std::string strategy_line(const ExploreSummary& s) {
  std::string out;
  if (s.strategy == "dpor") {
    out = fmt::format("dpor, {} ({})", plural(s.schedules, "schedule", "schedules"),
                      plural(s.traces, "Mazurkiewicz trace", "Mazurkiewicz traces"));
    if (s.fallback_runs) {
      out += fmt::format(" (partial-order reduction stopped at --max-schedules {}; then pct at "
                         "depths 1-{}, {} each: not exhaustive)",
                         s.max_schedules, s.fallback_depths, plural(s.fallback_runs, "run", "runs"));
    } else if (s.truncated) {
      out += fmt::format(" (stopped at --max-schedules {}: not exhaustive)", s.max_schedules);
    } else if (s.complete_shards()) {
      out += " (every order of dependent events: exhaustive)";
    }
  } else if (s.strategy == "dfs") {
    out = fmt::format("dfs, {}", plural(s.schedules, "schedule", "schedules"));
    if (s.truncated)
      out += fmt::format(" (stopped at --max-schedules {}: not exhaustive)", s.max_schedules);
    else if (s.preemption_bound)
      out += fmt::format(" (every schedule with at most {} deviation{} from option 0)",
                         *s.preemption_bound, *s.preemption_bound == 1 ? "" : "s");
    else if (s.complete_shards())
      out += " (every schedule: exhaustive)";
  } else if (s.strategy == "pct") {
    out = fmt::format("pct depth {}, {}, seed {}", s.depth, plural(s.schedules, "run", "runs"), s.seed);
  } else {
    out = fmt::format("random, {}, seed {}", plural(s.schedules, "run", "runs"), s.seed);
  }
  if (s.shard_count > 1) {
    if (s.shards.size() == 1) {
      out += fmt::format(", shard {}/{}", s.shards[0], s.shard_count);
    } else {
      out += fmt::format(", shards {} of {}", fmt::join(s.shards, ","), s.shard_count);
    }
    if (!s.complete_shards() && s.shards.size() > 1) out += " (incomplete)";
  }
  return out + shard_scope(s);
}

// What `c` has that `base` lacks (+) and lacks that `base` has (-), both multisets.
std::string differences(const OutcomeClass& base, const OutcomeClass& c) {
  std::vector<std::string> only_c, only_base;
  std::set_difference(c.signature.begin(), c.signature.end(), base.signature.begin(),
                      base.signature.end(), std::back_inserter(only_c));
  std::set_difference(base.signature.begin(), base.signature.end(), c.signature.begin(),
                      c.signature.end(), std::back_inserter(only_base));
  std::string out;
  for (const std::string& l : only_base) out += fmt::format("      - {}\n", l);
  for (const std::string& l : only_c) out += fmt::format("      + {}\n", l);
  return out;
}

}  // namespace

int explore_exit_status(const ExploreSummary& s, bool require_exhaustive) {
  if (require_exhaustive && !s.exhaustive()) return 1;
  for (const OutcomeClass& c : s.classes)
    if (class_fails(s, c)) return 1;
  if (!s.nondeterministic.empty()) return 1;
  for (const ExpectationTally& e : s.expectations)
    if (e.failed > 0 && (s.expect_all || e.failed >= s.schedules)) return 1;
  return 0;
}

std::string replay_command(const ExploreSummary& s, const Answers& schedule) {
  std::string out = "closesim run " + shell_word(s.file) + " --schedule " + schedule_text(schedule);
  if (!s.provider.empty()) out += " --provider " + shell_word(s.provider);
  if (!s.profile.empty()) out += " --profile " + shell_word(s.profile);
  if (!s.mutant.empty()) out += " --mutant " + shell_word(s.mutant);
  if (s.rules_mode != "on") out += " --rules " + s.rules_mode;
  return out;
}

std::string render_explore_report(const ExploreSummary& s, const ExploreReportOptions& options) {
  std::string out;
  out += fmt::format("explore:  {}\n", s.file);
  // The title comes from the file: its control bytes are shown, never obeyed.
  if (!s.title.empty()) out += fmt::format("title:    {}\n", report::visible_controls(s.title));
  out += fmt::format("strategy: {}\n", strategy_line(s));
  std::vector<std::string> under;
  if (!s.provider.empty()) under.push_back("provider " + s.provider);
  if (!s.profile.empty()) under.push_back("profile " + s.profile);
  if (!s.mutant.empty()) under.push_back("mutant " + s.mutant);
  if (s.rules_mode != "on") under.push_back("rules " + s.rules_mode);
  if (!under.empty()) out += fmt::format("under:    {}\n", fmt::join(under, ", "));

  out += fmt::format("\n{}\n", plural(s.classes.size(), "outcome class", "outcome classes"));
  for (std::size_t i = 0; i < s.classes.size(); ++i) {
    const OutcomeClass& c = s.classes[i];
    std::string verdict = "ok";
    if (class_fails(s, c)) {
      std::vector<std::string> why = c.violated;
      if (!c.stuck.empty()) why.push_back("stuck");
      verdict = fmt::format("FAIL ({})", fmt::join(why, ", "));
    } else if (!c.violated.empty()) {
      verdict = fmt::format("warn ({})", fmt::join(c.violated, ", "));
    }
    out += fmt::format("  class {}: {} of {}, e.g. schedule {}  [{}]  {}\n", i + 1,
                       plural(c.count, "schedule", "schedules"), s.schedules,
                       schedule_text(c.example), hash_text(c.hash), verdict);
    if (options.signatures) {
      for (const std::string& l : c.signature) out += fmt::format("      {}\n", l);
    } else if (i > 0) {
      std::string diff = differences(s.classes[0], c);
      if (!diff.empty()) out += fmt::format("    differs from class 1:\n{}", diff);
    }
    for (const std::string& v : c.violations) out += fmt::format("    {}\n", v);
    for (const std::string& m : c.stuck) out += fmt::format("    stuck: {}\n", m);
    out += fmt::format("    replay: {}\n", replay_command(s, c.example));
  }

  std::vector<const ExpectationTally*> depends, always;
  for (const ExpectationTally& e : s.expectations)
    (e.failed >= s.schedules ? always : depends).push_back(&e);
  if (!depends.empty()) {
    out += fmt::format("\ndepends on schedule (holds in some schedules, fails in others){}:\n",
                       s.expect_all ? " — failures under --expect-all" : "");
    for (const ExpectationTally* e : depends) {
      out += fmt::format("  line {}: fails in {} of {} schedules, e.g. {}\n", e->line, e->failed,
                         s.schedules, e->message);
      out += fmt::format("    replay: {}\n", replay_command(s, e->example));
    }
  }
  if (!always.empty()) {
    out += "\nfails in every schedule:\n";
    for (const ExpectationTally* e : always) {
      out += fmt::format("  line {}: {}\n", e->line, e->message);
      out += fmt::format("    replay: {}\n", replay_command(s, e->example));
    }
  }
  if (!s.nondeterministic.empty()) {
    out += "\nnot deterministic (two runs of one schedule gave different traces):\n";
    for (const DeterminismFailure& d : s.nondeterministic) {
      out += fmt::format("  schedule {}: trace hashes {} and {}\n", schedule_text(d.schedule),
                         hash_text(d.first), hash_text(d.second));
      out += fmt::format("    replay: {}\n", replay_command(s, d.schedule));
    }
  }

  // The verdict line.
  std::vector<std::string> fails;
  std::vector<std::string> rules;
  for (const OutcomeClass& c : s.classes)
    for (const std::string& r : c.violated)
      if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
  std::sort(rules.begin(), rules.end(), [](const std::string& a, const std::string& b) {
    return parse_rule_name(a).value_or(RuleId::None) < parse_rule_name(b).value_or(RuleId::None);
  });
  if (rules_fail(s)) {
    for (const std::string& r : rules) {
      std::uint64_t n = 0;
      for (const OutcomeClass& c : s.classes)
        if (std::find(c.violated.begin(), c.violated.end(), r) != c.violated.end()) n += c.count;
      fails.push_back(fmt::format("{} violated in {} of {}", r, n, plural(s.schedules, "schedule", "schedules")));
    }
  }
  std::uint64_t stuck = 0;
  for (const OutcomeClass& c : s.classes)
    if (!c.stuck.empty()) stuck += c.count;
  if (stuck) fails.push_back(fmt::format("stuck in {}", plural(stuck, "schedule", "schedules")));
  if (!always.empty()) fails.push_back(plural(always.size(), "expectation fails", "expectations fail") + " in every schedule");
  if (s.expect_all && !depends.empty())
    fails.push_back(plural(depends.size(), "expectation fails", "expectations fail") + " in some schedules");
  if (!s.nondeterministic.empty())
    fails.push_back(plural(s.nondeterministic.size(), "schedule is", "schedules are") + " not deterministic");
  out += "\n";
  if (fails.empty() && s.exhaustive()) {
    out += fmt::format("PASS: no rule violated in {} ({}; exhaustive)\n",
                       plural(s.schedules, "schedule", "schedules"),
                       plural(s.classes.size(), "outcome class", "outcome classes"));
  } else if (fails.empty()) {
    // Never a bare PASS for a search that did not cover its space: say what it did cover.
    std::string covered;
    if (s.fallback_runs) {
      std::vector<std::string> bounds;
      for (std::uint64_t d = 1; d <= s.fallback_depths; ++d)
        bounds.push_back(fmt::format("{:.3g} at depth {}", pct_bound(s, d, s.fallback_runs), d));
      covered = fmt::format("pct's chance of finding a bug needing d ordering constraints, with "
                            "n = {} and k = {}: at least {}",
                            plural(s.lanes, "lane", "lanes"), plural(s.choices, "choice point", "choice points"),
                            fmt::join(bounds, ", "));
    } else if (!s.complete_shards()) {
      covered = "a part of the schedules: merge every shard";
    } else if (s.strategy == "dfs" && s.preemption_bound) {
      covered = fmt::format("every schedule within preemption bound {}", *s.preemption_bound);
    } else if (s.truncated) {
      covered = fmt::format("the first {} in search order", plural(s.schedules, "schedule", "schedules"));
    } else {
      covered = fmt::format("a sample ({} of {})", plural(s.schedules, "run", "runs"), s.strategy);
    }
    out += fmt::format("PASS (not exhaustive): no rule violated in {} ({}); covered: {}. "
                       "--require-exhaustive makes this a failure\n",
                       plural(s.schedules, "schedule", "schedules"),
                       plural(s.classes.size(), "outcome class", "outcome classes"), covered);
  } else {
    out += fmt::format("FAIL: {}\n", fmt::join(fails, "; "));
  }
  return out;
}

}  // namespace closesim
