#include "support.h"

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "closesim/rules/rules.h"

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

RunOptions profile(ProfileKind p, Mutant m) {
  RunOptions o;
  o.profile = p;
  o.mutant = m;
  return o;
}

std::string failures(const RunResult& r) {
  std::string out;
  for (const ExpectationFailure& f : r.failures) out += f.message + "\n";
  for (const Violation& v : r.rules.violations) out += format_violation(v) + "\n";
  for (const std::string& s : r.stuck) out += s + "\n";
  return out;
}

}  // namespace closesim::support
