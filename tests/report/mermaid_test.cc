// Mermaid: a sequenceDiagram with balanced activation bars and escaped text.
#include <map>
#include <sstream>

#include <doctest/doctest.h>

#include "closesim/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

// Checks the statements the renderer uses; returns "" or what is wrong.
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
    if (s.rfind("%%", 0) == 0) continue;
    if (s.rfind("participant ", 0) == 0) {
      std::string id = s.substr(12, s.find(" as ") - 12);
      for (char c : id)
        if (!isalnum(static_cast<unsigned char>(c)) && c != '_') return "bad id: " + id;
      declared[id] = true;
      continue;
    }
    // Text after the first ':' must not hold a raw ';' or '#' (other than entity codes).
    auto colon = s.find(':');
    if (colon != std::string::npos) {
      std::string body = s.substr(colon + 1);
      for (std::size_t k = 0; k < body.size(); ++k) {
        if (body[k] == ';' && (k == 0 || body.rfind('#', k) == std::string::npos)) return "raw ';': " + line;
        if (body[k] == '#') {
          auto end = body.find(';', k);
          if (end == std::string::npos) return "raw '#': " + line;
          for (std::size_t d = k + 1; d < end; ++d)
            if (!isdigit(static_cast<unsigned char>(body[d]))) return "raw '#': " + line;
        }
      }
    }
    if (s.rfind("activate ", 0) == 0) {
      if (!known(s.substr(9))) return "unknown participant: " + line;
      ++active[s.substr(9)];
    } else if (s.rfind("deactivate ", 0) == 0) {
      if (--active[s.substr(11)] < 0) return "deactivated while inactive: " + line;
    } else if (s.rfind("Note over ", 0) == 0) {
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

TEST_CASE("Mermaid sequence diagrams") {
  RunResult linger = testing::linger_timeout_run();
  RunResult hard = testing::hard_close_run();
  std::string a = render_mermaid(linger), b = render_mermaid(hard);
  testing::check_golden("linger_timeout.mmd", a);
  testing::check_golden("hard_close.mmd", b);
  CHECK(check_mermaid(a) == "");
  CHECK(check_mermaid(b) == "");
  CHECK(a.find("participant th_A_reader as A.reader\n") != std::string::npos);
  CHECK(a.find("participant peer_s as peer(s)\n") != std::string::npos);
  CHECK(a.find("activate th_A_reader\n") != std::string::npos);
  CHECK(b.find("rect rgb(255, 210, 210)\n  Note over th_A_main: R5 violated at 2ms") != std::string::npos);
  CHECK(b.find("provider->>peer_s: RST\n") != std::string::npos);
}

TEST_CASE("Mermaid escapes ';' and '#' and closes bars left open") {
  RunResult run = testing::linger_timeout_run();
  // Cut the run short while the close is still blocked and o1 is pending... and a Note with ';#'.
  Trace cut;
  cut.names() = run.trace.names();
  for (const TraceRecord& r : run.trace.records()) {
    if (r.time > 10 * kMillisecond) break;
    cut.append(r);
  }
  TraceRecord note;
  note.time = 10 * kMillisecond;
  note.kind = RecordKind::Note;
  note.text = "a; b # c <d>";
  cut.append(note);
  run.trace = cut;
  run.stuck.push_back("A.main is still blocked in closesocket(s)");
  std::string text = render_mermaid(run);
  CHECK(check_mermaid(text) == "");
  CHECK(text.find("a#59; b #35; c #60;d#62;") != std::string::npos);
  CHECK(text.find("still waiting at the end of the run") != std::string::npos);
}

TEST_CASE("Mermaid of a file that does not parse") {
  std::string text = render_mermaid(testing::parse_error_run());
  CHECK(check_mermaid(text) == "");
}

}  // namespace
}  // namespace closesim
