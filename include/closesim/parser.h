// The scenario language's parser: text in, a Scenario or every error of the file out.
// See docs/language.md for the grammar; DESIGN's v1 syntax is a contract and must keep parsing.
#pragma once

#include <string>
#include <vector>

#include "closesim/diagnostic.h"
#include "closesim/scenario.h"

namespace closesim {

struct ParseResult {
  Scenario scenario;                    // meaningful only when diagnostics is empty
  std::vector<Diagnostic> diagnostics;  // every error of the file, in line order
  bool ok() const { return diagnostics.empty(); }
};

// `file` names the source in diagnostics; `text` is its contents.
ParseResult parse_scenario(const std::string& file, const std::string& text);

// Reads the file; an unreadable file is one Diagnostic with line 0.
ParseResult parse_scenario_file(const std::string& path);

}  // namespace closesim
