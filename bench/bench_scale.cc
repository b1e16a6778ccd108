// How a scenario's cost grows with its size. Each case generates its scenario as text and takes
// the full run path a user's file takes: parse, name check, run, rule check (and for the last
// case the explorer, for one schedule). For each size it prints the time and the peak heap per
// socket (or thread), and for each case the ratio of the largest to the smallest time per unit:
// linear cost keeps it near 1. Heap bytes are counted by this binary's own operator new/delete
// (malloc_usable_size of each block), from the start of the case to its end.
//
// Usage: bench_scale [max_n [case]]   (default 1000000, the largest size of the sockets series;
// case: one of the series by name, e.g. "cleanup", to profile it alone).
// Prints only; asserts nothing about speed. Targets from the project's scale requirements.
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"

namespace {

// --- a counting allocator -----------------------------------------------------------------------

std::size_t g_live = 0;
std::size_t g_peak = 0;

void* counted_new(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  g_live += malloc_usable_size(p);
  if (g_live > g_peak) g_peak = g_live;
  return p;
}

void counted_delete(void* p) {
  if (p == nullptr) return;
  g_live -= malloc_usable_size(p);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return counted_new(n); }
void* operator new[](std::size_t n) { return counted_new(n); }
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }

namespace {

using namespace closesim;
using Clock = std::chrono::steady_clock;

// The process's CPU time: on a machine shared with other builds, wall time measures the load as
// much as the code, so the figures and targets below are CPU seconds (wall time is printed too).
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// --- the generated scenarios --------------------------------------------------------------------

// N sockets of one thread: each created, connected and sent 1 KiB at 0, all closed at 1ms.
std::string many_sockets(std::size_t n) {
  std::string s = "title \"many sockets\"\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = "s" + std::to_string(i);
    s += "0 A.main " + name + " = socket(tcp) = ok\n";
    s += "0 A.main connect(" + name + ") = 0\n";
    s += "0 A.main send(" + name + ", 1KiB) = 1024\n";
  }
  for (std::size_t i = 0; i < n; ++i) s += "1ms A.main closesocket(s" + std::to_string(i) + ") = 0\n";
  return s;
}

// N threads blocked in recv on one socket, all woken by one close (R2).
std::string many_blocked_threads(std::size_t n) {
  std::string s = "title \"many blocked threads\"\n";
  s += "0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n";
  for (std::size_t i = 0; i < n; ++i)
    s += "1ms...5ms A.t" + std::to_string(i) + " recv(s, 1024) = SOCKET_ERROR WSAEINTR\n";
  s += "5ms A.main closesocket(s) = 0\n";
  return s;
}

// WSACleanup with N connected sockets open (R14).
std::string cleanup_with_open_sockets(std::size_t n) {
  std::string s = "title \"cleanup with many sockets\"\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = "s" + std::to_string(i);
    s += "0 A.main " + name + " = socket(tcp) = ok\n";
    s += "0 A.main connect(" + name + ") = 0\n";
  }
  s += "1ms A.main WSACleanup() = 0\n";
  return s;
}

// N threads each closing its own socket at the same instant: a choice point among N lanes, then
// N - 1, ... For the explorer, one schedule.
std::string closes_at_one_instant(std::size_t n) {
  std::string s = "title \"closes at one instant\"\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string t = "A.t" + std::to_string(i);
    const std::string name = "s" + std::to_string(i);
    s += "0 " + t + " " + name + " = socket(tcp) = ok\n";
    s += "0 " + t + " connect(" + name + ") = 0\n";
  }
  for (std::size_t i = 0; i < n; ++i)
    s += "1ms A.t" + std::to_string(i) + " closesocket(s" + std::to_string(i) + ") = 0\n";
  return s;
}

// --- running a case -----------------------------------------------------------------------------

struct Point {
  std::size_t n = 0;
  double seconds = 0;  // CPU
  double wall = 0;
  std::size_t peak = 0;  // heap bytes above the case's start
  bool ok = false;
  std::string problem;
};

