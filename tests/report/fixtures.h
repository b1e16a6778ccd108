// Test support for the report tests: hand-built RunResults (what a run of a scenario would
// produce, written out record by record), golden-file comparison, and a minimal JSON reader used
// to check that the JSON outputs are well-formed.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "closesim/run_result.h"

namespace closesim::testing {

// scenarios/linger/linger_timeout.scn: a blocking close with linger {1,2} whose data cannot
// drain; the close interrupts a blocked recv (R2), aborts an overlapped WSARecv with an APC
// (R3), times out, resets the peer and returns 0 (R9), then hands the handle back (R11). Passes.
RunResult linger_timeout_run();

// scenarios/linger/hard_close.scn under mutant "late-abort": a hard close (R8) whose provider
// releases the handle before completing the pending WSASend — one failed expectation (the
// completion came late) and one R5 violation. Fails.
RunResult hard_close_run();

// scenarios/broken/typo.scn: a file that does not parse. Error.
RunResult parse_error_run();

// Compares `actual` with tests/report/golden/<name>; with CLOSESIM_UPDATE_GOLDEN=1 in the
// environment, rewrites the golden file instead. On a mismatch, fails the current test and
// prints a unified-style diff of the first differing lines.
void check_golden(const std::string& name, const std::string& actual);

// A JSON value, enough to check the shape of the reports' JSON.
struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;  // in document order

  // The member named `key`, or nullptr.
  const Json* get(std::string_view key) const;
};

// Parses exactly one JSON value (RFC 8259) spanning all of `text` but surrounding whitespace.
// On failure returns nullopt and sets `error` to "offset N: what".
std::optional<Json> parse_json(std::string_view text, std::string* error);

}  // namespace closesim::testing
