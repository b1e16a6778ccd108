// What the parser's tests ask of a parse again and again: its first error as one line, the one
// step it made, the one diagnostic it gave. Header-only; a test binary of one area.
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "closesim/scenario/parser.h"

namespace closesim::support {

// One thread step `0 A.main <step>` on its own.
inline ParseResult parse_step(const std::string& step) {
  return parse_scenario("t.scn", "0 A.main " + step + "\n");
}

// "message | hint" of the first diagnostic, or "" if there is none.
inline std::string first_error(const ParseResult& r) {
  return r.diagnostics.empty() ? "" : r.diagnostics[0].message + " | " + r.diagnostics[0].hint;
}

// The only step of a parse that must succeed with exactly one.
inline Step only_step(const ParseResult& r) {
  INFO(first_error(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.steps.size() == 1);
  return r.scenario.steps[0];
}

// The one diagnostic of `text`, which must have exactly one, located and with a hint.
inline Diagnostic only_error(const std::string& text) {
  ParseResult r = parse_scenario("t.scn", text);
  REQUIRE_MESSAGE(r.diagnostics.size() == 1, text);
  CHECK(r.diagnostics[0].line >= 1);
  CHECK(r.diagnostics[0].column >= 1);
  CHECK_FALSE(r.diagnostics[0].hint.empty());
  return r.diagnostics[0];
}

}  // namespace closesim::support
