// Test support for the report tests: RunResults (real runs of bundled files, and one written out
// record by record), golden-file comparison, and a JSON reader (nlohmann-json underneath) used to
// check that the JSON outputs are well-formed.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "closesim/result/run_result.h"
#include "closesim/run/runner.h"

namespace closesim::testing {

// scenarios/linger/linger_timeout.scn: a blocking close with linger {1,2} whose data cannot
// drain; the close interrupts a blocked recv (R2), aborts an overlapped WSARecv with an APC
// (R3), times out, resets the peer and returns 0 (R9), then hands the handle back (R11). Passes.
RunResult linger_timeout_run();

// A real run of scenarios/linger/hard_close.scn under the mutant hand-back-never: a hard close
// (R8) whose provider never hands the handle back — one failed expectation (the
// WPUCloseSocketHandle the file expects) and one R11 violation. Fails. Its title is set to one
// with '&' and '<RST>' in it, for the formats' escaping.
RunResult hard_close_run();

// A real run of scenarios/overlapped/abort_via_event.scn under the mutant
// hand-back-before-aborts, expectations off: the handle is handed back while o1 is pending, so
// o1 completes after its descriptor was released (R5, among others). Fails.
RunResult late_completion_run();

// scenarios/broken/typo.scn: a file that does not parse. Error.
RunResult parse_error_run();

// A real run of a file of the repository, through the runner: `relative_path` is relative to
// the source root ("scenarios/linger/hard_close.scn"). The run reads the file by its absolute
// path, then names it by `relative_path` (Scenario::file and every diagnostic's file), so that
// what the reports print holds no machine path.
RunResult run_bundled(const std::string& relative_path, const RunOptions& options = {});

// The text of a file of the repository (relative to the source root); fails the test if it
// cannot be read.
std::string read_source_file(const std::string& relative_path);

// Every bundled scenario (scenarios/**.scn), relative to the source root, sorted.
std::vector<std::string> bundled_scenarios();

// Compares `actual` with tests/report/golden/<name> (`name` may hold folders); with
// CLOSESIM_UPDATE_GOLDEN=1 in the environment, rewrites the golden file instead. On a mismatch,
// fails the current test and prints a unified-style diff of the first differing lines.
void check_golden(const std::string& name, const std::string& actual);
// The same for any file of the repository (relative to the source root), e.g. docs/tutorial.md.
void check_source_file(const std::string& relative_path, const std::string& actual);

// Checks a Mermaid sequenceDiagram against the statements render_mermaid uses: declared
// participants with [A-Za-z0-9_] ids, messages and notes between declared participants, text
// without a raw ';' or '#', balanced activation bars and rects. Returns "" or what is wrong.
// (tests/views/validate_mermaid.mjs runs Mermaid's own parser where node is available.)
std::string check_mermaid(const std::string& text);

// A JSON value, enough to check the shape of the reports' JSON.
struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  // A named member (first: the key, second: the value). Not std::pair: a pair of an incomplete
  // type is instantiated too early for clang with libstdc++.
  struct Member;
  std::vector<Member> object;  // in document order

  // The member named `key`, or nullptr.
  const Json* get(std::string_view key) const;
};

struct Json::Member {
  std::string first;
  Json second;
};

// Parses exactly one JSON value (RFC 8259, strict UTF-8) spanning all of `text` but surrounding
// whitespace, refusing an object that names a key twice. On failure returns nullopt and sets
// `error` to nlohmann-json's message (with its line and column).
std::optional<Json> parse_json(std::string_view text, std::string* error);

}  // namespace closesim::testing
