// The expectations of a handle's release that hold for each kind of provider: `CloseHandle(s)`
// (an IFS provider closes its file handle) and `handle released(s)` (either way), extensions
// beside v1's `WPUCloseSocketHandle(s)`, which keeps its meaning.
#include <doctest/doctest.h>

#include "closesim/scenario/parser.h"

namespace closesim {
namespace {

ParseResult parse_expect(const std::string& line) {
  return parse_scenario("t.scn", "0 A.main s = socket(tcp) = ok\n1ms expect " + line + "\n");
}

Expectation parsed_expectation(const std::string& line) {
  ParseResult p = parse_expect(line);
  REQUIRE_MESSAGE(p.ok(), (p.diagnostics.empty() ? "" : p.diagnostics[0].message));
  REQUIRE(p.scenario.steps.size() == 2);
  return p.scenario.steps[1].expect;
}

TEST_CASE("CloseHandle(s) and handle released(s) parse, negated too") {
  Expectation e = parsed_expectation("CloseHandle(s)");
  CHECK(e.kind == Expectation::Kind::FileHandleClosed);
  CHECK(e.subject == "s");
  e = parsed_expectation("handle released(s)");
  CHECK(e.kind == Expectation::Kind::HandleReleased);
  CHECK(e.subject == "s");
  CHECK_FALSE(e.negated);
  e = parsed_expectation("no handle released(s)");
  CHECK(e.kind == Expectation::Kind::HandleReleased);
  CHECK(e.negated);
  // v1 keeps its forms and meanings.
  CHECK(parsed_expectation("WPUCloseSocketHandle(s)").kind == Expectation::Kind::HandleReturned);
  CHECK(parsed_expectation("released(s)").kind == Expectation::Kind::Released);
}

TEST_CASE("a malformed handle expectation is an error with a place and a hint") {
  ParseResult p = parse_expect("handle freed(s)");
  REQUIRE_FALSE(p.ok());
  CHECK(p.diagnostics[0].line == 2);
  CHECK(p.diagnostics[0].column == 19);
  CHECK(p.diagnostics[0].message == "expected 'released' after 'handle', got 'freed'");
  CHECK(p.diagnostics[0].hint.find("handle released(s)") != std::string::npos);
  p = parse_expect("CloseHandle s");
  REQUIRE_FALSE(p.ok());
  CHECK(p.diagnostics[0].hint == "write `CloseHandle(s)`");
  p = parse_expect("CloseHandel(s)");
  REQUIRE_FALSE(p.ok());
  CHECK(p.diagnostics[0].hint.find("CloseHandle") != std::string::npos);
}

}  // namespace
}  // namespace closesim
