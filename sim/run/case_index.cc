// The case index and the citations of the scenarios: the data behind docs/fidelity.md's table.
#include "closesim/run/case_index.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>

#include <fmt/format.h>

#include "scenario/source_file.h"

namespace closesim {

namespace {

// The index is a small hand-written file; anything larger is not one.
constexpr std::size_t kMaxIndexBytes = std::size_t{1} << 20;

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "C14" -> 14; digits beyond the largest case make it kMaxCaseNumber + 1; 0 if not `C<digits>`.
int case_number(std::string_view word) {
  if (word.size() < 2 || word[0] != 'C') return 0;
  int n = 0;
  for (std::size_t i = 1; i < word.size(); ++i) {
    if (!is_digit(word[i])) return 0;
    n = std::min(kMaxCaseNumber + 1, n * 10 + (word[i] - '0'));
  }
  return n;
}

// Every tag of "[WIN-TEST] [DOC]" is bracketed and none is empty.
bool tags_well_formed(std::string_view tags) {
  bool any = false;
  while (!(tags = trim(tags)).empty()) {
    if (tags.front() != '[') return false;
    const std::size_t close = tags.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    tags.remove_prefix(close + 1);
    any = true;
  }
  return any;
}

class IndexParser {
 public:
  explicit IndexParser(const std::string& file) : file_(file) {}

