// select, WSAPoll, getsockopt and the overlapped results in the language: their arguments
// (sets, poll entries), the outputs a result may state after its value, and the located errors
// a wrong argument or output gets (with the call's usage).
#include <doctest/doctest.h>

#include <string>

#include "closesim/base/poll_events.h"
#include "closesim/scenario/parser.h"
#include "parse_fixture.h"

using namespace closesim;

namespace {

using closesim::support::parse_step;

using closesim::support::first_error;

using closesim::support::only_step;

}  // namespace

TEST_CASE("select: three sets in Winsock's order, then an optional timeout") {
  const Step st = only_step(parse_step("select(read={s1, s2}, write={}, except={s1}, 10ms) = ?"));
  const CallAction& c = st.call;
  CHECK(c.id == CallId::Select);
  REQUIRE(c.args.size() == 4);
  CHECK(c.args[0].kind == Argument::Kind::Group);
  CHECK(c.args[0].key == "read");
  REQUIRE(c.args[0].items.size() == 2);
  CHECK(c.args[0].items[1].text == "s2");
  CHECK(c.args[1].items.empty());
  CHECK(c.args[2].key == "except");
  CHECK(c.args[3].kind == Argument::Kind::Duration);
  CHECK(only_step(parse_step("select(read={s}, write={}, except={}) = ?")).call.args.size() == 3);
}

TEST_CASE("select: the result states the count and the sets as the call leaves them") {
  const Step st = only_step(parse_step("select(read={b, a}, write={a}, except={}, 0) = 1 read={b, a}"));
  const ResultSpec& r = *st.call.result;
  CHECK(r.kind == ResultSpec::Kind::Value);
  CHECK(r.value == 1);
  REQUIRE(r.outputs.size() == 1);
  CHECK(r.outputs[0].key == "read");
  CHECK(r.outputs[0].value == "{a, b}");  // a set: sorted, so order does not matter
  const Step failed =
      only_step(parse_step("select(read={a}, write={}, except={a}, 0) = SOCKET_ERROR WSAENOTSOCK except={a}"));
  CHECK(failed.call.result->kind == ResultSpec::Kind::Error);
  CHECK(failed.call.result->outputs.at(0).value == "{a}");
}

