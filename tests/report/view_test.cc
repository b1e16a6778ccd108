// The run's one view (sim/report/view.h): each WSPCloseSocket paired once, a layered provider's
// lower close tied to the close that called it, and each socket's state at each record.
#include <doctest/doctest.h>

#include "fixtures.h"
#include "report/view.h"

namespace closesim {
namespace {

using report::kNone;

TEST_CASE("the view pairs a layered close: the lower WSPCloseSocket inside the upper one") {
  RunResult run = testing::run_bundled("scenarios/providers/lsp_over_nonifs.scn");
  REQUIRE(run.diagnostics.empty());
  report::RunView view(run);
  REQUIRE(view.layered());
  std::size_t lower = 0, upper = 0;
  for (const report::CloseSpan& c : view.closes) {
    REQUIRE(c.end != kNone);
    const TraceRecord& b = view.at(c.begin);
    const TraceRecord& e = view.at(c.end);
    CHECK(e.kind == RecordKind::ProviderCloseEnd);
    CHECK(std::make_tuple(b.process, b.handle, b.layer) == std::make_tuple(e.process, e.handle, e.layer));
    if (b.layer == 0) {
      ++lower;
      REQUIRE(c.outer != kNone);
      const report::CloseSpan& o = view.closes[c.outer];
      CHECK(view.at(o.begin).layer == 1);
      CHECK(o.begin < c.begin);
      CHECK(c.end < o.end);
    } else {
      ++upper;
      CHECK(c.outer == kNone);
    }
    CHECK(view.close_of[c.begin] == view.close_of[c.end]);
  }
  CHECK(lower == upper);
  CHECK(lower > 0);
}

TEST_CASE("the view keeps each socket's state at each record") {
  RunResult run = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  report::RunView view(run);
  std::size_t set = kNone, expired = kNone;
  SocketId s = 0;
  for (std::size_t i = 0; i < view.records().size(); ++i) {
    const TraceRecord& r = view.at(i);
    if (r.kind == RecordKind::CallBegin && r.option == CallOption::SoLinger && set == kNone) {
      set = i;
      s = r.socket;
    }
    if (r.kind == RecordKind::LingerTimerExpired) expired = i;
  }
  REQUIRE(set != kNone);
  REQUIRE(expired != kNone);
  CHECK_FALSE(view.socket_at(set, s).options.linger_on);  // not before the call
  CHECK(view.socket_at(set + 2, s).options.linger_on);     // after its CallEnd
  CHECK_FALSE(view.socket_at(expired, s).linger_expired);
  CHECK(view.socket_at(expired + 1, s).linger_expired);
  CHECK(view.socket_at(expired + 1, s).closing);
}

}  // namespace
}  // namespace closesim