RunOptions big_run() {
  RunOptions o;
  o.max_events = UINT64_MAX;
  o.max_trace_records = UINT64_MAX;  // the command line's budget would cut the large sizes
  return o;
}

// Parse, name check, then `run` (the run path, or the explorer's).
Point measure(std::size_t n, const std::function<std::string(std::size_t)>& generate,
              const std::function<bool(Scenario&, std::string&)>& run) {
  Point p;
  p.n = n;
  const std::string text = generate(n);  // not counted: the user's file is on disk
  const std::size_t base = g_live;
  g_peak = g_live;
  const auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  ParseResult parsed = parse_scenario("generated.scn", text);
  if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);
  if (!parsed.ok()) {
    p.problem = parsed.diagnostics.front().message;
  } else {
    p.ok = run(parsed.scenario, p.problem);
  }
  p.seconds = cpu_seconds() - cpu_start;
  p.wall = std::chrono::duration<double>(Clock::now() - start).count();
  p.peak = g_peak - base;
  return p;
}

// As `closesim run FILE` does: the parsed scenario moves into the result.
bool plain_run(Scenario& scenario, std::string& problem) {
  RunResult r = run_scenario(std::move(scenario), big_run());
  if (r.exit_status() == 0) return true;
  problem = !r.stuck.empty() ? r.stuck.front()
            : !r.failures.empty() ? "an expectation or call result failed"
            : "a rule was violated";
  return false;
}

bool explore_one(Scenario& scenario, std::string& problem) {
  ExploreOptions o;
  o.run = big_run();
  // One schedule through the reduced search (the default strategy), with its happens-before
  // analysis of the run; the default's fallback to PCT would run more.
  o.strategy = Strategy::Dpor;
  o.dpor.max_schedules = 1;
  ExploreSummary summary = explore_scenario(scenario, o);
  if (explore_exit_status(summary) == 0) return true;
  problem = "the explored schedule failed";
  return false;
}

// One PCT run (depth 3): the strategy the default one falls back to when the reduced search runs
// out of budget, so a large scenario explored by default pays it for every run.
bool explore_pct_one(Scenario& scenario, std::string& problem) {
  ExploreOptions o;
  o.run = big_run();
  o.strategy = Strategy::Pct;
  o.pct.runs = 1;
  ExploreSummary summary = explore_scenario(scenario, o);
  if (explore_exit_status(summary) == 0) return true;
  problem = "the PCT run failed";
  return false;
}

struct Case {
  const char* name;
  const char* unit;
  std::vector<std::size_t> sizes;
  std::function<std::string(std::size_t)> generate;
  std::function<bool(Scenario&, std::string&)> run;
};

std::string g_only;  // the one case to run, if set
constexpr double kBudgetBytes = 6.0 * 1024 * 1024 * 1024;
constexpr double kBudgetSeconds = 120;

