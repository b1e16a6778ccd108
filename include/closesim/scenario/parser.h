// The scenario language's parser: text in, a Scenario or every error of the file out.
// See docs/language.md for the grammar; DESIGN's v1 syntax is a contract and must keep parsing.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "closesim/base/diagnostic.h"
#include "closesim/scenario/scenario.h"

namespace closesim {

struct ParseResult {
  Scenario scenario;                    // meaningful only when diagnostics is empty
  std::vector<Diagnostic> diagnostics;  // every error of the file, in line order
  bool ok() const { return diagnostics.empty(); }
};

// `file` names the source in diagnostics; `text` is its contents.
ParseResult parse_scenario(const std::string& file, const std::string& text);

// A scenario file is read only up to a size cap (README, "Limits"): 1MiB unless
// --max-file-size says otherwise, never more than 64MiB.
inline constexpr std::size_t kDefaultMaxFileSize = std::size_t{1} << 20;
inline constexpr std::size_t kMaxFileSizeLimit = std::size_t{64} << 20;

// Reads the file ("-" is standard input); only a regular file of at most max_bytes is read.
// Anything else (missing, a folder, a FIFO, a device, too large, a read error) is one
// Diagnostic with line 0 that says why.
ParseResult parse_scenario_file(const std::string& path, std::size_t max_bytes = kDefaultMaxFileSize);

}  // namespace closesim
