// What the runner observed, written as trace records in closesim's JSON-lines format
// (docs/trace.md). Times are virtual: wall-clock time since the start divided by the time scale.
// Every record is stamped and numbered under one lock, so the file is in (time, seq) order.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace realstack {

class Clock {
 public:
  explicit Clock(double time_scale) : scale_(time_scale), t0_(std::chrono::steady_clock::now()) {}
  // Time zero: set once every thread is ready, so thread start-up is not charged to step 1.
  void start() { t0_ = std::chrono::steady_clock::now(); }
  // Time zero as steady_clock ticks (QueryPerformanceCounter: the same in every process), so a
  // child process's clock starts where the parent's does.
  std::int64_t origin() const { return t0_.time_since_epoch().count(); }
  void start_at(std::int64_t ticks) {
    t0_ = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(ticks));
  }
  std::int64_t now() const;                   // virtual ns since the start
  void sleep_until(std::int64_t virtual_ns) const;
  std::int64_t wall_ns(std::int64_t virtual_ns) const { return static_cast<std::int64_t>(virtual_ns * scale_); }
  double scale() const { return scale_; }

 private:
  double scale_;
  std::chrono::steady_clock::time_point t0_;
};

struct Record {
  std::string kind;
  std::string actor;
  std::string process;
  std::uint64_t handle = 0;
  std::string handle_name;
  std::uint32_t socket = 0;
  std::string call;
  std::string op;
  std::int64_t value = 0;
  std::int64_t value2 = 0;
  std::int64_t bytes = 0;
  int error = 0;
  std::string text;
  int line = 0;
};

class TraceLog {
 public:
  TraceLog(std::FILE* out, const Clock& clock) : out_(out), clock_(clock) {}
  // Several processes append to one file: each record is stamped, numbered from `shared_seq`
  // and written whole under the named mutex, so the file stays in (time, seq) order.
  void share(std::int64_t* shared_seq, void* mutex) {
    shared_seq_ = shared_seq;
    mutex_ = mutex;
  }
  TraceLog(const TraceLog&) = delete;
  TraceLog& operator=(const TraceLog&) = delete;
  // Stamps the record with the current virtual time and the next seq, and writes it.
  void write(const Record& r);
  void flush();

 private:
  std::mutex mu_;
  std::FILE* out_;
  const Clock& clock_;
  std::uint64_t seq_ = 0;
  std::int64_t* shared_seq_ = nullptr;
  void* mutex_ = nullptr;  // a HANDLE (this header does not include windows.h)
};

// closesim's spelling of an error (sim/base/errors.cc): "WSAEWOULDBLOCK", "WSA_OPERATION_ABORTED",
// or the number; win32_error_name gives 995 and 996 their kernel32 names, as a FALSE from
// GetOverlappedResult or CancelIoEx is written.
std::string error_name(int code);
std::string win32_error_name(int code);

}  // namespace realstack
