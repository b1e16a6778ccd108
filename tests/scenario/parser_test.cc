// The scenario language, by example: text in, the Scenario (or the diagnostics) out.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "closesim/base/errors.h"
#include "closesim/scenario/parser.h"

namespace {
// GCC 12 warns falsely (-Warray-bounds) on std::string + literal when inlined; append instead.
inline std::string source_path(const char* rel) {
  std::string p = CLOSESIM_SOURCE_DIR;
  p.append(rel);
  return p;
}
}  // namespace

using namespace closesim;

namespace {

std::string all_diagnostics(const ParseResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) {
    std::string line = d.line > 0 && d.line <= static_cast<int>(r.scenario.lines.size())
                           ? r.scenario.lines[static_cast<std::size_t>(d.line - 1)]
                           : "";
    out += format_diagnostic(d, line);
  }
  return out;
}

Scenario parse_ok(const std::string& text) {
  ParseResult r = parse_scenario("t.scn", text);
  INFO(all_diagnostics(r));
  CHECK(r.ok());
  return r.scenario;
}

// The single step of a one-step scenario.
Step one_step(const std::string& text) {
  Scenario s = parse_ok(text);
  REQUIRE(s.steps.size() == 1);
  return s.steps[0];
}

ResultSpec result_of(const std::string& result) {
  Step st = one_step("0 A.main closesocket(s) = " + result + "\n");
  REQUIRE(st.call.result.has_value());
  return *st.call.result;
}

Expectation expectation(const std::string& text) {
  Step st = one_step("0 expect " + text + "\n");
  CHECK(st.actor_kind == Step::ActorKind::Expect);
  return st.expect;
}

constexpr const char* kDesignExample = R"(title "Hard close discards queued data and resets the peer"
rules R8 R11            # the rules this scenario is written to exercise
provider nonifs         # ifs | nonifs | lsp:ifs | lsp:nonifs        (default nonifs)
profile documented      # documented | windows                       (default documented)
link latency=1ms rate=1MiB/s sndbuf=64KiB   # one-way latency, bytes/s, send buffer (defaults)
seed 7                  # only used by randomised runs

0        A.main   s = socket(tcp)                       = ok
0        A.main   connect(s)                            = 0
0        peer(s)  stop_reading                          # peer stops draining: data piles up
0        A.main   setsockopt(s, SO_LINGER, 1, 0)        = 0
0        A.main   send(s, 64KiB)                        = 65536
+1ms     A.main   closesocket(s)                        = 0
+0       expect   WPUCloseSocketHandle(s)
+0       expect   released(s)
+1ms     expect   peer(s) sees RST                      # RST travels one latency
*        expect   peer(s) received 0 bytes
)";

}  // namespace

