// A program outside closesim that uses the installed package: runs one scenario and prints its
// verdict line, exiting with the verdict's status (0 pass, 1 fail, 2 error).
#include <cstdio>

#include "closesim/report/report.h"
#include "closesim/run/runner.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  closesim::RunResult result = closesim::run_file(argv[1], closesim::RunOptions{});
  std::printf("%s\n", closesim::verdict_line(result).c_str());
  return closesim::report_exit_status(result);
}
