// Every call of the language against its signature: what is accepted, and how the arguments
// come out (kinds, values, normalisation) for the runner.
#include <doctest/doctest.h>

#include <string>

#include "closesim/scenario/parser.h"
#include "closesim/base/time.h"
#include "parse_fixture.h"

using namespace closesim;

namespace {

using closesim::support::first_error;

// Parses one thread step `0 A.main <call> = ?` and returns its call.
CallAction call(const std::string& text) {
  ParseResult r = parse_scenario("c.scn", "0 A.main " + text + " = ?\n");
  INFO(text, " -> ", first_error(r));
  CHECK(r.ok());
  if (r.scenario.steps.empty()) return {};
  return r.scenario.steps[0].call;
}

// The call is rejected; returns the diagnostic (which must carry a hint).
Diagnostic rejected(const std::string& text) {
  ParseResult r = parse_scenario("c.scn", "0 A.main " + text + " = ?\n");
  INFO(text);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].line == 1);
  CHECK_FALSE(r.diagnostics[0].hint.empty());
  return r.diagnostics[0];
}

// The call is rejected, pointing at the last occurrence of `at` in it.
bool rejected_at(const std::string& text, const std::string& at) {
  Diagnostic d = rejected(text);
  int expected = static_cast<int>(std::string("0 A.main ").size() + text.rfind(at)) + 1;
  INFO(text, ": ", d.message, " at column ", d.column, ", expected ", expected);
  return d.column == expected;
}

using K = Argument::Kind;

}  // namespace

TEST_CASE("socket: protocol, then overlapped and nonblocking in any order") {
  CallAction c = call("s = socket(tcp)");
  CHECK(c.assign == "s");
  REQUIRE(c.args.size() == 1);
  CHECK(c.args[0].text == "tcp");
  CHECK(call("u = socket(udp)").args[0].text == "udp");
  c = call("s = socket(tcp, overlapped)");
  REQUIRE(c.args.size() == 2);
  CHECK(c.args[1].text == "overlapped");
  CHECK(call("s = socket(tcp, nonblocking)").args.size() == 2);
  CHECK(call("s = socket(tcp, overlapped, nonblocking)").args.size() == 3);
  CHECK(call("s = socket(udp, nonblocking, overlapped)").args.size() == 3);
  CHECK(call("socket(tcp)").assign.empty());  // assigning is allowed, not required

  CHECK(rejected_at("s = socket(tcp, overlapped, overlapped)", "overlapped"));
  CHECK(rejected("s = socket()").message.find("missing argument") != std::string::npos);
  CHECK(rejected_at("s = socket(tpc)", "tpc"));
  CHECK(rejected("s = socket(tpc)").hint == "did you mean 'tcp'?");
  CHECK(rejected_at("s = socket(overlapped, tcp)", "overlapped"));
}

TEST_CASE("calls on one socket") {
  for (const char* name : {"connect", "listen", "closesocket"}) {
    CallAction c = call(std::string(name) + "(s)");
    CHECK(c.name == name);
    REQUIRE(c.args.size() == 1);
    CHECK(c.args[0].kind == K::Name);
  }
  CallAction c = call("c = accept(l)");
  CHECK(c.assign == "c");
  CHECK(c.args[0].text == "l");
}

TEST_CASE("send and recv take a byte count") {
  CallAction c = call("send(s, 100)");
  CHECK(c.args[1].kind == K::Number);
  CHECK(c.args[1].value == 100);
  CHECK(call("recv(s, 2MiB)").args[1].value == 2 * 1024 * 1024);
  CHECK(call("send(s, 1.5KiB)").args[1].value == 1536);
  CHECK(rejected_at("send(s, 10ms)", "10ms"));
  CHECK(rejected_at("send(s)", ")"));  // the ')' where N is missing
  CHECK(rejected_at("send(s, 1, 2)", "2"));
  CHECK(rejected_at("recv(10, s)", "10"));
}

TEST_CASE("WSASend and WSARecv, with each completion action") {
  CallAction c = call("WSASend(s, 64KiB, o1)");
  REQUIRE(c.args.size() == 3);
  CHECK(c.args[2].kind == K::Name);
  CHECK(c.args[2].text == "o1");
  c = call("WSARecv(s, 10, o2, event=e)");
  REQUIRE(c.args.size() == 4);
  CHECK(c.args[3].kind == K::KeyValue);
  CHECK(c.args[3].key == "event");
  CHECK(c.args[3].text == "e");
  CHECK(c.args[3].span.column == 29);
  CHECK(c.args[3].span.length == 7);
  c = call("WSASend(s, 10, o3, apc)");
  CHECK(c.args[3].kind == K::Name);
  CHECK(c.args[3].text == "apc");
  c = call("WSARecv(s, 10, o4, port = p)");
  CHECK(c.args[3].key == "port");
  CHECK(c.args[3].text == "p");
  CHECK(rejected_at("WSASend(s, 10, o1, signal=e)", "signal"));
  CHECK(rejected_at("WSASend(s, 10, o1, apcc)", "apcc"));
  CHECK(rejected("WSARecv(s, 10)").message.find("'o1'") != std::string::npos);
}

