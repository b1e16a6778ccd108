// The report tests' fixtures (see fixtures.h), and tests of the fixtures' own JSON reader.
#include "fixtures.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "closesim/base/errors.h"
#include "closesim/world/mutant.h"

namespace {
// GCC 12 warns falsely (-Warray-bounds) on std::string + literal when inlined; append instead.
inline std::string source_path(const char* rel) {
  std::string p = CLOSESIM_SOURCE_DIR;
  p.append(rel);
  return p;
}
}  // namespace

namespace closesim::testing {

namespace {

// Builds a trace record by record, in the order a run would append them.
class TraceWriter {
 public:
  explicit TraceWriter(RunResult& run) : run_(run) {}

  TraceRecord& rec(Time t, RecordKind kind, std::string actor, std::string process = "",
                   Handle h = 0, SocketId s = 0, int line = 0) {
    flush();
    pending_ = std::make_unique<TraceRecord>();
    pending_->time = t;
    pending_->kind = kind;
    pending_->actor = std::move(actor);
    pending_->process = std::move(process);
    pending_->handle = h;
    pending_->socket = s;
    pending_->line = line;
    return *pending_;
  }

  TraceRecord& begin(Time t, const std::string& thread, std::string call, Handle h, SocketId s,
                     std::string args, int line) {
    TraceRecord& r = rec(t, RecordKind::CallBegin, thread, process(thread), h, s, line);
    r.call = *find_call_id(call);
    // The keyword among the arguments selects the call's variant (SO_LINGER, FIONBIO...), as
    // the runner records it.
    for (const auto& form : call_spec(r.call).forms)
      for (const ParamSpec& p : form)
        for (const ParamWord& w : p.words)
          if (r.option == CallOption::None && w.option != CallOption::Overlapped &&
              w.option != CallOption::NonBlocking &&
              (", " + args + ",").find(", " + std::string(w.word) + ",") != std::string::npos)
            r.option = w.option;
    r.text = std::move(args);
    return r;
  }

  TraceRecord& end(Time t, const std::string& thread, std::string call, Handle h, SocketId s,
                   std::int64_t value, int error, std::string result, int line) {
    TraceRecord& r = rec(t, RecordKind::CallEnd, thread, process(thread), h, s, line);
    r.call = *find_call_id(call);
    r.value = value;
    r.error = error;
    r.text = std::move(result);
    return r;
  }

  void flush() {
    if (pending_) run_.trace.append(*pending_);
    pending_.reset();
  }

 private:
  static std::string process(const std::string& thread) { return thread.substr(0, thread.find('.')); }

