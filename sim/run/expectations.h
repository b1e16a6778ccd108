// Checks a scenario's expect lines against a finished run's trace. Private to sim/run.
#pragma once

#include <vector>

#include "closesim/result/run_result.h"
#include "run/bindings.h"

namespace closesim {

void check_expectations(const Scenario& scenario, const Trace& trace, const NameHistory& names,
                        std::vector<ExpectationFailure>& failures);

}  // namespace closesim
