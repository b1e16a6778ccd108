#include "cli/options.h"

#include <cstdio>
#include <fstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "closesim/engine/schedule.h"
#include "closesim/world/mutant.h"

namespace closesim::cli {

namespace {

// "10s", "250ms", "24h", "15us": the run's virtual-time budget.
std::optional<Time> parse_duration(const std::string& text) {
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = n * 10 + (text[i] - '0');
    if (n > 1'000'000'000) return std::nullopt;
    ++i;
  }
  if (i == 0) return std::nullopt;
  const std::string unit = text.substr(i);
  if (unit == "ns") return n;
  if (unit == "us") return n * kMicrosecond;
  if (unit == "ms") return n * kMillisecond;
  if (unit == "s" || unit.empty()) return n * kSecond;
  if (unit == "min") return n * 60 * kSecond;
  if (unit == "h") return n * 3600 * kSecond;
  return std::nullopt;
}

}  // namespace

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.add_option("--provider", o.provider, "Override the provider: ifs, nonifs, lsp:ifs, lsp:nonifs");
  app.add_option("--profile", o.profile, "Override the profile: documented, windows");
  app.add_option("--seed", o.seed, "Run with seeded random choices (overrides the file's seed)");
  app.add_flag("--random", o.random, "Run with random choices seeded by the file's seed directive");
  app.add_option("--schedule", o.schedule, "Replay these choices, e.g. 0.1.0.2");
  app.add_option("--mutant", o.mutant, "Run with a deliberate provider bug (see: closesim mutants --list)");
  app.add_option("--rules", o.rules, "Rule checker: off, warn, on (default on)");
  app.add_option("--expectations", o.expectations, "Check the script's results and expect lines: on, off");
  app.add_option("--max-events", o.max_events, "Stop a run after this many events (default 5000000)");
  app.add_option("--max-time", o.max_time, "Stop a run at this virtual time, e.g. 10s (default 24h)");
}

std::optional<RunOptions> to_run_options(const CommonOptions& o) {
  RunOptions r;
  auto bad = [](const std::string& what, const std::string& hint) {
    fmt::print(stderr, "closesim: error: {}\n  hint: {}\n", what, hint);
    return std::nullopt;
  };
  if (!o.provider.empty()) {
    r.provider = parse_provider(o.provider);
    if (!r.provider) return bad(fmt::format("unknown provider '{}'", o.provider), "use ifs, nonifs, lsp:ifs or lsp:nonifs");
  }
  if (!o.profile.empty()) {
    r.profile = parse_profile(o.profile);
    if (!r.profile) return bad(fmt::format("unknown profile '{}'", o.profile), "use documented or windows");
  }
  r.seed = o.seed;
  r.randomize = o.random || o.seed.has_value();
  if (!o.schedule.empty()) {
    r.schedule = parse_schedule(o.schedule);
    if (!r.schedule) return bad(fmt::format("bad schedule '{}'", o.schedule), "a schedule is numbers joined by dots, e.g. 0.1.0.2");
  }
  if (!o.mutant.empty()) {
    std::optional<Mutant> m = parse_mutant(o.mutant);
    if (!m) return bad(fmt::format("unknown mutant '{}'", o.mutant), "closesim mutants --list names them all");
    r.mutant = *m;
  }
  if (o.rules == "off") r.rules = RulesMode::Off;
  else if (o.rules == "warn") r.rules = RulesMode::Warn;
  else if (o.rules == "on") r.rules = RulesMode::On;
  else return bad(fmt::format("--rules takes off, warn or on, not '{}'", o.rules), "--rules=warn reports violations without failing");
  if (o.expectations == "off") r.expectations = false;
  else if (o.expectations != "on") return bad(fmt::format("--expectations takes on or off, not '{}'", o.expectations), "--expectations=off checks the rules alone");
  r.max_events = o.max_events;
  std::optional<Time> t = parse_duration(o.max_time);
  if (!t) return bad(fmt::format("bad --max-time '{}'", o.max_time), "give a whole number with a unit: 500ms, 10s, 2h");
  r.max_time = *t;
  return r;
}

bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream f(path, std::ios::binary);
  if (!f) {
    fmt::print(stderr, "closesim: error: cannot write {}\n", path);
    return false;
  }
  f << text;
  return static_cast<bool>(f);
}

bool collect(const std::vector<std::string>& paths, std::vector<std::string>& files) {
  std::vector<Diagnostic> errors;
  files = find_scenarios(paths, &errors);
  for (const Diagnostic& d : errors) fmt::print(stderr, "{}", format_diagnostic(d, ""));
  if (errors.empty() && files.empty()) {
    fmt::print(stderr, "closesim: error: no .scn files under {}\n", fmt::join(paths, " "));
    return false;
  }
  return errors.empty();
}

}  // namespace closesim::cli