  RunResult& run_;
  std::unique_ptr<TraceRecord> pending_;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void set_coverage(RunResult& run, std::map<int, std::set<std::string>> exercised) {
  for (int n = 1; n <= kRuleCount; ++n) {
    RuleCoverage c;
    c.rule = static_cast<RuleId>(n);
    auto it = exercised.find(n);
    if (it != exercised.end()) {
      c.exercised = true;
      c.branches = it->second;
    }
    run.rules.coverage.push_back(c);
  }
}

constexpr Time ms = kMillisecond;

}  // namespace

RunResult linger_timeout_run() {
  RunResult run;
  Scenario& sc = run.scenario;
  sc.file = "scenarios/linger/linger_timeout.scn";
  sc.title = "Linger timeout: close waits, then resets; blocked and pending calls end first";
  sc.rules = {2, 3, 9, 11};
  sc.provider = ProviderKind::NonIfs;
  sc.link.latency = 1 * ms;
  sc.link.rate = 1000 * 1024;
  run.config.link = sc.link;  // a hand-built run: the configuration that ran is the file's
  sc.lines = {
      "title \"Linger timeout: close waits, then resets; blocked and pending calls end first\"",
      "rules R2 R3 R9 R11",
      "link latency=1ms rate=1000KiB/s",
      "",
      "0             A.main    s = socket(tcp, overlapped)     = ok",
      "0             A.main    connect(s)                      = 0",
      "0             A.main    setsockopt(s, SO_LINGER, 1, 2)  = 0",
      "0             A.main    WSARecv(s, 1KiB, o1, apc)       = WSA_IO_PENDING",
      "0...10ms      A.reader  recv(s, 1KiB)                   = SOCKET_ERROR WSAEINTR",
      "0             A.main    send(s, 64KiB)                  = 65536",
      "3ms           peer(s)   stop_reading",
      "10ms...2.01s  A.main    closesocket(s)                  = 0",
      "+0            expect    o1 completes WSA_OPERATION_ABORTED via apc",
      "2.011s        expect    peer(s) sees RST",
      "*             expect    WPUCloseSocketHandle(s)",
      "2.01s         A.main    SleepEx(0, alertable)           = WAIT_IO_COMPLETION",
  };
  run.trace.names().handles[{"A", 4}] = "s";
  run.trace.names().sockets[1] = "s";

  TraceWriter w(run);
  const Handle s = 4;
  const SocketId S = 1;
  // line 5: s = socket(tcp, overlapped)
  w.begin(0, "A.main", "socket", 0, 0, "tcp, overlapped", 5).value = 1;
  w.rec(0, RecordKind::HandleCreated, "provider", "A", s, S, 5).value =
      static_cast<std::int64_t>(HandleKind::Wpu);
  w.end(0, "A.main", "socket", s, S, s, 0, "ok", 5);
  // line 6: connect(s)
  w.begin(0, "A.main", "connect", s, S, "s", 6);
  w.rec(0, RecordKind::ConnectionOpened, "link", "A", s, S, 6).text = "peer(s)";
  w.end(0, "A.main", "connect", s, S, 0, 0, "0", 6);
  // line 7: setsockopt(s, SO_LINGER, 1, 2)
  {
    TraceRecord& r = w.begin(0, "A.main", "setsockopt", s, S, "s, SO_LINGER, 1, 2", 7);
    r.value = 1;
    r.value2 = 2;
  }
  w.end(0, "A.main", "setsockopt", s, S, 0, 0, "0", 7);
  // line 8: WSARecv(s, 1KiB, o1, apc)
  {
    TraceRecord& r = w.begin(0, "A.main", "WSARecv", s, S, "s, 1KiB, o1, apc", 8);
    r.value = 1024;
    r.op = "o1";
    TraceRecord& op = w.rec(0, RecordKind::OpIssued, "A.main", "A", s, S, 8);
    op.op = "o1";
    op.call = *find_call_id("WSARecv");
    op.value = static_cast<std::int64_t>(CompletionVia::Apc);
    op.text = "A.main";
  }
  w.end(0, "A.main", "WSARecv", s, S, -1, 0, "WSA_IO_PENDING", 8).op = "o1";
  // line 9: recv(s, 1KiB) blocks
  w.begin(0, "A.reader", "recv", s, S, "s, 1KiB", 9).value = 1024;
  w.rec(0, RecordKind::ThreadBlocked, "A.reader", "A", s, S, 9).text = "data";
  // line 10: send(s, 64KiB)
  w.begin(0, "A.main", "send", s, S, "s, 64KiB", 10).value = 65536;
  {
    TraceRecord& r = w.rec(0, RecordKind::DataQueued, "link", "A", s, S, 10);
    r.bytes = 65536;
    r.value = 65536;
  }
  w.end(0, "A.main", "send", s, S, 65536, 0, "65536", 10);
  // The link drains 1KiB a millisecond while the peer reads; the peer stops reading at 3ms.
  auto data = [&](Time t, RecordKind kind, const char* actor, std::int64_t total) {
    TraceRecord& r = w.rec(t, kind, actor, "A", 0, S, 10);
    r.bytes = 1024;
    r.value = total;
  };
  data(1 * ms, RecordKind::DataSent, "link", 1024);
  data(2 * ms, RecordKind::DataSent, "link", 2048);
  data(2 * ms, RecordKind::PeerReceived, "peer#1", 1024);
  data(3 * ms, RecordKind::PeerReceived, "peer#1", 2048);
  data(3 * ms, RecordKind::DataAcked, "link", 1024);
  w.rec(3 * ms, RecordKind::PeerAction, "peer#1", "", 0, S, 11).text = "stop_reading";
  data(4 * ms, RecordKind::DataAcked, "link", 2048);
  // line 12: closesocket(s) at 10ms, linger {1,2} on a blocking socket.
  w.begin(10 * ms, "A.main", "closesocket", s, S, "s", 12);
  w.rec(10 * ms, RecordKind::ProviderCloseBegin, "provider", "A", s, S, 12);
  {
    TraceRecord& r = w.rec(10 * ms, RecordKind::ThreadWoken, "A.reader", "A", s, S, 12);
    r.rule = RuleId::R2;
    r.error = WSAEINTR;
  }
  {
    TraceRecord& r = w.rec(10 * ms, RecordKind::OpCompleted, "A.main", "A", s, S, 12);
    r.op = "o1";
    r.call = *find_call_id("WSARecv");
    r.error = WSA_OPERATION_ABORTED;
    r.value = static_cast<std::int64_t>(CompletionVia::Apc);
    r.rule = RuleId::R3;
  }
  {
    TraceRecord& r = w.rec(10 * ms, RecordKind::ApcQueued, "A.main", "A", s, S, 12);
    r.op = "o1";
    r.rule = RuleId::R3;
  }
  {
    TraceRecord& r = w.rec(10 * ms, RecordKind::RefCount, "provider", "A", s, S, 12);
    r.value = 0;
    r.rule = RuleId::R6;
  }
  {
    TraceRecord& r = w.rec(10 * ms, RecordKind::LingerTimerStarted, "provider", "A", s, S, 12);
    r.value = 2010 * ms;
    r.rule = RuleId::R9;
  }
  w.rec(10 * ms, RecordKind::ThreadBlocked, "A.main", "A", s, S, 12).text = "linger {1,2}: the queue to drain";
  w.end(10 * ms, "A.reader", "recv", s, S, -1, WSAEINTR, "SOCKET_ERROR WSAEINTR", 9);
  // 2.01s: the linger time runs out.
  const Time t = 2010 * ms;
  w.rec(t, RecordKind::LingerTimerExpired, "provider", "A", s, S, 12).rule = RuleId::R9;
  {
    TraceRecord& r = w.rec(t, RecordKind::DataDiscarded, "provider", "A", s, S, 12);
    r.bytes = 63488;
    r.text = "send";
    r.rule = RuleId::R9;
  }
  w.rec(t, RecordKind::RstSent, "link", "A", s, S, 12).rule = RuleId::R9;
  w.rec(t, RecordKind::ThreadWoken, "A.main", "A", s, S, 12).rule = RuleId::R9;
  w.rec(t, RecordKind::SocketReleased, "provider", "A", s, S, 12).rule = RuleId::R9;
  {
    TraceRecord& r = w.rec(t, RecordKind::HandleReleased, "provider", "A", s, S, 12);
    r.value = static_cast<std::int64_t>(HandleKind::Wpu);
    r.rule = RuleId::R11;
  }
  w.rec(t, RecordKind::ProviderCloseEnd, "provider", "A", s, S, 12);
  w.end(t, "A.main", "closesocket", s, S, 0, 0, "0", 12);
  // line 16: SleepEx(0, alertable) runs the APC.
  w.begin(t, "A.main", "SleepEx", 0, 0, "0, alertable", 16);
  w.rec(t, RecordKind::ApcRan, "A.main", "A", 0, 0, 16).op = "o1";
  w.end(t, "A.main", "SleepEx", 0, 0, 0xC0, 0, "WAIT_IO_COMPLETION", 16);
  // RST reaches the peer one latency later.
  w.rec(t + 1 * ms, RecordKind::PeerSawRst, "peer#1", "", 0, S, 14).rule = RuleId::R9;
  w.flush();

  run.end_time = t + 1 * ms;
  run.events = 31;
  set_coverage(run, {{2, {"recv"}},
                     {3, {"apc", "WSARecv"}},
                     {4, {}},
                     {5, {}},
                     {6, {"last reference"}},
                     {9, {"blocking", "timeout"}},
                     {11, {"nonifs"}}});
  return run;
}

RunResult hard_close_run() {
  RunOptions options;
  options.mutant = Mutant::HandBackNever;
  RunResult run = run_bundled("scenarios/linger/hard_close.scn", options);
  // A title with markup characters, so that every format is seen to escape what a file says.
  run.scenario.title = "Hard close discards queued data & resets the peer <RST>";
  return run;
}

RunResult late_completion_run() {
  RunOptions options;
  options.mutant = Mutant::HandBackBeforeAborts;
  options.expectations = false;
  return run_bundled("scenarios/overlapped/abort_via_event.scn", options);
}

RunResult parse_error_run() {
  RunResult run;
  run.scenario.file = "scenarios/broken/typo.scn";
  run.scenario.lines = {"title \"typo\"", "", "0 A.main s = socket(tcp) = ok",
                        "+1ms A.main closesockt(s) = 0"};
  Diagnostic d;
  d.file = run.scenario.file;
  d.line = 4;
  d.column = 13;
  d.length = 10;
  d.message = "unknown call 'closesockt'";
  d.hint = "did you mean 'closesocket'?";
  run.diagnostics.push_back(d);
  Diagnostic d2;
  d2.file = run.scenario.file;
  d2.line = 4;
  d2.column = 27;
  d2.length = 1;
  d2.message = "expected a result after '='";
  run.diagnostics.push_back(d2);
  return run;
}

// --- golden files ---

void check_golden(const std::string& name, const std::string& actual) {
  std::string relative = "tests/report/golden/";
  relative.append(name);
  check_source_file(relative, actual);
}

void check_source_file(const std::string& relative_path, const std::string& actual) {
  const std::string& name = relative_path;
  std::string path = source_path("/");
  path.append(relative_path);
  const char* update = std::getenv("CLOSESIM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << actual;
    REQUIRE_MESSAGE(out.good(), "cannot write " << path);
    MESSAGE("updated " << path);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    FAIL_CHECK("missing golden file " << path << " (run with CLOSESIM_UPDATE_GOLDEN=1)");
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string expected = buffer.str();
  if (expected == actual) return;

  std::vector<std::string> a = split_lines(expected), b = split_lines(actual);
  std::size_t k = 0;
  while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
  // Find where the two sides agree again: the smallest skip (da, db) after which a line matches.
  std::size_t da = a.size() - std::min(k, a.size()), db = b.size() - std::min(k, b.size());
  bool found = false;
  for (std::size_t d = 1; d <= 40 && !found; ++d)
    for (std::size_t x = 0; x <= d && !found; ++x) {
      std::size_t y = d - x;
      if (k + x < a.size() && k + y < b.size() && a[k + x] == b[k + y]) {
        da = x;
        db = y;
        found = true;
      }
    }
  std::ostringstream diff;
  diff << "mismatch: " << name << "\n--- " << name << "\n+++ actual\n";
  diff << "@@ line " << (k + 1) << " @@\n";
  for (std::size_t i = k >= 3 ? k - 3 : 0; i < k; ++i) diff << " " << a[i] << "\n";
  for (std::size_t i = 0; i < da && i < 12; ++i) diff << "-" << a[k + i] << "\n";
  for (std::size_t i = 0; i < db && i < 12; ++i) diff << "+" << b[k + i] << "\n";
  if (da > 12 || db > 12) diff << "(diff truncated)\n";
  if (expected.size() != actual.size() && a == b) diff << "(the files differ in line endings)\n";
  diff << "(set CLOSESIM_UPDATE_GOLDEN=1 to accept the new output, then review it with git diff)";
  FAIL_CHECK(diff.str());
}

// --- real runs ---

RunResult run_bundled(const std::string& relative_path, const RunOptions& options) {
  const std::string root = source_path("/");
  std::string path = root;
  path.append(relative_path);
  RunResult run = run_file(path, options);
  auto relative = [&](std::string& file) {
    if (file.rfind(root, 0) == 0) file = file.substr(root.size());
  };
  relative(run.scenario.file);
  for (Diagnostic& d : run.diagnostics) relative(d.file);
  return run;
}

std::string read_source_file(const std::string& relative_path) {
  std::string path = source_path("/");
  path.append(relative_path);
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> bundled_scenarios() {
  const std::filesystem::path root(CLOSESIM_SOURCE_DIR);
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "scenarios"))
    if (entry.is_regular_file() && entry.path().extension() == ".scn")
      out.push_back(entry.path().lexically_relative(root).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

// --- Mermaid ---

std::string check_mermaid(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "sequenceDiagram") return "does not start with sequenceDiagram";
  std::map<std::string, int> active;
  std::map<std::string, bool> declared;
  int rects = 0;
  auto known = [&](const std::string& id) { return declared.count(id) > 0; };
  while (std::getline(in, line)) {
    if (line.rfind("  ", 0) != 0) return "not indented: " + line;
    std::string s = line.substr(2);
    if (s.rfind("%%", 0) == 0) {
      if (s.find('{') != std::string::npos) return "a comment that could be a directive: " + line;
      continue;
    }
    if (s.rfind("participant ", 0) == 0) {
      std::string id = s.substr(12, s.find(" as ") - 12);
      if (id.empty()) return "empty id: " + line;
      for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return "bad id: " + id;
      if (known(id)) return "participant declared twice: " + line;
      declared[id] = true;
      continue;
    }
    // Text after the first ':' must not hold a raw ';' or '#' (other than entity codes), and
    // must not be empty.
    auto colon = s.find(':');
    if (colon != std::string::npos) {
      std::string body = s.substr(colon + 1);
      if (body.find_first_not_of(' ') == std::string::npos) return "empty text: " + line;
      for (std::size_t k = 0; k < body.size(); ++k) {
        if (body[k] == ';' && (k == 0 || body.rfind('#', k) == std::string::npos)) return "raw ';': " + line;
        if (body[k] == '#') {
          auto end = body.find(';', k);
          if (end == std::string::npos || end == k + 1) return "raw '#': " + line;
          for (std::size_t d = k + 1; d < end; ++d)
            if (!std::isdigit(static_cast<unsigned char>(body[d]))) return "raw '#': " + line;
        }
      }
    }
    if (s.rfind("activate ", 0) == 0) {
      if (!known(s.substr(9))) return "unknown participant: " + line;
      ++active[s.substr(9)];
    } else if (s.rfind("deactivate ", 0) == 0) {
      if (--active[s.substr(11)] < 0) return "deactivated while inactive: " + line;
    } else if (s.rfind("Note over ", 0) == 0) {
      if (colon == std::string::npos) return "note without text: " + line;
      std::string who = s.substr(10, colon - 10);
      std::istringstream ids(who);
      for (std::string id; std::getline(ids, id, ',');)
        if (!known(id)) return "unknown participant: " + line;
    } else if (s.rfind("rect ", 0) == 0) {
      ++rects;
    } else if (s == "end") {
      if (--rects < 0) return "end without rect";
    } else {
      auto arrow = s.find("->>");
      if (arrow == std::string::npos || colon == std::string::npos) return "unknown statement: " + line;
      std::string from = s.substr(0, arrow);
      if (!from.empty() && from.back() == '-') from.pop_back();
      std::string to = s.substr(arrow + 3, colon - arrow - 3);
      if (!known(from) || !known(to)) return "unknown participant: " + line;
    }
  }
  for (const auto& [id, n] : active)
    if (n != 0) return "unbalanced activation of " + id;
  if (rects != 0) return "unclosed rect";
  return "";
}

// --- JSON ---

const Json* Json::get(std::string_view key) const {
  for (const auto& [k, v] : object)
    if (k == key) return &v;
  return nullptr;
}

namespace {

using Ordered = nlohmann::ordered_json;

Json from_nlohmann(const Ordered& v) {
  Json out;
  switch (v.type()) {
    case Ordered::value_t::null: out.kind = Json::Kind::Null; break;
    case Ordered::value_t::boolean: out.kind = Json::Kind::Bool; out.boolean = v.get<bool>(); break;
    case Ordered::value_t::string: out.kind = Json::Kind::String; out.string = v.get<std::string>(); break;
    case Ordered::value_t::array:
      out.kind = Json::Kind::Array;
      for (const Ordered& item : v) out.array.push_back(from_nlohmann(item));
      break;
    case Ordered::value_t::object:
      out.kind = Json::Kind::Object;
      for (const auto& [key, value] : v.items()) out.object.push_back({key, from_nlohmann(value)});
      break;
    default: out.kind = Json::Kind::Number; out.number = v.get<double>(); break;
  }
  return out;
}

}  // namespace

// nlohmann-json parses (strict RFC 8259, strict UTF-8); the callback adds what it lets through
// but a writer must not produce: the same key twice in one object.
std::optional<Json> parse_json(std::string_view text, std::string* error) {
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  auto watch = [&](int, Ordered::parse_event_t event, Ordered& parsed) {
    if (event == Ordered::parse_event_t::object_start) keys.emplace_back();
    if (event == Ordered::parse_event_t::object_end) keys.pop_back();
    if (event == Ordered::parse_event_t::key && !keys.back().insert(parsed.get<std::string>()).second &&
        duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  try {
    Ordered v = Ordered::parse(text, watch);
    if (!duplicate.empty()) {
      if (error) *error = "duplicate key \"" + duplicate + "\"";
      return std::nullopt;
    }
    return from_nlohmann(v);
  } catch (const Ordered::parse_error& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

TEST_CASE("the test JSON reader accepts JSON and rejects what is not, duplicate keys too") {
  std::string error;
  auto v = parse_json(R"( {"a": [1, -2.5e3, true, null], "b": "x\"\u00e9\n"} )", &error);
  REQUIRE_MESSAGE(v.has_value(), error);
  CHECK(v->get("a")->array.size() == 4);
  CHECK(v->get("a")->array[1].number == -2500);
  CHECK(v->get("b")->string == "x\"\xC3\xA9\n");
  for (const char* bad : {"{", "{\"a\":1,}", "[1 2]", "\"\t\"", "01", "{\"a\":1}{", "{a:1}",
                          "{\"a\":1,\"a\":2}", "\"\\x\""}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_json(bad, &error).has_value());
  }
}

}  // namespace closesim::testing
