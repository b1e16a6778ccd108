// `closesim real` and `closesim judge`: the real-stack backend on the command line.
#include "cli/real_command.h"

#include "cli/output.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "closesim/scenario/parser.h"
#include "closesim/real/judge.h"
#include "closesim/real/plan.h"
#include "closesim/real/real_report.h"
#include "closesim/real/stack.h"
#include "closesim/real/trace_reader.h"
#include "closesim/report/report.h"

namespace closesim::cli {

std::optional<Time> parse_tolerance(const std::string& text) {
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && n < 1'000'000'000) n = n * 10 + (text[i++] - '0');
  const std::string unit = text.substr(i);
  if (i == 0) return std::nullopt;
  if (unit == "us") return n * kMicrosecond;
  if (unit == "ms") return n * kMillisecond;
  if (unit == "s") return n * kSecond;
  return std::nullopt;
}

namespace {

std::string run_name(const std::string& file, std::uint64_t run) {
  std::string name = file;
  for (char& c : name)
    if (c == '/' || c == '\\' || c == ':' || c == ' ') c = '_';
  return fmt::format("{}.{}", name, run);
}

}  // namespace

std::optional<Scenario> load_scenario(const std::string& file, int& status, Output& out) {
  ParseResult parsed = parse_scenario_file(file);
  if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);
  if (parsed.ok()) return std::move(parsed.scenario);
  RunResult r;
  r.scenario = std::move(parsed.scenario);
  r.scenario.file = file;
  r.diagnostics = std::move(parsed.diagnostics);
  out.write("", render_timeline(r));
  status = std::max(status, 2);
  return std::nullopt;
}

RealCommand::RealCommand(CLI::App& app, CommonOptions& common, Output& out)
    : common_(common), out_(out) {
  real_ = app.add_subcommand("real", "Play scenarios on a real Winsock (Wine here) and judge what it did");
  real_->add_option("files", files_, "Scenario files or folders")->required();
  real_->add_option("--format", format_, "text, json, junit or tap")
      ->check(CLI::IsMember({"text", "json", "junit", "tap"}));
  real_->add_option("--time-scale", time_scale_, "Wall-clock time per unit of virtual time (default 1)");
  real_->add_option("--tolerance", tolerance_, "How far an observation may be from its time (default 100ms)");
  real_->add_option("--runs", runs_, "Play each scenario N times and tally the outcomes");
  real_->add_flag("--outcome", outcome_only_, "One line per scenario: file, then its outcome (for records)");
  real_->add_option("--write-plans", plans_dir_,
                    "Only write each realisable scenario's plan into this folder (for a Windows "
                    "machine to play), with index.tsv naming their scenarios");
  real_->add_option("-o,--output", output_, "Write to this file instead of standard output");
  real_->add_option("--profile", common_.profile, "The profile the monitors compare with");

  judge_ = app.add_subcommand("judge", "Judge a recorded trace (JSON lines) against the rules and a scenario");
  judge_->add_option("--trace", trace_, "The trace, in the documented JSON-lines format")->required();
  judge_->add_option("--scenario", scenario_, "Also judge the scenario's results and expect lines");
  judge_->add_option("--tolerance", tolerance_, "How far an observation may be from its time (default 100ms)");
  judge_->add_option("--format", format_, "text or json")->check(CLI::IsMember({"text", "json"}));
  judge_->add_option("--profile", common_.profile, "The profile the monitors compare with");

  diff_ = app.add_subcommand("diff", "Two runs of a scenario side by side: the simulation and the real stack");
  diff_->add_option("file", scenario_, "The scenario")->required();
  diff_->add_option("--between", between_, "Two profiles instead, e.g. documented,windows");
  diff_->add_option("--tolerance", tolerance_, "For the real run (default 100ms)");
  diff_->add_option("--format", format_, "text or html (a page of its own)")->check(CLI::IsMember({"text", "html"}));
  diff_->add_option("-o,--output", output_, "Write to this file instead of standard output");
}

int RealCommand::dispatch() {
  if (real_->parsed()) return real();
  if (judge_->parsed()) return judge();
  if (diff_->parsed()) return diff();
  return -1;
}

