// The text of docs/fidelity.md's generated part, and the page around it: pure functions of the
// index, the scenarios' results and the Wine record, so the same inputs give the same bytes.
#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/fidelity_command.h"
#include "closesim/base/rule_id.h"
#include "closesim/report/report.h"

namespace closesim::cli {

namespace {

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// A table cell: one line, and a `|` that does not end the cell.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else out += c;
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool all_pass(const FidelityPage& page, const CaseScenarios& c) {
  for (const std::string& f : c.files) {
    auto it = page.scenarios.find(f);
    if (it == page.scenarios.end() || !it->second.windows_pass) return false;
  }
  return true;
}

}  // namespace

ScenarioFidelity judge_fidelity(const RunResult& windows, const RunResult& documented,
                                const std::string& wine) {
  ScenarioFidelity f;
  f.windows = verdict_line(windows);
  f.windows_pass = windows.verdict() == Verdict::Pass;
  std::set<RuleId> diverging;
  for (const Violation& v : windows.rules.violations)
    if (v.divergence) diverging.insert(v.rule);
  std::vector<std::string> rules;
  for (RuleId r : diverging) rules.push_back(rule_name(r));
  const bool same = documented.verdict() == Verdict::Pass && rules.empty();
  if (documented.verdict() == Verdict::Error) f.documented = "ERROR";
  else if (same) f.documented = "same (PASS)";
  else if (rules.empty()) f.documented = fmt::format("differs: {}", verdict_line(documented));
  else
    f.documented = fmt::format("differs: {}; {} {}", verdict_line(documented), fmt::join(rules, ", "),
                               rules.size() == 1 ? "diverges" : "diverge");
  f.wine = wine;
  return f;
}

std::vector<const CaseScenarios*> open_cases(const FidelityPage& page) {
  std::vector<const CaseScenarios*> open;
  for (const CaseScenarios& c : page.cases)
    if (c.entry->in_scope() && (c.files.empty() || !all_pass(page, c))) open.push_back(&c);
  return open;
}

std::string render_fidelity(const FidelityPage& page) {
  std::size_t covered = 0, failing = 0, missing = 0, out_of_scope = 0;
  for (const CaseScenarios& c : page.cases) {
    if (!c.entry->in_scope()) ++out_of_scope;
    else if (c.files.empty()) ++missing;
    else if (all_pass(page, c)) ++covered;
    else ++failing;
  }
  std::string out = fmt::format(
      "{} of the catalogue: {} covered by scenarios that pass under profile windows, {} with a "
      "scenario that does not pass, {} in scope with no scenario yet, {} out of scope.\n\n",
      plural(page.cases.size(), "case"), covered, failing, missing, out_of_scope);

  out += "### In scope\n\n";
  out += "| case | certainty | what Windows does | scenario | profile windows | profile documented | Wine |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const CaseScenarios& c : page.cases) {
    const CaseEntry& e = *c.entry;
    if (!e.in_scope()) continue;
    const std::string head = fmt::format("| C{} | {} | {} ", e.number, cell(e.tags), cell(e.title));
    if (c.files.empty()) {
      out += head + "| — | no scenario yet | — | — |\n";
      continue;
    }
    for (const std::string& f : c.files) {
      const auto it = page.scenarios.find(f);
      const ScenarioFidelity none{"not run", false, "not run", ""};
      const ScenarioFidelity& s = it == page.scenarios.end() ? none : it->second;
      out += head + fmt::format("| `{}` | {} | {} | {} |\n", cell(f), cell(s.windows), cell(s.documented),
                                s.wine.empty() ? "—" : cell(s.wine));
    }
  }

  out += "\n### Out of scope\n\n";
  out += "| case | certainty | about close | why it is out of scope | what it says | cited by |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const CaseScenarios& c : page.cases) {
    const CaseEntry& e = *c.entry;
    if (e.in_scope()) continue;
    std::vector<std::string> files;
    for (const std::string& f : c.files) files.push_back(fmt::format("`{}`", cell(f)));
    out += fmt::format("| C{} | {} | {} | {} | {} | {} |\n", e.number, cell(e.tags),
                       e.about_close ? "yes" : "no", cell(e.out_of_scope), cell(e.title),
                       files.empty() ? "—" : fmt::format("{}", fmt::join(files, ", ")));
  }

  if (!page.uncited.empty()) {
    out += "\n### Scenarios in a windows/ folder that cite no case\n\n";
    out += "Their first comment should name the case they reproduce (`# C14 [WIN-TEST]: ...`).\n\n";
    for (const std::string& f : page.uncited) out += fmt::format("- `{}`\n", f);
  }
  return out;
}

std::optional<std::string> splice_fidelity(std::string_view page, std::string_view generated,
                                           std::string& error) {
  const std::vector<std::string_view> lines = lines_of(page);
  std::optional<std::size_t> begin, end;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == kFidelityBegin && !begin) begin = i;
    else if (lines[i] == kFidelityEnd && begin && !end) end = i;
  }
  if (!begin || !end) {
    error = fmt::format("has no {} line", !begin ? "begin marker" : "end marker after the begin marker");
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i <= *begin; ++i) out += fmt::format("{}\n", lines[i]);
  out += "\n";
  out += generated;
  out += "\n";
  for (std::size_t i = *end; i < lines.size(); ++i) out += fmt::format("{}\n", lines[i]);
  return out;
}

std::string line_diff(std::string_view before, std::string_view after) {
  const std::vector<std::string_view> a = lines_of(before), b = lines_of(after);
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  // The longest common subsequence of the middle, when it is small enough to be cheap; a page is
  // a few hundred lines, so this is the usual case.
  std::vector<std::vector<std::uint32_t>> lcs;
  const bool small = n * m <= 4'000'000;
  if (small) {
    lcs.assign(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  std::string out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (small && i < n && j < m && a[head + i] == b[head + j]) {
      ++i, ++j;
    } else if (i < n && (j == m || !small || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out += fmt::format("-{}: {}\n", head + i + 1, a[head + i]);
      ++i;
    } else {
      out += fmt::format("+{}: {}\n", head + j + 1, b[head + j]);
      ++j;
    }
  }
  return out;
}

std::string normal_path(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().generic_string();
}

std::map<std::string, std::string> parse_wine_record(std::string_view text) {
  std::map<std::string, std::string> record;
  for (std::string_view line : lines_of(text)) {
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    record[normal_path(std::string(line.substr(0, tab)))] = std::string(line.substr(tab + 1));
  }
  return record;
}

}  // namespace closesim::cli
