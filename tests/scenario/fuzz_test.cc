// The parser never throws, crashes or aborts, whatever it is given: random bytes, and valid
// scenarios mutated byte by byte and token by token. Whatever comes back is well formed:
// every diagnostic points inside the file and says something, with a hint.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "closesim/scenario/parser.h"

using namespace closesim;

namespace {

constexpr const char* kSeedScenarios[] = {
    R"(title "Hard close discards queued data and resets the peer"
rules R8 R11
provider nonifs
profile documented
link latency=1ms rate=1MiB/s sndbuf=64KiB
seed 7
0        A.main   s = socket(tcp)                       = ok
0        A.main   connect(s)                            = 0
0        peer(s)  stop_reading
0        A.main   setsockopt(s, SO_LINGER, 1, 0)        = 0
0        A.main   send(s, 64KiB)                        = 65536
+1ms     A.main   closesocket(s)                        = 0
+0       expect   WPUCloseSocketHandle(s)
+0       expect   released(s)
+1ms     expect   peer(s) sees RST
*        expect   peer(s) received 0 bytes
)",
    R"(provider lsp:ifs
schedule 0.1.0.2
0 A.main s = socket(tcp, overlapped) = ok
0 A.main e = WSACreateEvent() = ok
0 A.main p = CreateIoCompletionPort(s, 1) = ok
0 A.main WSARecv(s, 10, o1, event=e) = WSA_IO_PENDING
0 A.main WSASend(s, 10, o2, port=p) = WSA_IO_PENDING
0 A.t2 WSARecv(s, 1.5KiB, o3, apc) = WSA_IO_PENDING
+0...+2s A.t3 recv(s, 100) = SOCKET_ERROR WSAEINTR
1s A.main closesocket(s) = 0
+0 expect o1 completes WSA_OPERATION_ABORTED via event
+0 expect A.t3 wakes
+0 A.main GetQueuedCompletionStatus(p, INFINITE) = o2 995 0 bytes
+0...* A.t2 SleepEx(100, 1) = WAIT_IO_COMPLETION
* expect no FD_CLOSE(s)
2s A.main WaitForSingleObject(e, 10ms) = WAIT_OBJECT_0
+0 A.main WSAEventSelect(s, e, FD_READ|FD_CLOSE) = -1 WSAENOTSOCK
+0 peer(l) connect
+0 B.main d = WSASocket(info) = INVALID_SOCKET WSAENOTSOCK
+0 A.main info = WSADuplicateSocket(s, B) = ?
+0 A.main ioctlsocket(s, FIONBIO, 1) = 0
+0 A.main shutdown(s, SD_BOTH) = 0
+0 A.main setsockopt(s, SO_DONTLINGER, 1) = 0
+0 peer(s) send 4KiB
+0 expect peer(s) received 4KiB bytes after close
+0 A.main WSACleanup() = 0
)",
};

// Pieces of the language, for token-level mutation.
const std::vector<std::string> kVocabulary = {
    "(", ")", ",", "=", "|", "\"", "#", "...", "*", "+", "+0", "0", "-1", "1.5", "64KiB", "2s",
    "A.main", "peer(s)", "expect", "no", "socket", "closesocket(s)", "SOCKET_ERROR", "WSAEINTR",
    "o1", "completes", "via", "bytes", "FD_READ", "event=", "title", "link", "rate=", "/s",
    "schedule", "\t", "\r", "\n", "\\", "\xff", std::string(1, '\0'), "99999999999999999999",
    "9223372036854775807ns", "0.0000000000000000000001s", "...*", "INFINITE", "WAIT_TIMEOUT"};