TEST_CASE("setsockopt: SO_LINGER takes whole seconds, SO_DONTLINGER a switch") {
  CallAction c = call("setsockopt(s, SO_LINGER, 1, 2)");
  REQUIRE(c.args.size() == 4);
  CHECK(c.args[1].kind == K::Name);
  CHECK(c.args[2].value == 1);
  CHECK(c.args[3].kind == K::Number);
  CHECK(c.args[3].value == 2);
  c = call("setsockopt(s, SO_DONTLINGER, 0)");
  REQUIRE(c.args.size() == 3);
  CHECK(c.args[2].value == 0);

  CHECK(rejected_at("setsockopt(s, SO_LINGER, 1, 2s)", "2s"));
  Diagnostic d = rejected("setsockopt(s, SO_LINGER, 1, 2s)");
  CHECK(d.length == 2);
  CHECK(d.hint.find("whole seconds") != std::string::npos);
  CHECK(d.hint.find("`2`") != std::string::npos);
  CHECK(rejected("setsockopt(s, SO_LINGER, 1)").message.find("missing argument 'seconds'") !=
        std::string::npos);
  CHECK(rejected("setsockopt(s, SO_DONTLINGER, 1, 0)").message.find("too many") != std::string::npos);
  CHECK(rejected_at("setsockopt(s, SO_DONTLINGER, 2)", "2"));
  CHECK(rejected_at("setsockopt(s, SO_LINGER, 1, 70000)", "70000"));
  CHECK(rejected("setsockopt(s, SO_LINGR, 1, 0)").hint == "did you mean 'SO_LINGER'?");
}

TEST_CASE("ioctlsocket and shutdown") {
  CallAction c = call("ioctlsocket(s, FIONBIO, 1)");
  CHECK(c.args[1].text == "FIONBIO");
  CHECK(c.args[2].value == 1);
  for (const char* how : {"SD_SEND", "SD_RECEIVE", "SD_BOTH"})
    CHECK(call(std::string("shutdown(s, ") + how + ")").args[1].text == how);
  CHECK(rejected_at("ioctlsocket(s, FIONBIO, 1B)", "1B"));
  CHECK(rejected_at("shutdown(s, SD_SEND|SD_RECEIVE)", "SD_SEND"));
}

TEST_CASE("duplication: WSADuplicateSocket then WSASocket") {
  CallAction c = call("info = WSADuplicateSocket(s, B)");
  CHECK(c.assign == "info");
  CHECK(c.args[1].kind == K::Name);
  CHECK(c.args[1].text == "B");
  c = call("d = WSASocket(info)");
  CHECK(c.assign == "d");
  CHECK(c.args[0].text == "info");
}

TEST_CASE("completion ports") {
  CallAction c = call("p = CreateIoCompletionPort(s, 7)");
  REQUIRE(c.args.size() == 2);
  CHECK(c.args[1].kind == K::Number);
  CHECK(c.args[1].value == 7);
  c = call("p = CreateIoCompletionPort(s2, p, key2)");
  REQUIRE(c.args.size() == 3);
  CHECK(c.args[1].text == "p");
  CHECK(c.args[2].kind == K::Name);

  c = call("GetQueuedCompletionStatus(p)");
  CHECK(c.args.size() == 1);
  c = call("GetQueuedCompletionStatus(p, 10ms)");
  CHECK(c.args[1].kind == K::Duration);
  CHECK(c.args[1].value == 10 * kMillisecond);
  c = call("GetQueuedCompletionStatus(p, 250)");  // plain number: milliseconds, as in Windows
  CHECK(c.args[1].kind == K::Duration);
  CHECK(c.args[1].value == 250 * kMillisecond);
  CHECK(c.args[1].text == "250");
  c = call("GetQueuedCompletionStatus(p, INFINITE)");
  CHECK(c.args[1].kind == K::Name);
  CHECK(c.args[1].text == "INFINITE");
  CHECK(c.args[1].value == kForever);
  CHECK(rejected_at("GetQueuedCompletionStatus(p, forever)", "forever"));
}