TEST_CASE("the DESIGN.md example parses exactly") {
  Scenario s = parse_ok(kDesignExample);
  CHECK(s.file == "t.scn");
  CHECK(s.lines.size() == 17);
  CHECK(s.title == "Hard close discards queued data and resets the peer");
  CHECK(s.rules == std::vector<int>{8, 11});
  CHECK(s.provider == ProviderKind::NonIfs);
  CHECK(s.profile == ProfileKind::Documented);
  CHECK(s.link.latency == kMillisecond);
  CHECK(s.link.rate == 1024 * 1024);
  CHECK(s.link.sndbuf == 64 * 1024);
  CHECK(s.has_seed);
  CHECK(s.seed == 7);
  CHECK(s.schedule.empty());
  REQUIRE(s.steps.size() == 10);

  const Step& sock = s.steps[0];
  CHECK(sock.line == 8);
  CHECK(sock.time.start == 0);
  CHECK_FALSE(sock.time.blocking);
  CHECK(sock.time.text == "0");
  CHECK(sock.actor_kind == Step::ActorKind::Thread);
  CHECK(sock.process == "A");
  CHECK(sock.thread == "main");
  CHECK(sock.actor_span.column == 10);
  CHECK(sock.actor_span.length == 6);
  CHECK(sock.call.assign == "s");
  CHECK(sock.call.name == "socket");
  CHECK(sock.call.name_span.column == 23);
  REQUIRE(sock.call.args.size() == 1);
  CHECK(sock.call.args[0].kind == Argument::Kind::Name);
  CHECK(sock.call.args[0].text == "tcp");
  CHECK(sock.call.args[0].span.column == 30);
  CHECK(sock.call.args[0].span.line == 8);
  REQUIRE(sock.call.result.has_value());
  CHECK(sock.call.result->kind == ResultSpec::Kind::Ok);
  CHECK(sock.call.result->span.column == 59);
  CHECK(sock.call.result->text == "ok");
  CHECK(sock.source == "0        A.main   s = socket(tcp)                       = ok");

  CHECK(s.steps[1].call.name == "connect");
  CHECK(s.steps[1].call.result->kind == ResultSpec::Kind::Value);
  CHECK(s.steps[1].call.result->value == 0);

  const Step& peer = s.steps[2];
  CHECK(peer.actor_kind == Step::ActorKind::Peer);
  CHECK(peer.peer_of == "s");
  CHECK(peer.peer.kind == PeerAction::Kind::StopReading);
  CHECK(peer.actor_span.column == 10);
  CHECK(peer.actor_span.length == 7);

  const Step& linger = s.steps[3];
  CHECK(linger.call.name == "setsockopt");
  REQUIRE(linger.call.args.size() == 4);
  CHECK(linger.call.args[1].text == "SO_LINGER");
  CHECK(linger.call.args[2].kind == Argument::Kind::Number);
  CHECK(linger.call.args[2].value == 1);
  CHECK(linger.call.args[3].value == 0);

  const Step& send = s.steps[4];
  CHECK(send.call.args[1].kind == Argument::Kind::Number);
  CHECK(send.call.args[1].value == 65536);
  CHECK(send.call.args[1].text == "64KiB");
  CHECK(send.call.result->value == 65536);

  const Step& close = s.steps[5];
  CHECK(close.time.start == kMillisecond);
  CHECK(close.time.text == "+1ms");
  CHECK(close.call.name == "closesocket");

  CHECK(s.steps[6].time.start == kMillisecond);
  CHECK(s.steps[6].expect.kind == Expectation::Kind::HandleReturned);
  CHECK(s.steps[6].expect.subject == "s");
  CHECK_FALSE(s.steps[6].expect.negated);
  CHECK(s.steps[7].expect.kind == Expectation::Kind::Released);

  const Step& rst = s.steps[8];
  CHECK(rst.time.start == 2 * kMillisecond);
  CHECK(rst.expect.kind == Expectation::Kind::PeerSees);
  CHECK(rst.expect.subject == "s");
  CHECK(rst.expect.what == "RST");

  const Step& received = s.steps[9];
  CHECK(received.time.any);
  CHECK(received.expect.kind == Expectation::Kind::PeerReceived);
  CHECK(received.expect.bytes == 0);
  CHECK_FALSE(received.expect.after_close);
}

TEST_CASE("an empty file, blank lines and comments give an empty scenario") {
  Scenario s = parse_ok("\n   \n# only a comment\n\t# indented comment\n");
  CHECK(s.steps.empty());
  CHECK(s.lines.size() == 4);
  CHECK(s.provider == ProviderKind::NonIfs);
  CHECK_FALSE(s.has_seed);
  CHECK(parse_ok("").steps.empty());
}

TEST_CASE("CRLF line endings and a last line without a newline") {
  Scenario s = parse_ok("provider ifs\r\n0 A.main WSAStartup() = 0\r\n+1ms A.main WSACleanup() = 0");
  CHECK(s.provider == ProviderKind::Ifs);
  REQUIRE(s.steps.size() == 2);
  CHECK(s.steps[0].source == "0 A.main WSAStartup() = 0");
  CHECK(s.steps[1].time.start == kMillisecond);
}

TEST_SUITE("directives") {
  TEST_CASE("providers and profiles") {
    CHECK(parse_ok("provider ifs\n").provider == ProviderKind::Ifs);
    CHECK(parse_ok("provider nonifs\n").provider == ProviderKind::NonIfs);
    CHECK(parse_ok("provider lsp:ifs\n").provider == ProviderKind::LspIfs);
    CHECK(parse_ok("provider lsp:nonifs\n").provider == ProviderKind::LspNonIfs);
    CHECK(parse_ok("profile windows\n").profile == ProfileKind::Windows);
    CHECK(parse_ok("profile documented\n").profile == ProfileKind::Documented);
  }

  TEST_CASE("link takes any subset of its keys, in any order") {
    Scenario s = parse_ok("link sndbuf=8KiB latency=250us\n");
    CHECK(s.link.sndbuf == 8192);
    CHECK(s.link.latency == 250 * kMicrosecond);
    CHECK(s.link.rate == 1024 * 1024);  // default kept
    s = parse_ok("link rate=100000/s\n");
    CHECK(s.link.rate == 100000);
    CHECK(s.link.latency == kMillisecond);
    s = parse_ok("link latency=0 rate=2MiB/s\n");
    CHECK(s.link.latency == 0);
    CHECK(s.link.rate == 2 * 1024 * 1024);
    s = parse_ok("link latency=1.5ms\n");
    CHECK(s.link.latency == 1500 * kMicrosecond);
  }

  TEST_CASE("title, rules, seed, schedule") {
    Scenario s = parse_ok("title \"say \\\"hi\\\" # not a comment\"\nrules R1 R14 r9\nseed 18446744073709551615\n"
                          "schedule 0.1.0.2\n");
    CHECK(s.title == "say \"hi\" # not a comment");
    CHECK(s.rules == std::vector<int>{1, 14, 9});
    CHECK(s.seed == 18446744073709551615ull);
    CHECK(s.has_seed);
    CHECK(s.schedule == "0.1.0.2");
    CHECK(parse_ok("schedule 3\n").schedule == "3");
    CHECK(parse_ok("title \"\"\n").title.empty());
  }
}

