// Two runs of one scenario side by side: the simulation and a real stack, or the simulation
// under two profiles. Compares only what an application and the peer can see in both — call
// results, error codes, completion statuses and routes, what each peer received and how its
// stream ended, and the order of those — so a simulated and a real trace compare fairly.
#pragma once

#include <string>
#include <vector>

#include "closesim/scenario/scenario.h"
#include "closesim/base/trace.h"

namespace closesim::real {

struct DiffRow {
  std::string what;   // "line 12 WSARecv(s, 100, o1)", "o1 completes", "peer(s) saw", "order"
  std::string left;
  std::string right;
  bool differs() const { return left != right; }
};

struct RunDiff {
  std::string left_label, right_label;
  std::vector<DiffRow> rows;  // steps in file order, then completions, peers, order
  int differences() const;
};

RunDiff diff_traces(const Scenario& scenario, const Trace& left, const Trace& right,
                    std::string left_label, std::string right_label);

// A table with a '!' in front of every row that differs, then "N differences" or "no differences".
std::string render_diff(const RunDiff& diff);

// The same table as one self-contained HTML page (inline CSS, nothing fetched), the rows that
// differ marked, for a CI run to attach beside `closesim report`'s page.
std::string render_diff_html(const RunDiff& diff, const std::string& scenario_file);

}  // namespace closesim::real