  void line(std::string_view text, int number) {
    if (trim(text).empty() || trim(text).front() == '#') return;
    std::vector<std::string_view> fields;
    std::vector<int> columns;
    std::size_t start = 0;
    for (;;) {
      const std::size_t tab = text.find('\t', start);
      fields.push_back(text.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      columns.push_back(static_cast<int>(start) + 1);
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (fields.size() != 5) {
      error(number, 1, fmt::format("{} fields, not 5", fields.size()),
            "case, tags, about close, out of scope, title: separated by one tab each");
      return;
    }
    CaseEntry e;
    e.line = number;
    e.number = case_number(fields[0]);
    if (e.number == 0 || e.number > kMaxCaseNumber) {
      error(number, 1, fmt::format("'{}' is not a case number", fields[0]),
            fmt::format("write C and a number from 1 to {}, e.g. C14", kMaxCaseNumber));
      return;
    }
    if (!read_.index.cases.empty() && e.number <= read_.index.cases.back().number) {
      error(number, 1, fmt::format("C{} comes after C{}", e.number, read_.index.cases.back().number),
            "list each case once, in rising order");
      return;
    }
    e.tags = std::string(trim(fields[1]));
    if (!tags_well_formed(e.tags)) {
      error(number, columns[1], fmt::format("bad certainty tags '{}'", fields[1]),
            "bracketed tags as the catalogue writes them, e.g. [WIN-TEST] [DOC]");
      return;
    }
    if (fields[2] != "yes" && fields[2] != "no") {
      error(number, columns[2], fmt::format("about close must be yes or no, not '{}'", fields[2]), "");
      return;
    }
    e.about_close = fields[2] == "yes";
    const std::string_view scope = trim(fields[3]);
    if (scope.empty()) {
      error(number, columns[3], "the out-of-scope field is empty", "write - for a case in scope, else the reason");
      return;
    }
    if (scope != "-") e.out_of_scope = std::string(scope);
    if (!e.about_close && e.in_scope()) {
      error(number, columns[3], fmt::format("C{} is not about close but is listed in scope", e.number),
            "say why it is out of scope, e.g. \"not about close: ...\"");
      return;
    }
    e.title = std::string(trim(fields[4]));
    if (e.title.empty()) {
      error(number, columns[4], "the title is empty", "a short title in the index's own words");
      return;
    }
    read_.index.cases.push_back(std::move(e));
  }

  CaseIndexRead take() { return std::move(read_); }

 private:
  void error(int line, int column, std::string message, std::string hint) {
    read_.diagnostics.push_back(Diagnostic{file_, line, column, 1, std::move(message), std::move(hint)});
  }

  const std::string& file_;
  CaseIndexRead read_;
};

}  // namespace

const CaseEntry* CaseIndex::find(int number) const {
  auto it = std::lower_bound(cases.begin(), cases.end(), number,
                             [](const CaseEntry& e, int n) { return e.number < n; });
  return it != cases.end() && it->number == number ? &*it : nullptr;
}

CaseIndexRead parse_case_index(const std::string& file, std::string_view text) {
  IndexParser parser(file);
  int number = 0;
  for (std::string_view line : split_lines(text)) parser.line(line, ++number);
  CaseIndexRead read = parser.take();
  if (read.ok() && read.index.cases.empty())
    read.diagnostics.push_back(Diagnostic{file, 0, 0, 1, "the case index lists no case",
                                          "one line per case: C14, tab, [WIN-TEST], tab, yes, tab, -, tab, a title"});
  return read;
}

CaseIndexRead read_case_index(const std::string& path) {
  std::string text;
  if (std::optional<lang::SourceProblem> problem = lang::read_source(path, kMaxIndexBytes, text)) {
    CaseIndexRead read;
    read.diagnostics.push_back(Diagnostic{path, 0, 0, 1, problem->message, problem->hint});
    return read;
  }
  return parse_case_index(path, text);
}

std::vector<CaseCitation> cited_cases(std::string_view text) {
  std::vector<CaseCitation> citations;
  std::set<int> seen;
  int number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    const std::string_view body = trim(line);
    if (body.empty()) continue;
    if (body.front() != '#') break;  // the first step or directive ends the block
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      if (line[i] != 'C' || !is_digit(line[i + 1]) || (i > 0 && is_word_char(line[i - 1]))) continue;
      std::size_t end = i + 1;
      while (end < line.size() && is_digit(line[end])) ++end;
      if (end < line.size() && is_word_char(line[end])) {
        i = end;
        continue;
      }
      const std::string_view word = line.substr(i, end - i);
      const int n = case_number(word);
      if (seen.insert(n).second || n > kMaxCaseNumber)
        citations.push_back(CaseCitation{n, std::string(word), number, static_cast<int>(i) + 1});
      i = end - 1;
    }
  }
  return citations;
}

std::vector<Diagnostic> check_citations(const std::string& file,
                                        const std::vector<CaseCitation>& citations,
                                        const CaseIndex& index, const std::string& index_name) {
  std::vector<Diagnostic> errors;
  for (const CaseCitation& c : citations) {
    if (index.find(c.number)) continue;
    // The neighbours by number: a skipped number is most often a slip for the one beside it.
    const CaseEntry* below = nullptr;
    const CaseEntry* above = nullptr;
    for (const CaseEntry& e : index.cases) {
      if (e.number < c.number) below = &e;
      if (e.number > c.number && !above) above = &e;
    }
    std::string hint;
    if (below && above) hint = fmt::format("the nearest cases are C{} and C{}", below->number, above->number);
    else if (below) hint = fmt::format("the last case is C{}", below->number);
    else if (above) hint = fmt::format("the first case is C{}", above->number);
    errors.push_back(Diagnostic{file, c.line, c.column, static_cast<int>(c.text.size()),
                                fmt::format("{} is not a case of {}", c.text, index_name), hint});
  }
  return errors;
}

std::vector<CaseScenarios> scenarios_by_case(const CaseIndex& index,
                                             const std::vector<CitingScenario>& scenarios) {
  std::map<int, std::set<std::string>> files;
  for (const CitingScenario& s : scenarios)
    for (const CaseCitation& c : s.citations) files[c.number].insert(s.file);
  std::vector<CaseScenarios> out;
  out.reserve(index.cases.size());
  for (const CaseEntry& e : index.cases) {
    CaseScenarios row{&e, {}};
    if (auto it = files.find(e.number); it != files.end()) row.files.assign(it->second.begin(), it->second.end());
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace closesim
