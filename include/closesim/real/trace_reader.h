// Reads a trace written in the documented JSON-lines format (docs/trace.md): the real-stack
// runner's, `closesim run --format json`'s, or one a user's own harness recorded. Records become
// a Trace with the names their `handle_name` fields give; verdict lines are skipped.
#pragma once

#include <string>
#include <vector>

#include "closesim/base/diagnostic.h"
#include "closesim/base/trace.h"

namespace closesim::real {

struct TraceReadResult {
  Trace trace;
  std::vector<Diagnostic> diagnostics;  // empty => every line was read
  bool ok() const { return diagnostics.empty(); }
};

// `file` names the source in diagnostics. Lines out of time order, unknown kinds and fields of
// the wrong type are diagnostics with the line and column, never exceptions.
TraceReadResult read_trace(const std::string& text, const std::string& file);
TraceReadResult read_trace_file(const std::string& path);

}  // namespace closesim::real
