#include "closesim/real/stack.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#ifndef CLOSESIM_REALSTACK_EXE
#define CLOSESIM_REALSTACK_EXE "realstack/realstack.exe"
#endif
#ifndef CLOSESIM_WINEPREFIX
#define CLOSESIM_WINEPREFIX "wineprefix"
#endif

namespace closesim::real {

namespace fs = std::filesystem;

namespace {

// Single quotes for the shell; paths come from the build or the user's own arguments.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// No display, no Mono or Gecko download prompts, no debug chatter on stderr.
std::string wine_env(const StackConfig& c) {
  return fmt::format("WINEPREFIX={} WINEDEBUG=-all WINEDLLOVERRIDES='mscoree=;mshtml=' DISPLAY= ",
                     quoted(c.prefix));
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string capture(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The prefix is made once (wineboot takes tens of seconds). A wineserver that outlives each run
// spares the later runs of a batch Wine's start-up; it stays kServerLingerSeconds after its last
// client and then ends, so nothing of Wine is left running on the machine (an unbounded `-p`
// server was seen to keep a core busy after the batch). Starting it when one already serves the
// prefix does nothing, so every run asks.
constexpr int kServerLingerSeconds = 20;

bool ensure_prefix(const StackConfig& c, std::string& error) {
  if (c.wine.empty()) return true;
  std::error_code ec;
  if (!fs::exists(fs::path(c.prefix) / "system.reg", ec)) {
    // Two closesim processes that both find no prefix (the Wine test plays two lanes) must not
    // both boot it: the second waits on the lock, then finds the prefix made.
    const std::string lock_path = c.prefix + ".lock";
    fs::create_directories(fs::path(c.prefix).parent_path(), ec);
    const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock >= 0) (void)::flock(lock, LOCK_EX);
    if (!fs::exists(fs::path(c.prefix) / "system.reg", ec)) {
      fs::create_directories(c.prefix, ec);
      std::string cmd = wine_env(c) + quoted(c.wine) + " wineboot -i >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0 && !fs::exists(fs::path(c.prefix) / "system.reg", ec)) {
        if (lock >= 0) ::close(lock);
        error = fmt::format("could not make the Wine prefix {}", c.prefix);
        return false;
      }
    }
    if (lock >= 0) ::close(lock);
  }
  fs::path server = fs::path(c.wine).parent_path() / "wineserver";
  if (fs::exists(server, ec)) {
    std::string cmd = wine_env(c) + quoted(server.string()) +
                      fmt::format(" -p{} >/dev/null 2>&1", kServerLingerSeconds);
    (void)std::system(cmd.c_str());
  }
  return true;
}

// The plan's `horizon` line, in seconds (0 if absent).
double plan_horizon_seconds(const std::string& plan) {
  auto at = plan.find("\nhorizon ");
  if (at == std::string::npos) return 0;
  return std::strtod(plan.c_str() + at + 9, nullptr) / 1e9;
}

}  // namespace

StackConfig default_stack_config() {
  StackConfig c;
  c.runner = CLOSESIM_REALSTACK_EXE;
  c.prefix = CLOSESIM_WINEPREFIX;
  if (const char* w = std::getenv("CLOSESIM_WINE")) c.wine = w;
  else c.wine = "/usr/lib/wine/wine64";
  c.work_dir = (fs::path(c.prefix).parent_path() / "real-runs").string();
  return c;
}

std::string stack_missing(const StackConfig& c) {
  std::error_code ec;
  if (!c.wine.empty() && !fs::exists(c.wine, ec))
    return fmt::format("Wine is not installed ({} is missing): run `make real`, which installs "
                       "Debian's wine64 and the mingw-w64 cross-compiler", c.wine);
  if (!fs::exists(c.runner, ec))
    return fmt::format("the Windows runner {} is not built: run `make real`", c.runner);
  return "";
}

std::string stack_version(const StackConfig& c) {
  static const std::string version = [&] {
    if (c.wine.empty()) return std::string("windows");
    std::string v = capture(quoted(c.wine) + " --version 2>/dev/null");
    if (v.rfind("wine-", 0) == 0) v = "wine " + v.substr(5);
    return v.empty() ? std::string("wine (unknown version)") : v;
  }();
  return version;
}

StackRun play_on_stack(const Plan& plan, const StackConfig& c, const std::string& name) {
  StackRun out;
  if (std::string missing = stack_missing(c); !missing.empty()) {
    out.error = missing;
    return out;
  }
  if (!ensure_prefix(c, out.error)) return out;
  std::error_code ec;
  fs::create_directories(c.work_dir, ec);
  const std::string plan_path = (fs::path(c.work_dir) / (name + ".plan")).string();
  const std::string trace_path = (fs::path(c.work_dir) / (name + ".jsonl")).string();
  {
    std::ofstream p(plan_path, std::ios::binary);
    p << plan.text;
  }
  fs::remove(trace_path, ec);
  // The runner's own output goes to a file, not a pipe: Wine's service processes inherit the
  // runner's descriptors and outlive it, so a pipe would never reach end of file.
  const std::string log_path = (fs::path(c.work_dir) / (name + ".log")).string();
  // Wine has been seen, rarely and under heavy load, never to return from a run: bound it.
  const long limit = 60 + static_cast<long>(plan_horizon_seconds(plan.text));
  std::string cmd = "exec " + (c.wine.empty() ? std::string() : "env " + wine_env(c)) +
                    fmt::format("timeout -k 5 {} ", limit) + (c.wine.empty() ? "" : quoted(c.wine) + " ") +
                    fmt::format("{} {} --out {} >{} 2>&1 </dev/null", quoted(c.runner), quoted(plan_path),
                                quoted(trace_path), quoted(log_path));
  // The runner writes TRACE.done once its whole trace is flushed. Wine has been seen, rarely, not
  // to end the process after that (the runner terminates itself): the trace is complete, so the
  // run is stopped and judged rather than waited for until the limit.
  const std::string done_path = trace_path + ".done";
  fs::remove(done_path, ec);
  int status = 0;
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int polls_since_done = -1;
  while (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
    if (polls_since_done < 0 && fs::exists(done_path, ec)) polls_since_done = 0;
    if (polls_since_done >= 0 && ++polls_since_done == 300) {  // 3 s after the trace was complete
      kill(pid, SIGTERM);  // `timeout` passes it on to Wine's loader
      out.note = "the runner wrote its whole trace but its process did not end; it was stopped";
    }
    usleep(10'000);
  }
  if (out.note.empty() && WIFEXITED(status) && (WEXITSTATUS(status) == 124 || WEXITSTATUS(status) == 137)) {
    out.hung = true;
    out.error = fmt::format("the runner did not finish within {}s and was killed", limit);
    return out;
  }
  if (!fs::exists(trace_path, ec)) {
    std::string said = read_all(log_path);
    out.error = fmt::format("the runner wrote no trace{}", said.empty() ? "" : ": " + said);
    return out;
  }
  out.trace = read_all(trace_path);
  out.ok = true;
  return out;
}

}  // namespace closesim::real