std::vector<Point> print_series(const Case& c, std::size_t max_n) {
  std::vector<Point> points;
  if (!g_only.empty() && g_only != c.name) return points;
  for (std::size_t n : c.sizes) {
    if (n > max_n) continue;
    // A size the last one projects (linearly) past the budget is not run: on a shared machine a
    // 20 GiB run would take every other process down with it.
    if (!points.empty()) {
      const Point& last = points.back();
      const double scale = static_cast<double>(n) / static_cast<double>(last.n);
      const double bytes = static_cast<double>(last.peak) * scale;
      const double seconds = last.seconds * scale;
      if (bytes > kBudgetBytes || seconds > kBudgetSeconds) {
        std::printf("scale  %-22s n=%-8zu skipped: projected %.1f GiB, %.0f s (budget %.0f GiB, "
                    "%.0f s)\n",
                    c.name, n, bytes / (1024.0 * 1024 * 1024), seconds,
                    kBudgetBytes / (1024.0 * 1024 * 1024), kBudgetSeconds);
        continue;
      }
    }
    points.push_back(measure(n, c.generate, c.run));
    const Point& p = points.back();
    std::printf("scale  %-22s n=%-8zu %8.3f s cpu (%.3f s wall)  %7.2f us/%s  %7.0f B/%s peak%s%s\n",
                c.name, p.n, p.seconds, p.wall, 1e6 * p.seconds / static_cast<double>(p.n), c.unit,
                static_cast<double>(p.peak) / static_cast<double>(p.n), c.unit,
                p.ok ? "" : "  FAILED: ", p.problem.c_str());
    std::fflush(stdout);
  }
  if (points.size() < 2) return points;
  double lo = 1e300, hi = 0;
  for (const Point& p : points) {
    const double per = p.seconds / static_cast<double>(p.n);
    lo = std::min(lo, per);
    hi = std::max(hi, per);
  }
  std::printf("scale  %-22s largest/smallest time per %s: %.2f  (target <= 3)\n", c.name, c.unit,
              hi / lo);
  return points;
}

// One sockets scenario in stages, for where the time and the bytes go: parse and name check, the
// run alone (rules off), the checker alone on that trace; the trace's and the AST's share of the
// heap; and rules on against rules off (target: at most 1.5x).
void print_breakdown(std::size_t n) {
  const std::string text = many_sockets(n);
  double t0 = cpu_seconds();
  ParseResult parsed = parse_scenario("generated.scn", text);
  const double parse_s = cpu_seconds() - t0;
  t0 = cpu_seconds();
  std::vector<Diagnostic> names = check_names(parsed.scenario);
  const double names_s = cpu_seconds() - t0;
  RunOptions off = big_run();
  off.rules = RulesMode::Off;
  const std::size_t ast = g_live;  // the text's and the parse's bytes are live here
  const std::size_t before_run = g_live;
  g_peak = g_live;
  t0 = cpu_seconds();
  const std::size_t steps = parsed.scenario.steps.size();
  RunResult r = run_scenario(std::move(parsed.scenario), off);  // as `closesim run` does
  const double run_s = cpu_seconds() - t0;
  const std::size_t kept = g_live - before_run;
  const std::size_t run_peak = g_peak - before_run;
  const std::size_t before_check = g_live;
  g_peak = g_live;
  t0 = cpu_seconds();
  RuleReport report = check_rules(r.trace, {});
  const double check_s = cpu_seconds() - t0;
  const std::size_t check_peak = g_peak - before_check;
  std::size_t trace_bytes = r.trace.records().capacity_bytes();
  for (const TraceRecord& rec : r.trace.records()) {
    for (const CompactText* f : {&rec.actor, &rec.process, &rec.op, &rec.text})
      trace_bytes += f->heap_bytes();
  }
  const double per = 1.0 / static_cast<double>(n);
  std::printf("scale  breakdown n=%zu: parse %.3f s, names %.3f s, run %.3f s, rules %.3f s; "
              "rules on / off %.2f  (target <= 1.5)\n",
              n, parse_s, names_s, run_s, check_s, (run_s + check_s) / run_s);
  std::printf("scale  breakdown n=%zu per socket: %.1f trace records of %zu B (+ strings), "
              "%.1f steps of %zu B, run result kept %.0f B%s\n",
              n, static_cast<double>(r.trace.size()) * per, sizeof(TraceRecord),
              static_cast<double>(steps) * per, sizeof(Step),
              static_cast<double>(kept) * per, names.empty() && !report.violated() ? "" : " (FAILED)");
  std::printf("scale  breakdown n=%zu bytes per socket: text + parse %.0f, run peak %.0f (of which "
              "the trace %.0f, the scenario's steps, moved into the result ~%.0f), checker peak %.0f\n",
              n, static_cast<double>(ast) * per, static_cast<double>(run_peak) * per,
              static_cast<double>(trace_bytes) * per,
              static_cast<double>(steps * sizeof(Step)) * per,
              static_cast<double>(check_peak) * per);
}

