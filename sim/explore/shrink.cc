// Shrinking: the smallest scenario (found greedily) in which the same rule still fails under some
// schedule. Candidates are text — the directives, then the kept step lines as written — and each
// is parsed and explored exactly as the file that is finally written will be, so what is tested
// is what is written. A candidate is kept when its pinned schedule still fails the rule, or a
// bounded DFS finds a schedule that does.
#include <algorithm>
#include <cctype>
#include <functional>

#include <fmt/format.h>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/world/mutant.h"
#include "closesim/run/runner.h"

namespace closesim {

namespace {

bool violates(const RunResult& r, RuleId rule) {
  return std::any_of(r.rules.violations.begin(), r.rules.violations.end(),
                     [&](const Violation& v) { return !v.divergence && v.rule == rule; });
}

std::string first_word(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  std::size_t j = i;
  while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j])) && line[j] != '#') ++j;
  return line.substr(i, j - i);
}

// Replaces `length` characters at 0-based `at`, keeping the columns after it where they were:
// the first gap of two or more blanks after the edit grows or shrinks by what the edit took or
// gave (to one blank at least), so `= RESULT` and `# comment` stay aligned with the lines around.
std::string replace_keeping_columns(const std::string& line, std::size_t at, std::size_t length,
                                    const std::string& with) {
  if (at + length > line.size()) return line;
  std::string out = line.substr(0, at) + with + line.substr(at + length);
  const std::size_t from = at + with.size();
  const std::size_t gap = out.find("  ", from);
  if (gap == std::string::npos || out.find('#', from) < gap) return out;
  std::size_t blanks = 0;
  while (gap + blanks < out.size() && out[gap + blanks] == ' ') ++blanks;
  if (with.size() < length) {
    out.insert(gap, length - with.size(), ' ');
  } else if (with.size() > length) {
    out.erase(gap, std::min(with.size() - length, blanks - 1));
  }
  return out;
}

// Replaces `length` characters at 1-based `column` (see replace_keeping_columns).
std::string replace_at(const std::string& line, int column, std::size_t length,
                       const std::string& with) {
  if (column < 1) return line;
  return replace_keeping_columns(line, static_cast<std::size_t>(column - 1), length, with);
}

// The byte count of `step` halved in its source line (and, for a call whose result is that same
// count, the result too); nullopt when it has none or it is already 1.
std::optional<std::string> halve(const Step& st) {
  if (st.actor_kind == Step::ActorKind::Thread) {
    const CallAction& c = st.call;
    const bool sized = is_send_call(c.id) || is_receive_call(c.id);
    if (!sized || c.args.size() < 2 || c.args[1].kind != Argument::Kind::Number || c.args[1].value < 2)
      return std::nullopt;
    const Argument& a = c.args[1];
    const std::string half = std::to_string(a.value / 2);
    std::string line = st.source;
    // The result comes after the argument: rewrite it first so the argument's column holds.
    if (c.result && c.result->kind == ResultSpec::Kind::Value && c.result->value == a.value) {
      std::string written = c.result->text;
      while (!written.empty() && std::isspace(static_cast<unsigned char>(written.back()))) written.pop_back();
      line = replace_at(line, c.result->span.column, written.size(), half);
    }
    return replace_at(line, a.span.column, static_cast<std::size_t>(a.span.length), half);
  }
  if (st.actor_kind == Step::ActorKind::Peer && st.peer.kind == PeerAction::Kind::Send &&
      st.peer.bytes >= 2) {
    // `TIME peer(s) send N`: N is the word after `send`.
    const std::string& line = st.source;
    std::size_t at = line.find(')', static_cast<std::size_t>(std::max(st.actor_span.column - 1, 0)));
    if (at == std::string::npos) return std::nullopt;
    at = line.find("send", at);
    if (at == std::string::npos) return std::nullopt;
    at += 4;
    while (at < line.size() && std::isspace(static_cast<unsigned char>(line[at]))) ++at;
    std::size_t end = at;
    while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end])) && line[end] != '#') ++end;
    if (end == at) return std::nullopt;
    return replace_keeping_columns(line, at, end - at, std::to_string(st.peer.bytes / 2));
  }
  return std::nullopt;
}

std::string actor_of(const Step& st) {
  switch (st.actor_kind) {
    case Step::ActorKind::Thread: return st.process + "." + st.thread;
    case Step::ActorKind::Peer: return "peer(" + st.peer_of + ")";
    case Step::ActorKind::Expect: return "expect";
  }
  return "";
}

class Shrinker {
 public:
  Shrinker(const Scenario& original, const ShrinkOptions& options)
      : original_(original), options_(options) {
    run_ = options.run;
    run_.schedule.reset();
    run_.choices = nullptr;
    run_.randomize = false;
    run_.seed.reset();
    // Directives as written, before the first step; the schedule is pinned anew, and a provider
    // or profile given on the command line is written into the file.
    const int first_step = original.steps.empty() ? static_cast<int>(original.lines.size()) + 1
                                                  : original.steps.front().line;
    for (int i = 0; i + 1 < first_step && i < static_cast<int>(original.lines.size()); ++i) {
      std::string line = original.lines[static_cast<std::size_t>(i)];
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::string word = first_word(line);
      if (word.empty() || word == "schedule") continue;
      if (word == "provider" && run_.provider) continue;
      if (word == "profile" && run_.profile) continue;
      directives_.push_back(line);
    }
    if (run_.provider) directives_.push_back("provider " + provider_name(*run_.provider));
    if (run_.profile) directives_.push_back("profile " + profile_name(*run_.profile));
  }