TEST_CASE("waits and events") {
  CHECK(call("WaitForSingleObject(e)").args.size() == 1);
  CallAction c = call("WaitForSingleObject(e, 1s)");
  CHECK(c.args[1].value == kSecond);
  c = call("SleepEx(INFINITE, 1)");
  CHECK(c.args[0].value == kForever);
  CHECK(c.args[1].value == 1);
  c = call("SleepEx(5, 0)");
  CHECK(c.args[0].kind == K::Duration);
  CHECK(c.args[0].value == 5 * kMillisecond);
  CHECK(rejected("SleepEx(5ms)").message.find("missing argument 'alertable'") != std::string::npos);
  CHECK(rejected_at("SleepEx(5ms, yes)", "yes"));

  c = call("e = WSACreateEvent()");
  CHECK(c.assign == "e");
  CHECK(c.args.empty());
  c = call("WSAEventSelect(s, e, FD_READ|FD_CLOSE)");
  REQUIRE(c.args.size() == 3);
  CHECK(c.args[2].kind == K::Flags);
  CHECK(c.args[2].value == (1 | 32));
  CHECK(c.args[2].text == "FD_READ|FD_CLOSE");
  c = call("WSAEventSelect(s, e, FD_READ | FD_WRITE | FD_OOB | FD_ACCEPT | FD_CONNECT | FD_CLOSE)");
  CHECK(c.args[2].value == 63);
  CHECK(c.args[2].text == "FD_READ | FD_WRITE | FD_OOB | FD_ACCEPT | FD_CONNECT | FD_CLOSE");
  c = call("WSAEventSelect(s, e, FD_CLOSE)");
  CHECK(c.args[2].kind == K::Flags);
  CHECK(c.args[2].value == 32);
  c = call("WSAEventSelect(s, e, 0)");  // 0 cancels the selection
  CHECK(c.args[2].kind == K::Flags);
  CHECK(c.args[2].value == 0);
  CHECK(rejected_at("WSAEventSelect(s, e, FD_READ|FD_CLOSED)", "FD_CLOSED"));
  Diagnostic d = rejected("WSAEventSelect(s, e, FD_READ|FD_CLOSED)");
  CHECK(d.hint == "did you mean 'FD_CLOSE'?");
  CHECK(rejected("WSAEventSelect(s, e)").message.find("missing") != std::string::npos);
}

TEST_CASE("startup and cleanup take nothing") {
  CHECK(call("WSAStartup()").args.empty());
  CHECK(call("WSACleanup()").args.empty());
  CHECK(rejected_at("WSAStartup(2)", "2"));
}

TEST_CASE("only calls that create something may be assigned") {
  for (const char* ok : {"s = socket(tcp)", "c = accept(s)", "i = WSADuplicateSocket(s, B)",
                         "d = WSASocket(i)", "p = CreateIoCompletionPort(s, 1)", "e = WSACreateEvent()"})
    CHECK(call(ok).assign.size() == 1);
  CHECK(rejected_at("n = send(s, 10)", "n ="));
  Diagnostic d = rejected("n = send(s, 10)");
  CHECK(d.length == 1);
  CHECK(d.hint.find("socket, accept") != std::string::npos);
  CHECK(rejected_at("r = closesocket(s)", "r"));
}

TEST_CASE("AcceptEx, bind, sendto, recvfrom, WSARecvFrom, ExitThread, WSAIoctl") {
  CallAction c = call("AcceptEx(l, a, 1KiB, o1, port=p)");
  REQUIRE(c.args.size() == 5);
  CHECK(c.args[1].text == "a");
  CHECK(c.args[2].value == 1024);
  CHECK(c.args[4].key == "port");
  CHECK(call("AcceptEx(l, a, 0, o1)").args.size() == 4);
  CHECK(call("AcceptEx(l, a, 0, o1, event=e)").args[4].key == "event");
  // AcceptEx has no completion routine: `apc` is refused, and the message shows the signature.
  Diagnostic apc = rejected("AcceptEx(l, a, 0, o1, apc)");
  CHECK(apc.message == "AcceptEx: takes no completion routine, got 'apc'");
  CHECK(apc.hint == "use event=e or port=p: AcceptEx(s, a, N, o1 [, event=e | port=p])");
  CHECK(rejected_at("AcceptEx(l, a, 0, o1, apc)", "apc"));
  // Wrong kinds: a number where the accept socket goes, a name where the size goes.
  Diagnostic kind = rejected("AcceptEx(l, 5, 0, o1)");
  CHECK(kind.message.find("expected a name for 'a'") != std::string::npos);
  CHECK(kind.hint == "usage: AcceptEx(s, a, N, o1 [, event=e | port=p])");
  CHECK(rejected_at("AcceptEx(l, a, n, o1)", "n, o1"));
  CHECK(rejected("AcceptEx(l, a, 0)").message.find("missing argument 'o1'") != std::string::npos);

  CHECK(call("bind(u)").args.size() == 1);
  CHECK(call("sendto(u, 100)").args[1].value == 100);
  CHECK(call("recvfrom(u, 2KiB)").args[1].value == 2048);
  CHECK(call("WSARecvFrom(u, 10, o1, apc)").args[3].text == "apc");
  CHECK(rejected("bind(u, 1)").hint == "usage: bind(s)");
  CHECK(rejected_at("recvfrom(u, 10ms)", "10ms"));
  CHECK(rejected("sendto(u)").hint == "usage: sendto(s, N)");

  CHECK(call("ExitThread()").args.empty());
  CHECK(rejected("ExitThread(0)").hint == "usage: ExitThread()");

  CHECK(call("WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE)").args.size() == 2);
  CHECK(call("WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, o1, port=p)").args.size() == 4);
  Diagnostic code = rejected("WSAIoctl(s, SIO_ADDRESS_LIST_CHANGES, o1)");
  CHECK(code.hint == "did you mean 'SIO_ADDRESS_LIST_CHANGE'?");
}