bool one_printable_line(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

void check_well_formed(const std::string& text) {
  ParseResult r = parse_scenario("fuzz.scn", text);
  ParseResult again = parse_scenario("fuzz.scn", text);
  bool deterministic = r.diagnostics.size() == again.diagnostics.size() &&
                       r.scenario.steps.size() == again.scenario.steps.size();
  if (!deterministic) CHECK(deterministic);
  const int lines = static_cast<int>(r.scenario.lines.size());
  for (const Diagnostic& d : r.diagnostics) {
    bool well_formed = d.file == "fuzz.scn" && d.line >= 1 && d.line <= lines && d.column >= 1 &&
                       d.length >= 1 && !d.message.empty() && !d.hint.empty() &&
                       one_printable_line(d.message) && one_printable_line(d.hint) &&
                       d.column <= static_cast<int>(r.scenario.lines[static_cast<std::size_t>(d.line - 1)].size()) + 1;
    if (!well_formed) {
      INFO("input: ", text);
      INFO("diagnostic: ", d.line, ":", d.column, " len ", d.length, " ", d.message, " | ", d.hint);
      CHECK(well_formed);
    }
    (void)format_diagnostic(d, r.scenario.lines[static_cast<std::size_t>(std::max(0, d.line - 1))]);
  }
  // Plain checks in the loops: a doctest assertion per step would dominate the run time.
  for (const Step& st : r.scenario.steps) {
    bool step_ok = st.line >= 1 && st.line <= lines &&
                   (st.actor_kind != Step::ActorKind::Thread || st.call.result.has_value());
    if (!step_ok) {
      INFO("input: ", text);
      CHECK(step_ok);
    }
  }
}

std::string random_bytes(std::mt19937_64& rng, std::size_t max_len) {
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s(len(rng), '\0');
  for (char& c : s) c = static_cast<char>(byte(rng));
  return s;
}

// Mostly printable text with newlines, closer to what a confused person types.
std::string random_text(std::mt19937_64& rng, std::size_t max_len) {
  static const std::string alphabet = "0123456789+*.()=,|#\" \t\nabcdefghijklmnopqrstuvwxyzAB_SWFDKiMs";
  std::uniform_int_distribution<std::size_t> len(0, max_len);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s(len(rng), ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

std::string mutate(std::string s, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> op(0, 5);
  std::uniform_int_distribution<int> count(1, 6);
  const std::size_t vocab = kVocabulary.size();
  for (int n = count(rng); n > 0; --n) {
    std::uniform_int_distribution<std::size_t> at(0, s.size());
    std::size_t i = at(rng);
    switch (op(rng)) {
      case 0:  // delete a run
        s.erase(i, std::uniform_int_distribution<std::size_t>(1, 8)(rng));
        break;
      case 1:  // insert a random byte
        s.insert(i, 1, static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng)));
        break;
      case 2:  // insert a piece of the language
        s.insert(i, kVocabulary[std::uniform_int_distribution<std::size_t>(0, vocab - 1)(rng)]);
        break;
      case 3:  // overwrite a byte
        if (i < s.size()) s[i] = static_cast<char>(std::uniform_int_distribution<int>(32, 126)(rng));
        break;
      case 4: {  // duplicate a run elsewhere
        std::size_t j = at(rng);
        std::size_t len = std::uniform_int_distribution<std::size_t>(1, 30)(rng);
        if (j < s.size()) s.insert(i, s.substr(j, len));
        break;
      }
      default:  // truncate
        s.resize(i);
        break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("fuzz: random bytes") {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 1000; ++i) check_well_formed(random_bytes(rng, 200));
  for (int i = 0; i < 1000; ++i) check_well_formed(random_text(rng, 300));
}

TEST_CASE("fuzz: mutated valid scenarios") {
  for (const char* seed : kSeedScenarios) {
    ParseResult base = parse_scenario("fuzz.scn", seed);
    INFO((base.diagnostics.empty() ? std::string() : base.diagnostics[0].message));
    REQUIRE(base.ok());
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1200; ++i)
    check_well_formed(mutate(kSeedScenarios[static_cast<std::size_t>(i) % 2], rng));
}

TEST_CASE("fuzz: hostile sizes") {
  check_well_formed(std::string(100000, 'a'));
  check_well_formed(std::string(5000, '('));
  check_well_formed(std::string(20000, '\n'));
  check_well_formed("0 A.main " + std::string(10000, 'x') + "(s) = 0\n");
  check_well_formed("0 A.main send(s, " + std::string(10000, '9') + ") = 0\n");
  check_well_formed("title \"" + std::string(10000, '\\') + "\n");
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "+1ns A.main send(s, 1) = 1\n";
  CHECK(parse_scenario("many.scn", many).scenario.steps.size() == 2000);
}
