// CloseHandle, DuplicateHandle, WSAAsyncSelect and PeekMessage in the language: what each takes,
// the outputs PeekMessage states (lParam normalised to hex), and the located errors, with the
// call's usage, that a wrong argument or output gets.
#include <doctest/doctest.h>

#include <string>

#include "closesim/scenario/parser.h"
#include "parse_fixture.h"

using namespace closesim;

namespace {

using closesim::support::parse_step;

using closesim::support::first_error;

using closesim::support::only_step;

// The step is rejected at `column` with a message containing `message` and a hint containing
// `hint`.
void rejected(const std::string& step, int column, const std::string& message,
              const std::string& hint) {
  ParseResult r = parse_step(step);
  INFO(step, " -> ", first_error(r));
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].line == 1);
  CHECK(r.diagnostics[0].column == column);
  CHECK(r.diagnostics[0].message.find(message) != std::string::npos);
  CHECK(r.diagnostics[0].hint.find(hint) != std::string::npos);
}

constexpr int kArgs = 10;  // the column after "0 A.main "

}  // namespace

TEST_CASE("CloseHandle and DuplicateHandle take a socket; DuplicateHandle maybe a process") {
  CHECK(only_step(parse_step("CloseHandle(s) = 1")).call.id == CallId::CloseHandle);
  CHECK(only_step(parse_step("CloseHandle(s) = FALSE ERROR_INVALID_HANDLE")).call.result);
  const Step d = only_step(parse_step("d = DuplicateHandle(s, B) = ok"));
  CHECK(d.call.id == CallId::DuplicateHandle);
  CHECK(d.call.assign == "d");
  REQUIRE(d.call.args.size() == 2);
  CHECK(d.call.args[1].text == "B");
  CHECK(only_step(parse_step("d = DuplicateHandle(s) = ok")).call.args.size() == 1);
}

TEST_CASE("CloseHandle, DuplicateHandle: wrong arguments are located and show the signature") {
  rejected("CloseHandle(5) = 1", kArgs + 12, "CloseHandle: expected a name for 's', got '5'",
           "usage: CloseHandle(s)");
  rejected("CloseHandle() = 1", kArgs + 12, "CloseHandle: missing argument 's'",
           "usage: CloseHandle(s)");
  rejected("CloseHandle(s, t) = 1", kArgs + 15, "too many arguments to CloseHandle",
           "usage: CloseHandle(s)");
  rejected("d = DuplicateHandle(s, 2) = ok", kArgs + 23,
           "DuplicateHandle: expected a process name for 'B', got '2'",
           "usage: d = DuplicateHandle(s [, B])");
}

TEST_CASE("WSAAsyncSelect takes a socket and FD_* flags") {
  const Step st = only_step(parse_step("WSAAsyncSelect(s, FD_WRITE|FD_CLOSE) = 0"));
  CHECK(st.call.id == CallId::WSAAsyncSelect);
  REQUIRE(st.call.args.size() == 2);
  CHECK(st.call.args[1].value == (2 | 32));
  rejected("WSAAsyncSelect(s, 10ms) = 0", kArgs + 18, "expected FD_* flags",
           "e.g. FD_READ|FD_CLOSE");
  rejected("WSAAsyncSelect(s) = 0", kArgs + 16, "WSAAsyncSelect: missing argument 'FD_...'",
           "usage: WSAAsyncSelect(s, FD_READ|FD_CLOSE...)");
}

TEST_CASE("PeekMessage: = 1 with wParam and lParam (hex or decimal, printed hex), or = 0") {
  const Step st = only_step(parse_step("PeekMessage() = 1 wParam=s lParam=32"));
  const ResultSpec& r = *st.call.result;
  REQUIRE(r.outputs.size() == 2);
  CHECK(r.outputs[0].key == "wParam");
  CHECK(r.outputs[0].value == "s");
  CHECK(r.outputs[1].value == "0x20");
  CHECK(only_step(parse_step("PeekMessage() = 1 lParam=0x2")).call.result->outputs[0].value ==
        "0x2");
  CHECK(only_step(parse_step("PeekMessage() = 0")).call.result->outputs.empty());
}

TEST_CASE("PeekMessage: wrong arguments and outputs are located") {
  rejected("PeekMessage(s) = 0", kArgs + 12, "too many arguments to PeekMessage",
           "usage: PeekMessage() = 1 wParam=s lParam=0x20");
  ParseResult r = parse_step("PeekMessage() = 1 lparam=0x20");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("a message reports no 'lparam'") != std::string::npos);
  CHECK(first_error(r).find("did you mean 'lParam'") != std::string::npos);
  r = parse_step("PeekMessage() = 1 lParam=0x1g");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("bad lParam '0x1g'") != std::string::npos);
  r = parse_step("PeekMessage() = 1 lParam=0x100000000");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("more than 32 bits") != std::string::npos);
  r = parse_step("closesocket(s) = 0 wParam=s");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("PeekMessage report KEY=VALUE") != std::string::npos);
}