TEST_SUITE("time") {
  TEST_CASE("absolute times in every unit") {
    Scenario s = parse_ok(
        "0 A.main WSAStartup() = 0\n"
        "15ns A.main WSAStartup() = 0\n"
        "15us A.main WSAStartup() = 0\n"
        "1.5ms A.main WSAStartup() = 0\n"
        "250ms A.main WSAStartup() = 0\n"
        "2s A.main WSAStartup() = 0\n"
        "2.000000001s A.main WSAStartup() = 0\n");
    REQUIRE(s.steps.size() == 7);
    CHECK(s.steps[0].time.start == 0);
    CHECK(s.steps[1].time.start == 15);
    CHECK(s.steps[2].time.start == 15 * kMicrosecond);
    CHECK(s.steps[3].time.start == 1500 * kMicrosecond);
    CHECK(s.steps[4].time.start == 250 * kMillisecond);
    CHECK(s.steps[5].time.start == 2 * kSecond);
    CHECK(s.steps[6].time.start == 2 * kSecond + 1);
    CHECK(s.steps[3].time.text == "1.5ms");
    CHECK(s.steps[3].time.span.column == 1);
    CHECK(s.steps[3].time.span.length == 5);
  }

  TEST_CASE("relative times count from the previous timed step, skipping `*` steps") {
    Scenario s = parse_ok(
        "+5ms A.main WSAStartup() = 0\n"     // first step: relative to 0
        "+1ms A.main WSAStartup() = 0\n"
        "* expect released(s)\n"
        "+0 A.main WSAStartup() = 0\n"
        "10ms A.main WSAStartup() = 0\n"
        "+2.5us A.main WSAStartup() = 0\n");
    REQUIRE(s.steps.size() == 6);
    CHECK(s.steps[0].time.start == 5 * kMillisecond);
    CHECK(s.steps[1].time.start == 6 * kMillisecond);
    CHECK(s.steps[2].time.any);
    CHECK(s.steps[3].time.start == 6 * kMillisecond);
    CHECK(s.steps[4].time.start == 10 * kMillisecond);
    CHECK(s.steps[5].time.start == 10 * kMillisecond + 2500);
  }

  TEST_CASE("blocking spans") {
    Scenario s = parse_ok(
        "1ms A.main recv(s, 10) = ?\n"
        "+0...+2s A.main recv(s, 10) = ?\n"
        "0.5s...2s A.main recv(s, 10) = ?\n"
        "+1s...* A.main recv(s, 10) = ?\n"
        "2s...2s A.main recv(s, 10) = ?\n"
        "+0 A.main recv(s, 10) = ?\n");
    REQUIRE(s.steps.size() == 6);
    CHECK_FALSE(s.steps[0].time.blocking);
    const StepTime& rel = s.steps[1].time;
    CHECK(rel.blocking);
    CHECK_FALSE(rel.end_any);
    CHECK(rel.start == kMillisecond);
    CHECK(rel.end == kMillisecond + 2 * kSecond);
    CHECK(rel.text == "+0...+2s");
    const StepTime& abs = s.steps[2].time;
    CHECK(abs.start == kSecond / 2);
    CHECK(abs.end == 2 * kSecond);
    const StepTime& open = s.steps[3].time;
    CHECK(open.blocking);
    CHECK(open.end_any);
    CHECK(open.start == kSecond / 2 + kSecond);
    CHECK(s.steps[4].time.start == 2 * kSecond);
    CHECK(s.steps[4].time.end == 2 * kSecond);
    // The previous step's *start* is what a relative time counts from, not its end.
    CHECK(s.steps[5].time.start == 2 * kSecond);
  }

  TEST_CASE("`*` on an expectation, negated too") {
    Step st = one_step("* expect no FD_CLOSE(s)\n");
    CHECK(st.time.any);
    CHECK(st.time.text == "*");
    CHECK(st.expect.negated);
  }
}