TEST_CASE("select: wrong arguments and outputs are located, with the usage") {
  ParseResult r = parse_step("select(write={s}, read={}, except={}) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("expected read={...}") != std::string::npos);
  CHECK(r.diagnostics[0].column == 17);  // `write={s}`
  CHECK(r.diagnostics[0].hint.find("usage: select(read=") != std::string::npos);
  r = parse_step("select(read={s, 5}, write={}, except={}) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("expected a socket name") != std::string::npos);
  r = parse_step("select(read={s}, write={}, except={}) = 1 read={t}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("'t' was not in the read set") != std::string::npos);
  r = parse_step("select(read={s}, write={}, except={}) = 1 reed={s}");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("did you mean 'read'") != std::string::npos);
  r = parse_step("select(read={s}, write={}, except={}) = 1 read=s");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("is a set") != std::string::npos);
  r = parse_step("select(read={{s}}, write={}, except={}) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("a group inside a group") != std::string::npos);
}

TEST_CASE("WSAPoll: {socket, events} entries and revents per socket") {
  const Step st = only_step(parse_step("WSAPoll({s, POLLRDNORM|POLLRDBAND}, {t, 0}, 2000) = 1 s=POLLNVAL t=0"));
  const CallAction& c = st.call;
  CHECK(c.id == CallId::WSAPoll);
  REQUIRE(c.args.size() == 3);
  CHECK(c.args[0].items[1].kind == Argument::Kind::PollFlags);
  CHECK(c.args[0].items[1].value == (kPollRdNorm | kPollRdBand));
  CHECK(c.args[1].items[1].kind == Argument::Kind::PollFlags);  // a plain 0 is an empty mask
  CHECK(c.args[1].items[1].value == 0);
  CHECK(c.args[2].kind == Argument::Kind::Duration);
  const ResultSpec& r = *st.call.result;
  REQUIRE(r.outputs.size() == 2);
  CHECK(r.outputs[0].value == "POLLNVAL");
  CHECK(r.outputs[1].value == "0");
  // Flags compare as flags: written in any order, printed in one.
  const Step hup = only_step(parse_step("WSAPoll({s, POLLIN|POLLOUT}, 0) = 1 s=POLLHUP|POLLWRNORM"));
  CHECK(hup.call.result->outputs[0].value == "POLLWRNORM|POLLHUP");
  CHECK(poll_events_text(kPollHup | kPollWrNorm | kPollRdNorm) == "POLLRDNORM|POLLWRNORM|POLLHUP");
}

TEST_CASE("WSAPoll: bad entries and revents get located errors") {
  ParseResult r = parse_step("WSAPoll(s, 10) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("expected {s, POLL...}") != std::string::npos);
  CHECK(r.diagnostics[0].column == 18);
  r = parse_step("WSAPoll({s, FD_READ}, 10) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("expected POLL* events") != std::string::npos);
  r = parse_step("WSAPoll({s, POLLRDNRM}, 10) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("did you mean 'POLLRDNORM'") != std::string::npos);
  r = parse_step("WSAPoll({s, POLLIN}, 10) = 1 t=POLLHUP");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("'t' is not a socket of this WSAPoll") != std::string::npos);
  r = parse_step("WSAPoll({s, POLLIN}) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("usage: WSAPoll(") != std::string::npos);
}

TEST_CASE("getsockopt: the options, optval forms, and untouched") {
  const Step st = only_step(parse_step("getsockopt(s, SO_LINGER) = 0 optval={1, 05}"));
  CHECK(st.call.id == CallId::GetSockOpt);
  CHECK(st.call.result->outputs[0].value == "{1, 5}");
  CHECK(only_step(parse_step("getsockopt(s, SO_ERROR) = SOCKET_ERROR WSAENOTSOCK optval=untouched"))
            .call.result->outputs[0].value == "untouched");
  CHECK(only_step(parse_step("getsockopt(s, SO_TYPE) = 0 optval=SOCK_DGRAM")).call.result->outputs[0].value ==
        "SOCK_DGRAM");
  ParseResult r = parse_step("getsockopt(s, SO_RCVBUF) = ?");
  REQUIRE_FALSE(r.ok());
  CHECK(first_error(r).find("SO_LINGER, SO_DONTLINGER, SO_ERROR or SO_TYPE") != std::string::npos);
  r = parse_step("getsockopt(s, SO_LINGER) = 0 value=1");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("getsockopt reports no 'value'") != std::string::npos);
  r = parse_step("getsockopt(s, SO_LINGER) = 0 optval={1}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("{onoff, seconds}") != std::string::npos);
}

TEST_CASE("GetOverlappedResult and WSAGetOverlappedResult: o1, an optional wait, bytes=") {
  ParseResult r = parse_scenario("o.scn",
                                 "0 A.main s = socket(tcp, overlapped) = ok\n"
                                 "0 A.main WSARecv(s, 10, o1) = WSA_IO_PENDING\n"
                                 "0 A.main GetOverlappedResult(s, o1) = FALSE ERROR_CONNECTION_ABORTED bytes=0\n"
                                 "0 A.main WSAGetOverlappedResult(s, o1, 1) = FALSE WSAECONNABORTED\n"
                                 "0 A.main GetOverlappedResult(s, o1) = FALSE ERROR_OPERATION_ABORTED\n");
  INFO(first_error(r));
  REQUIRE(r.ok());
  CHECK(r.scenario.steps[2].call.result->error == 1236);
  CHECK(r.scenario.steps[2].call.result->outputs[0].value == "0");
  CHECK(r.scenario.steps[3].call.args[2].value == 1);
  CHECK(r.scenario.steps[4].call.result->error == 995);  // the Win32 name of 995
  ParseResult bad = parse_step("GetOverlappedResult(s, o1, 2) = ?");
  REQUIRE_FALSE(bad.ok());
  CHECK(first_error(bad).find("expected 0 or 1 for 'wait'") != std::string::npos);
  bad = parse_step("GetOverlappedResult(s, o1) = 1 bytes=x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.diagnostics[0].message.find("plain byte count") != std::string::npos);
}

TEST_CASE("outputs on a call that reports none are an error; v1 results are unchanged") {
  ParseResult r = parse_step("closesocket(s) = 0 read={s}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("closesocket reports nothing besides its result") != std::string::npos);
  // A word after a v1 result that is not KEY=VALUE is still the v1 error.
  r = parse_step("closesocket(s) = 0 extra");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics[0].message.find("unexpected 'extra' after the result") != std::string::npos);
}