  ShrinkResult run() {
    ShrinkResult out;
    out.steps_before = original_.steps.size();
    std::vector<std::string> start;
    for (const Step& st : original_.steps) start.push_back(st.source);
    schedule_ = trim_schedule(options_.schedule);
    if (!accept(start)) {
      out.error = fmt::format("{} does not fail under the schedule given or any schedule of the "
                              "bounded search, so there is nothing to shrink",
                              rule_name(options_.rule));
      out.candidates = candidates_;
      return out;
    }
    for (int round = 0; round < 16; ++round) {
      bool changed = drop_expectations();
      changed = drop_actors() || changed;
      changed = drop_steps() || changed;
      changed = halve_sizes() || changed;
      if (!changed) break;
    }
    out.text = text(steps_, &schedule_);
    // The file must parse and fail the rule under its pinned schedule, as `closesim run` runs it.
    ParseResult parsed = parse_scenario(original_.file, out.text);
    if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);
    if (!parsed.ok()) {
      out.error = "the shrunk scenario does not parse: " + parsed.diagnostics.front().message;
      return out;
    }
    if (!violates(run_scenario(parsed.scenario, run_), options_.rule)) {
      out.error = "the shrunk scenario does not fail " + rule_name(options_.rule) +
                  " when run with its pinned schedule";
      return out;
    }
    out.ok = true;
    out.schedule = schedule_;
    out.steps_after = steps_.size();
    out.candidates = candidates_;
    return out;
  }

 private:
  std::string text(const std::vector<std::string>& steps, const Answers* schedule) const {
    std::string out;
    if (schedule) {
      std::string under = options_.run.mutant == Mutant::None
                              ? std::string()
                              : fmt::format(" under mutant {}", mutant_name(options_.run.mutant));
      out += fmt::format("# Shrunk by closesim explore --shrink from {}: {} fails{} in the pinned "
                         "schedule.\n",
                         options_.origin.empty() ? original_.file : options_.origin,
                         rule_name(options_.rule), under);
    }
    for (const std::string& d : directives_) out += d + "\n";
    if (schedule) out += "schedule " + schedule_text(*schedule) + "\n";
    out += "\n";
    for (const std::string& s : steps) out += s + "\n";
    return out;
  }

  // Parses and explores a candidate; keeps it (and the schedule that fails) when the rule fails.
  bool accept(const std::vector<std::string>& steps) {
    ++candidates_;
    ParseResult parsed = parse_scenario(original_.file, text(steps, nullptr));
    // A candidate must be a file `closesim run` accepts: its names made before they are used.
    if (!parsed.ok() || !check_names(parsed.scenario).empty()) return false;
    std::optional<Answers> failing;
    if (violates(replay_schedule(parsed.scenario, run_, schedule_), options_.rule)) {
      failing = schedule_;
    } else {
      DfsOptions dfs;
      dfs.max_schedules = options_.max_schedules;
      dfs.preemption_bound = options_.preemption_bound;
      explore_dfs(parsed.scenario, run_, dfs, [&](const Answers& a, const RunResult& r) {
        if (!violates(r, options_.rule)) return true;
        failing = trim_schedule(a);
        return false;
      });
    }
    if (!failing) return false;
    steps_ = steps;
    schedule_ = *failing;
    current_ = std::move(parsed.scenario);
    return true;
  }

  std::vector<std::string> without(const std::vector<bool>& drop) const {
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < steps_.size(); ++i)
      if (!drop[i]) kept.push_back(steps_[i]);
    return kept;
  }

  bool drop_where(const std::function<bool(const Step&)>& pred) {
    std::vector<bool> drop(steps_.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < current_.steps.size() && i < drop.size(); ++i)
      if (pred(current_.steps[i])) drop[i] = any = true;
    return any && accept(without(drop));
  }

  bool drop_expectations() {
    return drop_where([](const Step& st) { return st.actor_kind == Step::ActorKind::Expect; });
  }

  bool drop_actors() {
    bool changed = false;
    std::vector<std::string> actors;
    for (const Step& st : current_.steps) {
      std::string a = actor_of(st);
      if (a != "expect" && std::find(actors.begin(), actors.end(), a) == actors.end()) actors.push_back(a);
    }
    for (const std::string& a : actors)
      changed = drop_where([&](const Step& st) { return actor_of(st) == a; }) || changed;
    return changed;
  }

  bool drop_steps() {
    bool changed = false;
    for (std::size_t i = steps_.size(); i-- > 0;) {
      if (i >= steps_.size()) continue;
      std::vector<bool> drop(steps_.size(), false);
      drop[i] = true;
      changed = accept(without(drop)) || changed;
    }
    return changed;
  }

  bool halve_sizes() {
    bool changed = false;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      for (;;) {
        if (i >= current_.steps.size()) break;
        std::optional<std::string> line = halve(current_.steps[i]);
        if (!line || *line == steps_[i]) break;
        std::vector<std::string> next = steps_;
        next[i] = *line;
        if (!accept(next)) break;
        changed = true;
      }
    }
    return changed;
  }

  const Scenario& original_;
  const ShrinkOptions& options_;
  RunOptions run_;
  std::vector<std::string> directives_;
  // The smallest failing candidate so far: its step lines, parsed form and failing schedule.
  std::vector<std::string> steps_;
  Scenario current_;
  Answers schedule_;
  std::uint64_t candidates_ = 0;
};

}  // namespace

ShrinkResult shrink_scenario(const Scenario& scenario, const ShrinkOptions& options) {
  return Shrinker(scenario, options).run();
}

}  // namespace closesim