TEST_SUITE("actors") {
  TEST_CASE("threads, peers and expect") {
    Scenario s = parse_ok(
        "0 Server_1.worker2 WSAStartup() = 0\n"
        "0 peer( conn ) close\n"
        "0 expect released(conn)\n");
    REQUIRE(s.steps.size() == 3);
    CHECK(s.steps[0].process == "Server_1");
    CHECK(s.steps[0].thread == "worker2");
    CHECK(s.steps[1].actor_kind == Step::ActorKind::Peer);
    CHECK(s.steps[1].peer_of == "conn");
    CHECK(s.steps[1].actor_span.column == 3);
    CHECK(s.steps[1].actor_span.length == 12);
    CHECK(s.steps[2].actor_span.column == 3);
    CHECK(s.steps[2].actor_span.length == 6);
  }
}

TEST_SUITE("peer actions") {
  TEST_CASE("every peer action") {
    Scenario s = parse_ok(
        "0 peer(s) send 100\n"
        "0 peer(s) send 4KiB\n"
        "0 peer(s) stop_reading\n"
        "0 peer(s) start_reading\n"
        "0 peer(s) close\n"
        "0 peer(s) reset\n"
        "0 peer(l) connect\n");
    REQUIRE(s.steps.size() == 7);
    CHECK(s.steps[0].peer.kind == PeerAction::Kind::Send);
    CHECK(s.steps[0].peer.bytes == 100);
    CHECK(s.steps[1].peer.bytes == 4096);
    CHECK(s.steps[2].peer.kind == PeerAction::Kind::StopReading);
    CHECK(s.steps[3].peer.kind == PeerAction::Kind::StartReading);
    CHECK(s.steps[4].peer.kind == PeerAction::Kind::Close);
    CHECK(s.steps[5].peer.kind == PeerAction::Kind::Reset);
    CHECK(s.steps[6].peer.kind == PeerAction::Kind::Connect);
    CHECK(s.steps[6].peer_of == "l");
  }
}

TEST_SUITE("results") {
  TEST_CASE("values and ok") {
    CHECK(result_of("?").kind == ResultSpec::Kind::Any);
    ResultSpec v = result_of("65536");
    CHECK(v.kind == ResultSpec::Kind::Value);
    CHECK(v.value == 65536);
    CHECK(result_of("64KiB").value == 65536);
    CHECK(result_of("1MiB").value == 1024 * 1024);
    CHECK(result_of("10B").value == 10);
    CHECK(result_of("ok").kind == ResultSpec::Kind::Ok);
  }

  TEST_CASE("errors, with each sentinel") {
    ResultSpec e = result_of("SOCKET_ERROR WSAEWOULDBLOCK");
    CHECK(e.kind == ResultSpec::Kind::Error);
    CHECK(e.sentinel == "SOCKET_ERROR");
    CHECK(e.error == WSAEWOULDBLOCK);
    CHECK(e.text == "SOCKET_ERROR WSAEWOULDBLOCK");
    CHECK(e.span.column == 27);
    CHECK(e.span.length == 27);
    e = result_of("-1   WSAEINTR   # comment");
    CHECK(e.sentinel == "-1");
    CHECK(e.error == WSAEINTR);
    CHECK(e.text == "-1   WSAEINTR");
    e = result_of("INVALID_SOCKET WSAENOTSOCK");
    CHECK(e.sentinel == "INVALID_SOCKET");
    CHECK(e.error == WSAENOTSOCK);
    CHECK(result_of("SOCKET_ERROR 10054").error == WSAECONNRESET);
  }

  TEST_CASE("pending, waits and completions") {
    CHECK(result_of("WSA_IO_PENDING").kind == ResultSpec::Kind::IoPending);
    for (const char* w : {"WAIT_OBJECT_0", "WAIT_TIMEOUT", "WAIT_IO_COMPLETION"}) {
      ResultSpec r = result_of(w);
      CHECK(r.kind == ResultSpec::Kind::Wait);
      CHECK(r.sentinel == w);
    }
    ResultSpec c = result_of("o1 WSA_OPERATION_ABORTED 0 bytes");
    CHECK(c.kind == ResultSpec::Kind::Completion);
    CHECK(c.op == "o1");
    CHECK(c.error == WSA_OPERATION_ABORTED);
    CHECK(c.value == 0);
    c = result_of("o2 0 64KiB bytes");
    CHECK(c.op == "o2");
    CHECK(c.error == 0);
    CHECK(c.value == 65536);
    CHECK(result_of("o3 NO_ERROR 5 bytes").error == 0);
    CHECK(result_of("o3 1236 5 bytes").error == ERROR_CONNECTION_ABORTED);
  }
}

