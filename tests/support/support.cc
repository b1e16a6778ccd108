#include "support.h"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

namespace closesim::support {

std::string source_path(std::string_view relative) {
  std::string p = CLOSESIM_SOURCE_DIR;
  // append, not +: GCC 12 warns falsely (-Warray-bounds) on string + literal
  if (relative.empty() || relative.front() != '/') p.append("/");
  p.append(relative);
  return p;
}

RunResult run_text(const std::string& text, const RunOptions& options, const std::string& file) {
  RunResult r = run_source(file, text, options);
  REQUIRE_MESSAGE(r.diagnostics.empty(),
                  (r.diagnostics.empty() ? "" : r.diagnostics[0].message));
  return r;
}

RunResult run_bundled(const std::string& relative, const RunOptions& options) {
  std::ifstream in(source_path(relative));
  REQUIRE_MESSAGE(in.good(), "cannot read " << relative);
  std::ostringstream text;
  text << in.rdbuf();
  return run_source(relative, text.str(), options);
}

}  // namespace closesim::support
