// Mermaid: a sequenceDiagram with balanced activation bars and escaped text.
#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

using testing::check_mermaid;

TEST_CASE("Mermaid sequence diagrams") {
  RunResult linger = testing::linger_timeout_run();
  RunResult hard = testing::hard_close_run();
  std::string a = render_mermaid(linger), b = render_mermaid(hard);
  testing::check_golden("linger_timeout.mmd", a);
  testing::check_golden("hard_close.mmd", b);
  CHECK(check_mermaid(a) == "");
  CHECK(check_mermaid(b) == "");
  CHECK(a.find("participant th_A_reader as A.reader\n") != std::string::npos);
  CHECK(a.find("participant peer_s as peer(s)\n") != std::string::npos);
  CHECK(a.find("activate th_A_reader\n") != std::string::npos);
  CHECK(b.find("rect rgb(255, 210, 210)\n  Note over peer_s: R11 violated at 2ms") != std::string::npos);
  CHECK(b.find("provider->>peer_s: RST\n") != std::string::npos);
}

TEST_CASE("Mermaid escapes ';' and '#' and closes bars left open") {
  RunResult run = testing::linger_timeout_run();
  // Cut the run short while the close is still blocked and o1 is pending... and a Note with ';#'.
  Trace cut;
  cut.names() = run.trace.names();
  for (const TraceRecord& r : run.trace.records()) {
    if (r.time > 10 * kMillisecond) break;
    cut.append(r);
  }
  TraceRecord note;
  note.time = 10 * kMillisecond;
  note.kind = RecordKind::Note;
  note.text = "a; b # c <d>";
  cut.append(note);
  run.trace = cut;
  run.stuck.emplace_back("A.main is still blocked in closesocket(s)");
  std::string text = render_mermaid(run);
  CHECK(check_mermaid(text) == "");
  CHECK(text.find("a#59; b #35; c #60;d#62;") != std::string::npos);
  CHECK(text.find("still waiting at the end of the run") != std::string::npos);
}

TEST_CASE("Mermaid of a file that does not parse") {
  std::string text = render_mermaid(testing::parse_error_run());
  CHECK(check_mermaid(text) == "");
}

}  // namespace
}  // namespace closesim
