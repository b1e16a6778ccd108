// docs/language.md lists the calls of the language; the call table is what the parser, the name
// check, the runner and the world read. The two must name the same calls.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "closesim/base/call_table.h"

using namespace closesim;

namespace {

// The call names in the first column of the table that follows "| call | notes |".
std::set<std::string> documented_calls() {
  std::ifstream in(std::string(CLOSESIM_SOURCE_DIR) + "/docs/language.md");
  REQUIRE(in.good());
  std::set<std::string> out;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("| call | notes |", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.empty() || line[0] != '|') break;
    const std::string first = line.substr(1, line.find(" | ", 1));
    // Each `...` span is one usage: `s = socket(...)`; the name is the word before '('.
    for (std::size_t at = first.find('`'); at != std::string::npos; at = first.find('`', at + 1)) {
      const std::size_t close = first.find('`', at + 1);
      if (close == std::string::npos) break;
      std::string usage = first.substr(at + 1, close - at - 1);
      at = close;
      const std::size_t paren = usage.find('(');
      if (paren == std::string::npos) continue;
      std::size_t start = usage.rfind(' ', paren);
      start = start == std::string::npos ? 0 : start + 1;
      out.insert(usage.substr(start, paren - start));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("docs/language.md lists exactly the calls of the call table") {
  std::set<std::string> table;
  for (const CallSpec& c : call_table()) table.insert(std::string(c.name));
  const std::set<std::string> docs = documented_calls();
  for (const std::string& name : table) CHECK_MESSAGE(docs.count(name), name << " is not documented");
  for (const std::string& name : docs) CHECK_MESSAGE(table.count(name), name << " is not in the table");
}

TEST_CASE("call table: ids, names and WSP entries agree") {
  for (const CallSpec& c : call_table()) {
    CHECK(call_spec(c.id).name == c.name);
    CHECK(find_call_id(c.name) == c.id);
    CHECK(fmt::format("{}", c.id) == c.name);
    CHECK_FALSE(c.forms.empty());
    CHECK(c.results != 0);
    // A kernel call never reaches a WSP entry; every other call but the DLL's own does.
    if (c.kernel) CHECK(c.wsp.empty());
  }
  CHECK(wsp_name(CallId::CloseSocket) == "WSPCloseSocket");
  CHECK(option_word(CallOption::SoDontLinger) == "SO_DONTLINGER");
  CHECK(makes_descriptor(CallId::Accept));
  CHECK_FALSE(makes_descriptor(CallId::WSACreateEvent));
  CHECK_FALSE(find_call_id("closesockt").has_value());
}
