// The views of a real run: the same timeline and verdict as `closesim run`, with the stack in the
// header, what could not be observed, the runner's notes, and a tally when the scenario was
// played several times (a real run is not deterministic: C52).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "closesim/real/judge.h"

namespace closesim::real {

// outcome signature -> how many runs had it.
using OutcomeTally = std::map<std::string, int>;

// A scenario that could not be played: its header and every step named with the reason.
std::string render_unrealised_text(const Scenario& scenario, const std::vector<UnrealisableStep>& steps);

// REQUIRES: run.realised().
std::string render_real_text(const RealRun& run, const OutcomeTally& tally);

// `--format json`: the run's JSON lines (records, verdict), then one {"type":"real"} line with
// the stack, the not-observable list, notes, the unrealised steps and the tally.
std::string render_real_json(const RealRun& run, const OutcomeTally& tally);

}  // namespace closesim::real
