#include "cli/options.h"

#include <charconv>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/output.h"
#include "closesim/engine/schedule.h"
#include "closesim/scenario/parser.h"
#include "closesim/world/mutant.h"
#include "scenario/quantity.h"

namespace closesim::cli {

namespace {

// Budgets' own upper ends (README, "Limits"): high enough for any real scenario, low enough
// that no arithmetic on them can overflow.
constexpr std::uint64_t kMaxEventsLimit = 1'000'000'000;
constexpr std::uint64_t kMaxTraceRecordsLimit = 10'000'000;

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

int bad_input(const std::string& what, const std::string& hint) {
  std::string text = fmt::format("closesim: error: {}\n", what);
  if (!hint.empty()) text += fmt::format("  hint: {}\n", hint);
  fmt::print(stderr, "{}", for_stderr(text));
  return kExitBadInput;
}

std::optional<std::uint64_t> parse_count(const std::string& option, const std::string& text,
                                         std::uint64_t min, std::uint64_t max) {
  const std::string range = fmt::format("{} takes a whole number from {} to {}", option, min, max);
  if (!all_digits(text)) {
    bad_input(fmt::format("{} '{}' is not a whole number", option, text),
              text.starts_with('-') ? range + "; negative values have no meaning" : range);
    return std::nullopt;
  }
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    bad_input(fmt::format("{} {} is out of range", option, text), range);
    return std::nullopt;
  }
  return v;
}

std::optional<Time> parse_duration_option(const std::string& option, const std::string& text) {
  using P = lang::Quantity::Problem;
  const lang::Quantity q = lang::parse_quantity(text, lang::kTimeUnits);
  std::string what;
  std::string hint = "a duration is written as in scenario files: 500ms, 1.5ms, 10s, 24h";
  switch (q.problem) {
    case P::None:
      if (!q.unit.empty() || q.value == 0) {
        if (q.value > 0) return q.value;
        what = fmt::format("{} {} is no time at all", option, text);
        hint = "give a positive duration, e.g. 10s";
      } else {
        what = fmt::format("{} {} needs a unit", option, text);
        hint = fmt::format("e.g. {}s or {}ms; units are ns, us, ms, s, min and h", text, text);
      }
      break;
    case P::TooLarge:
      what = fmt::format("{} {} is out of range", option, text);
      hint = fmt::format("a duration is {}", lang::range_text(lang::kTimeUnits));
      break;
    case P::TooFine:
      what = fmt::format("{} {} is finer than a nanosecond", option, text);
      hint = "virtual time counts whole nanoseconds";
      break;
    case P::UnknownUnit:
      what = fmt::format("{} {}: unknown time unit '{}'", option, text, q.unit);
      hint = "units are ns, us, ms, s, min and h";
      break;
    case P::NotANumber:
      what = fmt::format("{} '{}' is not a duration", option, text);
      break;
  }
  bad_input(what, hint);
  return std::nullopt;
}

std::optional<std::int64_t> parse_size_option(const std::string& option, const std::string& text,
                                              std::int64_t min, std::int64_t max) {
  const lang::Quantity q = lang::parse_quantity(text, lang::kSizeUnits);
  const std::string range = fmt::format("{} takes a size from {} to {} (B, KiB or MiB), e.g. 4MiB",
                                        option, format_size(min), format_size(max));
  if (!q.ok()) {
    bad_input(fmt::format("{} '{}' is not a size", option, text), range);
    return std::nullopt;
  }
  if (q.value < min || q.value > max) {
    bad_input(fmt::format("{} {} is out of range", option, text), range);
    return std::nullopt;
  }
  return q.value;
}

void add_common_options(CLI::App& app, CommonOptions& o, CommonSet which) {
  app.add_option("--provider", o.provider, "Override the provider: ifs, nonifs, lsp:ifs, lsp:nonifs");
  app.add_option("--profile", o.profile, "Override the profile: documented, windows");
  app.add_option("--seed", o.seed, "Run with seeded random choices, 0 to 2^64-1 (overrides the file's seed)");
  if (which.schedule) {
    app.add_flag("--random", o.random, "Run with random choices seeded by the file's seed directive");
    app.add_option("--schedule", o.schedule, "Replay these choices, e.g. 0.1.0.2");
  }
  app.add_option("--mutant", o.mutant, "Run with a deliberate provider bug (see: closesim mutants --list)");
  app.add_option("--rules", o.rules, "Rule checker: off, warn, on (default on)");
  app.add_option("--expectations", o.expectations, "Check the script's results and expect lines: on, off");
  app.add_option("--max-events", o.max_events, "Stop a run after this many events, 1 to 10^9 (default 5000000)");
  app.add_option("--max-time", o.max_time, "Stop a run at this virtual time, 1ns to 1000000s, e.g. 10s (default 24h)");
  app.add_option("--max-trace-records", o.max_trace_records,
                 "Stop a run when its trace holds this many records, 1 to 10^7 (default 200000)");
  app.add_option("--max-file-size", o.max_file_size,
                 "Refuse scenario files larger than this, up to 64MiB (default 1MiB)");
}

std::optional<RunOptions> to_run_options(const CommonOptions& o) {
  RunOptions r;
  auto bad = [](const std::string& what, const std::string& hint) {
    bad_input(what, hint);
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
  if (!o.seed.empty()) {
    std::optional<std::uint64_t> seed = parse_count("--seed", o.seed, 0, UINT64_MAX);
    if (!seed) return std::nullopt;
    r.seed = *seed;
  }
  r.randomize = o.random || r.seed.has_value();
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
  std::optional<std::uint64_t> events = parse_count("--max-events", o.max_events, 1, kMaxEventsLimit);
  if (!events) return std::nullopt;
  r.max_events = *events;
  std::optional<Time> t = parse_duration_option("--max-time", o.max_time);
  if (!t) return std::nullopt;
  r.max_time = *t;
  std::optional<std::uint64_t> records =
      parse_count("--max-trace-records", o.max_trace_records, 1, kMaxTraceRecordsLimit);
  if (!records) return std::nullopt;
  r.max_trace_records = *records;
  std::optional<std::int64_t> size = parse_size_option(
      "--max-file-size", o.max_file_size, 1, static_cast<std::int64_t>(kMaxFileSizeLimit));
  if (!size) return std::nullopt;
  r.max_file_size = static_cast<std::size_t>(*size);
  return r;
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics,
                       const std::vector<std::string>& lines) {
  std::string text;
  for (const Diagnostic& d : diagnostics) {
    const bool has_line = d.line >= 1 && d.line <= static_cast<int>(lines.size());
    text += format_diagnostic(d, has_line ? lines[static_cast<std::size_t>(d.line - 1)] : "");
  }
  fmt::print(stderr, "{}", for_stderr(text));
}

bool collect(const std::vector<std::string>& paths, std::vector<std::string>& files) {
  std::vector<Diagnostic> errors;
  files = find_scenarios(paths, &errors);
  print_diagnostics(errors, {});
  if (errors.empty() && files.empty()) {
    bad_input(fmt::format("no .scn files under {}", fmt::join(paths, " ")),
              "give .scn files or folders that hold some");
    return false;
  }
  return errors.empty();
}

}  // namespace closesim::cli