// A 100,000-line file, parsed and name-checked; and the same file with an error on line 2 (the
// parser still reads every line, for every error of the file). Target: under 0.5 s and 100 MB.
void print_parse(std::size_t lines) {
  std::string good = many_sockets(lines / 4);
  std::string bad = good;
  bad.insert(bad.find('\n') + 1, "0 A.main frobnicate(s0) = 0\n");
  for (const auto& [name, text] : {std::pair{"parse 100k lines", &good},
                                   std::pair{"parse, error on line 2", &bad}}) {
    const std::size_t base = g_live;
    g_peak = g_live;
    const double t0 = cpu_seconds();
    ParseResult parsed = parse_scenario("generated.scn", *text);
    const double parse_s = cpu_seconds() - t0;
    if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);
    const double total_s = cpu_seconds() - t0;
    std::printf("scale  %-22s %zu lines: parse %.3f s + names %.3f s = %.3f s  (target < 0.5 s), "
                "peak %.0f MB  (target < 100 MB), %zu diagnostic(s)\n",
                name, static_cast<std::size_t>(std::count(text->begin(), text->end(), '\n')),
                parse_s, total_s - parse_s, total_s, static_cast<double>(g_peak - base) / 1e6,
                parsed.diagnostics.size());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t max_n = 1'000'000;
  if (argc > 1) max_n = std::strtoull(argv[1], nullptr, 10);
  if (argc > 2) g_only = argv[2];

  const std::vector<Point> sockets = print_series(
      {"sockets", "socket", {1'000, 10'000, 100'000, 1'000'000}, many_sockets, plain_run}, max_n);
  if (max_n >= 1'000'000 && !sockets.empty() && sockets.back().n < 1'000'000) {
    // Not run (over the budget above): the largest point's figures scaled to 1M, beside targets.
    const Point& last = sockets.back();
    const double scale = 1e6 / static_cast<double>(last.n);
    std::printf("scale    1M sockets: not run; projected from n=%zu: %.1f s  (target < 10 s), peak "
                "%.2f GiB  (target < 2 GiB), %.0f B/socket  (target < 2048)\n",
                last.n, last.seconds * scale,
                static_cast<double>(last.peak) * scale / (1024.0 * 1024 * 1024),
                static_cast<double>(last.peak) / static_cast<double>(last.n));
  }
  for (const Point& p : sockets) {
    if (p.n == 10'000) std::printf("scale    10k sockets: %.3f s  (target < 2 s)\n", p.seconds);
    if (p.n == 1'000'000)
      std::printf("scale    1M sockets: %.3f s  (target < 10 s), peak %.2f GiB  (target < 2 GiB), "
                  "%.0f B/socket  (target < 2048)\n",
                  p.seconds, static_cast<double>(p.peak) / (1024.0 * 1024 * 1024),
                  static_cast<double>(p.peak) / static_cast<double>(p.n));
  }
  if (g_only.empty() || g_only == "parse") print_parse(100'000);
  if (g_only.empty() || g_only == "breakdown") print_breakdown(std::min<std::size_t>(max_n, 10'000));
  const std::vector<std::size_t> smaller{1'000, 10'000, 100'000};
  print_series({"blocked threads", "thread", smaller, many_blocked_threads, plain_run}, max_n);
  print_series({"cleanup", "socket", smaller, cleanup_with_open_sockets, plain_run}, max_n);
  print_series({"closes at one instant", "socket", {10, 30, 100, 300, 1'000, 10'000},
                closes_at_one_instant, explore_one},
               max_n);
  print_series({"closes at once, PCT", "socket", {10, 30, 100, 300, 1'000, 10'000},
                closes_at_one_instant, explore_pct_one},
               max_n);
  return 0;
}