int RealCommand::real() {
  std::optional<Time> tolerance = parse_tolerance(tolerance_);
  if (!tolerance) return bad_input(fmt::format("bad --tolerance '{}'", tolerance_), "e.g. --tolerance 100ms");
  if (time_scale_ <= 0) return bad_input("--time-scale must be above 0", "e.g. --time-scale 2");
  if (runs_ == 0) return bad_input("--runs must be at least 1", "e.g. --runs 20");
  std::optional<ProfileKind> profile_override;
  if (!common_.profile.empty() && !(profile_override = parse_profile(common_.profile)))
    return bad_input(fmt::format("unknown profile '{}'", common_.profile), "use documented or windows");
  std::vector<std::string> files;
  if (!collect(files_, files)) return 2;
  if (!plans_dir_.empty()) return write_plans(files, *tolerance);
  const real::StackConfig config = real::default_stack_config();
  if (std::string missing = real::stack_missing(config); !missing.empty())
    return bad_input("no real stack to play on: " + missing, "make real");

  int status = 0;
  std::string text;
  std::vector<RunResult> suite;
  for (const std::string& file : files) {
    std::optional<Scenario> sc = load_scenario(file, status, out_);
    if (!sc) continue;
    real::Plan plan = real::write_plan(*sc, real::PlanOptions{time_scale_, *tolerance});
    if (!plan.realisable()) {
      if (outcome_only_) text += fmt::format("{}\tnot realised\n", file);
      else if (format_ == "text") text += real::render_unrealised_text(*sc, plan.unrealisable) + "\n";
      else if (format_ == "json")
        for (const real::UnrealisableStep& u : plan.unrealisable)
          text += fmt::format("{{\"type\":\"unrealised\",\"file\":\"{}\",\"line\":{},\"reason\":\"{}\"}}\n",
                              file, u.line, u.reason);
      continue;
    }
    real::OutcomeTally tally;
    std::optional<real::RealRun> first;
    for (std::uint64_t i = 0; i < runs_; ++i) {
      real::StackRun played = real::play_on_stack(plan, config, run_name(file, i));
      if (played.hung) {  // a stuck run is an outcome of the stack, not bad input
        real::RealRun run = real::judge_trace(nullptr, Trace{}, real::JudgeOptions{*tolerance, sc->profile});
        run.result.scenario = *sc;
        run.result.stuck.push_back(played.error);
        run.stack = real::stack_version(config);
        ++tally["stuck: " + played.error];
        if (!first) first = std::move(run);
        continue;
      }
      if (!played.ok) return bad_input(fmt::format("{}: {}", file, played.error), "make real");
      real::TraceReadResult read = real::read_trace(played.trace, file + " (runner trace)");
      if (!read.ok()) {
        for (const Diagnostic& d : read.diagnostics) fmt::print(stderr, "{}", format_diagnostic(d, ""));
        return 2;
      }
      real::RealRun run = real::judge_trace(&*sc, std::move(read.trace),
                                            real::JudgeOptions{*tolerance, profile_override.value_or(sc->profile)});
      run.stack = real::stack_version(config);
      if (!played.note.empty()) run.notes.push_back(played.note);
      ++tally[real::outcome_signature(run)];
      if (!first) first = std::move(run);
    }
    if (runs_ == 1) tally.clear();
    status = std::max(status, first->result.exit_status());
    if (tally.size() > 1) status = std::max(status, 1);  // outcomes vary: say so in the status too
    // A runner the stack never returned from says so, rather than passing for a failed verdict.
    if (outcome_only_ && !first->result.stuck.empty())
      text += fmt::format("{}\tstuck: {}\n", file, first->result.stuck.front());
    else if (outcome_only_) text += fmt::format("{}\t{}\n", file, real::outcome_signature(*first));
    else if (format_ == "json") text += real::render_real_json(*first, tally);
    else if (format_ == "text") text += real::render_real_text(*first, tally) + (files.size() > 1 ? "\n" : "");
    suite.push_back(first->result);
  }
  if (!outcome_only_ && format_ == "junit") text = render_junit(suite);
  if (!outcome_only_ && format_ == "tap") text = render_tap(suite);
  if (out_.write(output_, text) != 0) return 2;
  return status;
}

int RealCommand::write_plans(const std::vector<std::string>& files, Time tolerance) {
  std::error_code ec;
  std::filesystem::create_directories(plans_dir_, ec);
  std::string index;
  int status = 0;
  for (const std::string& file : files) {
    std::optional<Scenario> sc = load_scenario(file, status, out_);
    if (!sc) continue;
    real::Plan plan = real::write_plan(*sc, real::PlanOptions{time_scale_, tolerance});
    if (!plan.realisable()) {
      out_.write("", fmt::format("{}: not realised (line {}: {})\n", file, plan.unrealisable[0].line, plan.unrealisable[0].reason));
      continue;
    }
    const std::string name = run_name(file, 0);
    if (out_.write(plans_dir_ + "/" + name + ".plan", plan.text) != 0) return 2;
    index += name + "\t" + file + "\n";
  }
  if (out_.write(plans_dir_ + "/index.tsv", index) != 0) return 2;
  return status;
}

int RealCommand::judge() {
  std::optional<Time> tolerance = parse_tolerance(tolerance_);
  if (!tolerance) return bad_input(fmt::format("bad --tolerance '{}'", tolerance_), "e.g. --tolerance 100ms");
  real::TraceReadResult read = real::read_trace_file(trace_);
  if (!read.ok()) {
    for (const Diagnostic& d : read.diagnostics) fmt::print(stderr, "{}", format_diagnostic(d, ""));
    return 2;
  }
  int status = 0;
  std::optional<Scenario> sc;
  if (!scenario_.empty() && !(sc = load_scenario(scenario_, status, out_))) return status;
  real::JudgeOptions options{*tolerance, sc ? sc->profile : ProfileKind::Documented};
  if (!common_.profile.empty()) {
    std::optional<ProfileKind> p = parse_profile(common_.profile);
    if (!p) return bad_input(fmt::format("unknown profile '{}'", common_.profile), "use documented or windows");
    options.profile = *p;
  }
  real::RealRun run = real::judge_trace(sc ? &*sc : nullptr, std::move(read.trace), options);
  run.stack = "recorded trace " + trace_;
  if (!sc) run.result.scenario.file = trace_;
  out_.write("", format_ == "json" ? real::render_real_json(run, {}) : real::render_real_text(run, {}));
  return run.result.exit_status();
}

}  // namespace closesim::cli