TEST_SUITE("expectations") {
  TEST_CASE("peer sees and received") {
    Expectation e = expectation("peer(s) sees FIN");
    CHECK(e.kind == Expectation::Kind::PeerSees);
    CHECK(e.what == "FIN");
    e = expectation("no peer(s) sees RST");
    CHECK(e.negated);
    CHECK(e.what == "RST");
    e = expectation("peer(s) received 64KiB bytes after close");
    CHECK(e.kind == Expectation::Kind::PeerReceived);
    CHECK(e.bytes == 65536);
    CHECK(e.after_close);
    CHECK_FALSE(expectation("peer(s) received 3 bytes").after_close);
  }

  TEST_CASE("completions") {
    Expectation e = expectation("o1 completes WSA_OPERATION_ABORTED via apc");
    CHECK(e.kind == Expectation::Kind::OpCompletes);
    CHECK(e.subject == "o1");
    CHECK(e.status == WSA_OPERATION_ABORTED);
    CHECK_FALSE(e.any_status);
    CHECK(e.what == "apc");
    e = expectation("o1 completes");
    CHECK(e.any_status);
    CHECK(e.what.empty());
    e = expectation("o1 completes via port");
    CHECK(e.any_status);
    CHECK(e.what == "port");
    e = expectation("o2 completes 0 via event");
    CHECK_FALSE(e.any_status);
    CHECK(e.status == 0);
    CHECK(e.what == "event");
    e = expectation("no o2 completes");
    CHECK(e.negated);
  }

  TEST_CASE("handles, release, wake-ups and network events") {
    Expectation e = expectation("no WPUCloseSocketHandle(s)");
    CHECK(e.kind == Expectation::Kind::HandleReturned);
    CHECK(e.negated);
    CHECK(e.subject == "s");
    CHECK(expectation("released(d)").kind == Expectation::Kind::Released);
    e = expectation("A.t2 wakes");
    CHECK(e.kind == Expectation::Kind::ThreadWakes);
    CHECK(e.subject == "A.t2");
    for (const char* fd : {"FD_READ", "FD_WRITE", "FD_OOB", "FD_ACCEPT", "FD_CONNECT", "FD_CLOSE"}) {
      e = expectation(std::string(fd) + "(s)");
      CHECK(e.kind == Expectation::Kind::NetworkEvent);
      CHECK(e.what == fd);
      CHECK(e.subject == "s");
    }
  }
}

TEST_SUITE("files") {
  TEST_CASE("an unreadable file is one diagnostic on line 0") {
    ParseResult r = parse_scenario_file("/nonexistent/dir/x.scn");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].line == 0);
    CHECK(r.diagnostics[0].file == "/nonexistent/dir/x.scn");
    CHECK_FALSE(r.diagnostics[0].message.empty());
    r = parse_scenario_file("/");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].line == 0);
  }

  TEST_CASE("a file is read and named in diagnostics") {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("closesim_parser_test_" + std::to_string(::getpid()) + ".scn"))
                           .string();
    {
      std::ofstream out(path);
      out << "provider ifs\n0 A.main closesockt(s) = 0\n";
    }
    ParseResult r = parse_scenario_file(path);
    std::remove(path.c_str());
    CHECK(r.scenario.provider == ProviderKind::Ifs);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].file == path);
    CHECK(r.diagnostics[0].line == 2);
  }
}

TEST_CASE("every scenario example in docs/language.md parses") {
  std::ifstream in(source_path("/docs/language.md"));
  REQUIRE(in);
  std::string line;
  std::string block;
  bool inside = false;
  int blocks = 0;
  int line_no = 0;
  int block_line = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!inside && line == "```scn") {
      inside = true;
      block.clear();
      block_line = line_no;
    } else if (inside && line == "```") {
      inside = false;
      ++blocks;
      ParseResult r = parse_scenario("language.md", block);
      INFO("block at docs/language.md:", block_line, "\n", all_diagnostics(r));
      CHECK(r.ok());
    } else if (inside) {
      block += line + "\n";
    }
  }
  CHECK(blocks >= 5);
}
