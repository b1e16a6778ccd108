// `closesim fidelity`: reads the case index, scans the scenarios' first comments for the cases
// they cite, runs each citing scenario under both profiles, and writes (or checks) the page.
#include <algorithm>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/fidelity_command.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/suite_run.h"
#include "scenario/source_file.h"

namespace closesim::cli {

namespace {

constexpr std::size_t kMaxPageBytes = std::size_t{1} << 20;

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Reads a whole file, or prints why it cannot be read and returns nullopt.
std::optional<std::string> read_input(const std::string& path, const std::string& what) {
  std::string text;
  if (std::optional<lang::SourceProblem> problem = lang::read_source(path, kMaxPageBytes, text)) {
    bad_input(fmt::format("{} {}: {}", what, path, problem->message), problem->hint);
    return std::nullopt;
  }
  return text;
}

bool in_windows_folder(const std::string& file) {
  const std::string p = normal_path(file);
  return p.starts_with("windows/") || p.find("/windows/") != std::string::npos;
}

}  // namespace

FidelityCommand::FidelityCommand(CLI::App& app, Output& out) : out_(out) {
  app_ = app.add_subcommand(
      "fidelity", "Write docs/fidelity.md's case table: each observed Windows case, its scenarios "
                  "and how each profile and Wine fare");
  app_->add_option("paths", paths_, "Scenario files or folders to scan (default scenarios)");
  app_->add_option("--cases", cases_, "The case index (default docs/cases.tsv)");
  app_->add_option("--wine", wine_, "The Wine record (default tests/real/wine_record.txt; '' for none)");
  app_->add_option("--page", page_, "The page whose marked part is rewritten (default docs/fidelity.md)");
  app_->add_option("-o,--output", output_, "Write the page here (-o docs/fidelity.md updates it)");
  app_->add_flag("--check", check_, "Fail with a diff when the page is not what this command writes");
  app_->add_flag("--require-coverage", require_coverage_,
                 "Fail when a case in scope has no scenario, or one that fails under profile windows");
}

int FidelityCommand::dispatch() { return app_->parsed() ? fidelity() : -1; }

int FidelityCommand::fidelity() {
  CaseIndexRead read = read_case_index(cases_);
  if (!read.ok()) {
    std::string text;  // the index's lines, for the diagnostics' source lines (none when unreadable)
    if (read.diagnostics.front().line > 0) lang::read_source(cases_, kMaxPageBytes, text);
    print_diagnostics(read.diagnostics, split(text));
    return kExitBadInput;
  }
  std::vector<std::string> files;
  if (!collect(paths_, files)) return kExitBadInput;

  // The citations first, all of them: an unknown case number is reported wherever it is.
  FidelityPage page;
  std::vector<CitingScenario> citing;
  std::vector<std::string> to_run;
  bool bad_citation = false;
  for (const std::string& f : files) {
    std::optional<std::string> text = read_input(f, "scenario");
    if (!text) return kExitBadInput;
    CitingScenario s{f, cited_cases(*text)};
    if (std::vector<Diagnostic> errors = check_citations(f, s.citations, read.index, cases_); !errors.empty()) {
      print_diagnostics(errors, split(*text));
      bad_citation = true;
    }
    if (s.citations.empty()) {
      if (in_windows_folder(f)) page.uncited.push_back(f);
      continue;
    }
    to_run.push_back(f);
    citing.push_back(std::move(s));
  }
  if (bad_citation) return kExitBadInput;

  std::map<std::string, std::string> wine;
  if (!wine_.empty()) {
    std::optional<std::string> text = read_input(wine_, "Wine record");
    if (!text) return kExitBadInput;
    wine = parse_wine_record(*text);
  }
  RunOptions windows, documented;
  windows.profile = ProfileKind::Windows;
  documented.profile = ProfileKind::Documented;
  const SuiteRun under_windows = run_suite(to_run, windows);
  const SuiteRun under_documented = run_suite(to_run, documented);
  for (std::size_t i = 0; i < to_run.size(); ++i) {
    const auto w = wine.find(normal_path(to_run[i]));
    page.scenarios[to_run[i]] = judge_fidelity(under_windows.results[i], under_documented.results[i],
                                               w == wine.end() ? "" : w->second);
  }
  page.cases = scenarios_by_case(read.index, citing);

  std::optional<std::string> old = read_input(page_, "page");
  if (!old) return kExitBadInput;
  std::string error;
  std::optional<std::string> now = splice_fidelity(*old, render_fidelity(page), error);
  if (!now)
    return bad_input(fmt::format("{} {}", page_, error),
                     fmt::format("put the two lines {} and {} where the table goes", kFidelityBegin, kFidelityEnd));

  int status = kExitPass;
  if (require_coverage_) {
    for (const CaseScenarios* c : open_cases(page))
      fmt::print(stderr, "coverage: C{} ({}) {}\n", c->entry->number, c->entry->title,
                 c->files.empty() ? "has no scenario" : "has a scenario that does not pass under profile windows");
    if (!open_cases(page).empty()) status = kExitFail;
  }
  if (check_) {
    if (*now == *old) return std::max(status, out_.write("", fmt::format("{} is up to date\n", page_)));
    std::fprintf(stderr, "closesim: %s is stale: the lines below differ from what closesim fidelity writes\n"
                 "  hint: closesim fidelity -o %s\n", page_.c_str(), page_.c_str());
    out_.write("", line_diff(*old, *now));
    return kExitFail;
  }
  if (const int written = out_.write(output_, *now); written != 0) return written;
  return status;
}

}  // namespace closesim::cli
