// The options in force at each record, as the reports read them: the checker's shadow run over
// the trace once (closesim/rules/options_in_force.h).
#include <doctest/doctest.h>

#include "closesim/rules/options_in_force.h"
#include "../support/trace_builder.h"

using namespace closesim;
using namespace closesim::testing;

TEST_CASE("options in force: what the application's successful calls set, record by record") {
  TraceBuilder b;
  b.open_tcp("A.main", 4, 1);
  const std::size_t before = b.next_seq();
  b.set_linger("A.main", 4, 1, 1, 2);
  const std::size_t after = b.next_seq();
  b.set_nonblocking("A.main", 4, 1, true);
  b.set_linger("A.main", 4, 1, 1, 5, WSAEINVAL);  // a failed setsockopt changes nothing
  const rules::OptionsInForce options(b.trace());

  CHECK_FALSE(options.at(before, 1).linger_on);
  CHECK(options.at(after, 1).linger_on);
  CHECK(options.at(after, 1).linger_seconds == 2);
  CHECK_FALSE(options.at(after, 1).nonblocking);
  const rules::SocketOptions last = options.at(b.next_seq(), 1);
  CHECK(last.nonblocking);
  CHECK(last.linger_seconds == 2);
  CHECK(options.at(b.next_seq(), 99) == rules::SocketOptions{});  // a socket never shown
}

TEST_CASE("options in force: WSAEventSelect makes the socket non-blocking, as the checker reads it") {
  TraceBuilder b;
  b.open_tcp("A.main", 4, 1);
  b.event_select("A.main", 4, 1);
  CHECK(rules::OptionsInForce(b.trace()).at(b.next_seq(), 1).nonblocking);
}
