// The index of the observed Windows cases (docs/cases.tsv: number, certainty, whether it is about
// close, why it is out of scope) and the case numbers a scenario cites in its first comment block
// (`# C28 [WIN-TEST]: ...`). `closesim fidelity` builds docs/fidelity.md's case table from both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "closesim/base/diagnostic.h"

namespace closesim {

// The largest case number the index may hold; a citation above it is simply not a case.
inline constexpr int kMaxCaseNumber = 9999;

struct CaseEntry {
  int number = 0;            // 14 for C14
  std::string tags;          // "[WIN-TEST] [IMPL-REIMPL]", as the catalogue tags it
  bool about_close = true;
  std::string out_of_scope;  // why no scenario must reproduce it; "" when in scope
  std::string title;         // a short title
  int line = 0;              // where the index says so

  bool in_scope() const { return out_of_scope.empty(); }
};

struct CaseIndex {
  std::vector<CaseEntry> cases;  // in number order, each number once
  const CaseEntry* find(int number) const;
};

struct CaseIndexRead {
  CaseIndex index;
  std::vector<Diagnostic> diagnostics;  // every malformed line, located
  bool ok() const { return diagnostics.empty(); }
};

// Lines are `C<n>\tTAGS\tyes|no\tREASON or -\tTITLE`; `#` lines and blank lines are comments.
// Numbers must rise line by line (so none is listed twice), a case not about close must say why
// it is out of scope, and every tag is bracketed.
CaseIndexRead parse_case_index(const std::string& file, std::string_view text);
CaseIndexRead read_case_index(const std::string& path);

struct CaseCitation {
  int number = 0;      // kMaxCaseNumber + 1 for a number too large to be a case
  std::string text;    // "C14", as written
  int line = 0;        // 1-based, in the scenario
  int column = 0;
};

// The cases cited by the scenario's first comment block: every line before the first one that is
// neither blank nor a comment. A citation is `C` and digits standing as a word ("C18/C51" cites
// two); each number is kept once, at its first place, in the order written.
std::vector<CaseCitation> cited_cases(std::string_view text);

// One located error per citation that is not a case of the index, with the nearest case as hint.
std::vector<Diagnostic> check_citations(const std::string& file,
                                        const std::vector<CaseCitation>& citations,
                                        const CaseIndex& index, const std::string& index_name);

struct CitingScenario {
  std::string file;
  std::vector<CaseCitation> citations;
};

struct CaseScenarios {
  const CaseEntry* entry = nullptr;
  std::vector<std::string> files;  // sorted; citations of cases not in the index are left out
};

// For every case of the index, in its order, the scenarios that cite it.
std::vector<CaseScenarios> scenarios_by_case(const CaseIndex& index,
                                             const std::vector<CitingScenario>& scenarios);

}  // namespace closesim
