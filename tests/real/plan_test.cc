// The plan closesim writes for the Windows runner, read back with the runner's own reader
// (realstack/plan_file.cc is portable C++ and compiled into this test).
#include <doctest/doctest.h>

#include <sstream>

#include "closesim/scenario/parser.h"
#include "closesim/real/plan.h"
#include "plan_file.h"

namespace closesim::real {
namespace {

Scenario parse(const std::string& text) {
  ParseResult p = parse_scenario("inline.scn", text);
  REQUIRE(p.ok());
  return p.scenario;
}

realstack::PlanFile read_back(const Plan& plan) {
  std::istringstream in(plan.text);
  realstack::PlanFile out;
  std::string error;
  CHECK_MESSAGE(realstack::read_plan(in, out, error), error);
  return out;
}

TEST_CASE("a plan carries every call and peer step, with times, actors and typed arguments") {
  Scenario sc = parse(
      "0     A.main  s = socket(tcp, overlapped)  = ok\n"
      "0     A.main  connect(s)                   = 0\n"
      "0     peer(s) stop_reading\n"
      "0     A.main  e = WSACreateEvent()         = ok\n"
      "0     A.main  WSARecv(s, 100, o1, event=e) = WSA_IO_PENDING\n"
      "0     A.main  setsockopt(s, SO_LINGER, 1, 0) = 0\n"
      "1ms   A.t2    WaitForSingleObject(e, 10ms) = WAIT_OBJECT_0\n"
      "+0...+2s A.main closesocket(s)              = 0\n"
      "+1ms  peer(s) send 512\n"
      "5ms   expect  peer(s) sees RST\n");
  Plan plan = write_plan(sc, PlanOptions{2.0, 7 * kMillisecond});
  CHECK(plan.realisable());
  realstack::PlanFile f = read_back(plan);
  CHECK(f.file == "inline.scn");
  CHECK(f.time_scale == 2.0);
  CHECK(f.tolerance == 7 * kMillisecond);
  CHECK(f.horizon == kMillisecond + 2 * kSecond);  // the close may block until then: watch that long
  REQUIRE(f.steps.size() == 9);          // expect lines are judged by closesim, not played

  const realstack::PlanStep& sock = f.steps[0];
  CHECK_FALSE(sock.peer);
  CHECK(sock.line == 1);
  CHECK(sock.assign == "s");
  CHECK(sock.call == "socket");
  REQUIRE(sock.args.size() == 2);
  CHECK(sock.args[1].text == "overlapped");

  CHECK(f.steps[2].peer);
  CHECK(f.steps[2].action == "stop_reading");
  CHECK(f.steps[2].subject == "s");

  const realstack::PlanStep& recv = f.steps[4];
  REQUIRE(recv.args.size() == 4);
  CHECK(recv.args[1].kind == 'n');
  CHECK(recv.args[1].value == 100);
  CHECK(recv.args[3].kind == 'k');
  CHECK(recv.args[3].key == "event");
  CHECK(recv.args[3].text == "e");

  const realstack::PlanStep& wait = f.steps[6];
  CHECK(wait.actor() == "A.t2");
  CHECK(wait.start == kMillisecond);
  REQUIRE(wait.args.size() == 2);
  CHECK(wait.args[1].kind == 'd');
  CHECK(wait.args[1].value == 10 * kMillisecond);

  const realstack::PlanStep& close = f.steps[7];
  CHECK(close.blocking);
  CHECK_FALSE(close.end_any);
  CHECK(close.end == kMillisecond + 2 * kSecond);

  CHECK(f.steps[8].action == "send");
  CHECK(f.steps[8].bytes == 512);
}

TEST_CASE("a second process is played by a child; only the first may make connections") {
  Scenario sc = parse(
      "0     A.main  s = socket(tcp)              = ok\n"
      "0     A.main  connect(s)                   = 0\n"
      "0     A.main  info = WSADuplicateSocket(s, B) = ok\n"
      "0     B.main  d = WSASocket(info)          = ok\n"
      "0     B.main  c = socket(tcp)              = ok\n"
      "0     B.main  connect(c)                   = 0\n"
      "0     B.main  closesocket(d)               = 0\n");
  Plan plan = write_plan(sc, PlanOptions{});
  REQUIRE(plan.unrealisable.size() == 1);
  CHECK(plan.unrealisable[0].line == 6);
  CHECK(plan.unrealisable[0].reason.find("connect in process B") == 0);
  realstack::PlanFile f = read_back(plan);
  REQUIRE(f.steps.size() == 6);
  CHECK(f.steps[2].call == "WSADuplicateSocket");
  CHECK(f.steps[2].args[1].text == "B");
  CHECK(f.steps[3].process == "B");
  CHECK(f.steps[3].call == "WSASocket");
  CHECK(f.steps[3].args[0].text == "info");
  CHECK(f.steps[5].actor() == "B.main");
}

TEST_CASE("a peer action the runner cannot do is named with the reason, not played") {
  Scenario sc = parse(
      "0     A.main  s = socket(tcp, overlapped)  = ok\n"
      "0     A.main  connect(s)                   = 0\n"
      "0     A.main  WSARecv(s, 10, o1)           = WSA_IO_PENDING\n"
      "1ms   peer(s) abort\n"
      "2ms   A.main  CancelIoEx(s, o1)            = FALSE ERROR_NOT_FOUND\n");
  Plan plan = write_plan(sc, PlanOptions{});
  REQUIRE(plan.unrealisable.size() == 1);
  CHECK(plan.unrealisable[0].line == 4);
  CHECK(plan.unrealisable[0].reason.find("peer(s) abort: an abort from outside") == 0);
}

TEST_CASE("select's sets and WSAPoll's entries travel as one token each, with names and masks") {
  Scenario sc = parse(
      "0     A.main  s = socket(tcp)              = ok\n"
      "0     A.main  d = socket(tcp)              = ok\n"
      "0     A.main  select(read={s, d}, write={}, except={s}, 1250ms) = 1 read={s} write={} except={}\n"
      "0     A.main  WSAPoll({s, POLLIN|POLLOUT}, {d, 0}, INFINITE) = 1 s=POLLWRNORM d=0\n"
      "1ms   peer(s) shutdown\n"
      "2ms   peer(s) closesocket\n");
  Plan plan = write_plan(sc, PlanOptions{});
  REQUIRE(plan.realisable());
  realstack::PlanFile f = read_back(plan);
  REQUIRE(f.steps.size() == 6);
  const realstack::PlanStep& sel = f.steps[2];
  REQUIRE(sel.args.size() == 4);
  CHECK(sel.args[0].kind == 'g');
  CHECK(sel.args[0].key == "read");
  CHECK(sel.args[0].text == "s,d");
  CHECK(sel.args[1].key == "write");
  CHECK(sel.args[1].text.empty());
  CHECK(sel.args[2].text == "s");
  CHECK(sel.args[3].kind == 'd');
  CHECK(sel.args[3].value == 1250 * kMillisecond);
  const realstack::PlanStep& poll = f.steps[3];
  REQUIRE(poll.args.size() == 3);
  CHECK(poll.args[0].kind == 'p');
  CHECK(poll.args[0].text == "s");
  CHECK(poll.args[0].value == 0x100 + 0x200 + 0x10);  // POLLIN is RDNORM|RDBAND, POLLOUT WRNORM
  CHECK(poll.args[1].text == "d");
  CHECK(poll.args[1].value == 0);
  CHECK(poll.args[2].text == "INFINITE");
  CHECK(f.steps[4].action == "shutdown");
  CHECK(f.steps[5].action == "closesocket");
}

TEST_CASE("the runner's reader refuses a truncated or foreign plan with the line") {
  realstack::PlanFile f;
  std::string error;
  std::istringstream foreign("hello\n");
  CHECK_FALSE(realstack::read_plan(foreign, f, error));
  CHECK(error.find("plan line 1") != std::string::npos);
  std::istringstream truncated("closesim-plan 1\ncall 1 0 - A main s socket w:tcp\n");
  CHECK_FALSE(realstack::read_plan(truncated, f, error));
  CHECK(error.find("end") != std::string::npos);
  std::istringstream bad("closesim-plan 1\ncall 1 zero - A main s socket w:tcp\nend\n");
  CHECK_FALSE(realstack::read_plan(bad, f, error));
  CHECK(error.find("plan line 2") != std::string::npos);
}

}  // namespace
}  // namespace closesim::real
