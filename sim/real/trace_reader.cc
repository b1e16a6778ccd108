#include "closesim/real/trace_reader.h"

#include <cctype>

#include "closesim/base/call_table.h"

#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace closesim::real {

namespace {

bool has_word(const std::string& text, std::string_view word) {
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool start = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_');
    const std::size_t end = at + word.size();
    const bool stop = end == text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
    if (start && stop) return true;
  }
  return false;
}

// A trace from elsewhere names a call's option only in its arguments as written ("SO_LINGER,
// 1, 0"): this boundary is the one place that reads it from there.
CallOption option_from_text(CallId id, const std::string& text) {
  for (const auto& form : call_spec(id).forms)
    for (const ParamSpec& p : form)
      for (const ParamWord& w : p.words)
        if (w.option != CallOption::None && has_word(text, w.word)) return w.option;
  return CallOption::None;
}

}  // namespace

namespace {

std::optional<RecordKind> kind_from_name(const std::string& name) {
  for (int k = 0; k <= static_cast<int>(RecordKind::Note); ++k)
    if (kind_name(static_cast<RecordKind>(k)) == name) return static_cast<RecordKind>(k);
  return std::nullopt;
}

std::optional<RuleId> rule_from_name(const std::string& name) {
  if (name.empty()) return RuleId::None;
  for (int i = 1; i <= kRuleCount; ++i)
    if (rule_name(static_cast<RuleId>(i)) == name) return static_cast<RuleId>(i);
  return std::nullopt;
}

// The column of `"field"` in the line, so a diagnostic points at the bad field.
int column_of(const std::string& line, const std::string& field) {
  auto at = line.find("\"" + field + "\"");
  return at == std::string::npos ? 1 : static_cast<int>(at) + 1;
}

}  // namespace

TraceReadResult read_trace(const std::string& text, const std::string& file) {
  TraceReadResult out;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto fail = [&](int column, std::string message, std::string hint) {
    out.diagnostics.push_back(Diagnostic{file, number, column, 1, std::move(message), std::move(hint)});
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      fail(1, "not a JSON object", "each line of a trace is one JSON object (docs/trace.md)");
      continue;
    }
    const std::string type = j.value("type", std::string("record"));
    if (type != "record") continue;  // verdict and summary lines are for people, not the judge
    TraceRecord r;
    std::string bad;
    auto get_int = [&](const char* f, auto& into) {
      auto it = j.find(f);
      if (it == j.end()) return;
      if (!it->is_number_integer()) {
        if (bad.empty()) bad = f;
        return;
      }
      into = it->get<std::remove_reference_t<decltype(into)>>();
    };
    auto get_str = [&](const char* f, std::string& into) {
      auto it = j.find(f);
      if (it == j.end()) return;
      if (!it->is_string()) {
        if (bad.empty()) bad = f;
        return;
      }
      into = it->get<std::string>();
    };
    auto get_text = [&](const char* f, CompactText& into) {
      std::string s;
      get_str(f, s);
      if (!s.empty()) into = s;
    };
    std::string kind, rule, handle_name;
    get_int("time_ns", r.time);
    get_str("kind", kind);
    get_str("rule", rule);
    get_text("actor", r.actor);
    get_text("process", r.process);
    get_int("handle", r.handle);
    get_str("handle_name", handle_name);
    get_int("socket", r.socket);
    get_int("layer", r.layer);
    std::string call;
    get_str("call", call);
    get_text("op", r.op);
    get_int("value", r.value);
    get_int("value2", r.value2);
    get_int("bytes", r.bytes);
    get_int("error", r.error);
    get_text("text", r.text);
    get_int("line", r.line);
    if (!bad.empty()) {
      fail(column_of(line, bad), fmt::format("field '{}' has the wrong type", bad),
           "numbers are integers, names and texts are strings (docs/trace.md, Fields)");
      continue;
    }
    if (!call.empty()) {
      std::optional<CallId> id = find_call_id(call);
      if (!id) {
        fail(column_of(line, "call"), fmt::format("unknown call '{}'", call),
             "calls are the Winsock names of docs/language.md, e.g. closesocket, WSARecv");
        continue;
      }
      r.call = *id;
      r.option = option_from_text(*id, r.text);
    }
    std::optional<RecordKind> k = kind_from_name(kind);
    if (!k) {
      fail(column_of(line, "kind"), fmt::format("unknown record kind '{}'", kind),
           "kinds are the names in docs/trace.md, e.g. CallBegin, OpCompleted, PeerSawRst");
      continue;
    }
    std::optional<RuleId> id = rule_from_name(rule);
    if (!id) {
      fail(column_of(line, "rule"), fmt::format("unknown rule '{}'", rule), "rules are R1..R14, or \"\"");
      continue;
    }
    r.kind = *k;
    r.rule = *id;
    if (!out.trace.records().empty() && r.time < out.trace.records().back().time) {
      fail(column_of(line, "time_ns"),
           fmt::format("time {} goes back (the line above is at {})", r.time, out.trace.records().back().time),
           "records are in time order; sort the file by time_ns, keeping the order of equal times");
      continue;
    }
    if (!handle_name.empty() && r.socket != 0) {
      TraceNames& names = out.trace.names();
      if (r.handle != 0) {
        names.handles.emplace(std::make_pair(r.process, r.handle), handle_name);
        names.descriptors.emplace(std::make_tuple(r.process, r.handle, r.socket), handle_name);
      }
      names.sockets.emplace(r.socket, handle_name);
    }
    out.trace.append(std::move(r));
  }
  return out;
}

TraceReadResult read_trace_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    TraceReadResult out;
    out.diagnostics.push_back(Diagnostic{path, 0, 0, 1, "cannot open the trace file",
                                         "give a .jsonl file written by closesim or the runner"});
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return read_trace(text.str(), path);
}

}  // namespace closesim::real
