#include "plan_file.h"

#include <sstream>

namespace realstack {

namespace {

bool parse_arg(const std::string& token, PlanArg& a) {
  if (token.size() < 2 || token[1] != ':') return false;
  a.kind = token[0];
  std::string rest = token.substr(2);
  switch (a.kind) {
    case 'n':
    case 'd': a.value = std::stoll(rest); return true;
    case 'f':
    case 'p': {
      auto colon = rest.rfind(':');
      if (colon == std::string::npos) return false;
      a.text = rest.substr(0, colon);
      a.value = std::stoll(rest.substr(colon + 1));
      return true;
    }
    case 'k':
    case 'g': {
      auto colon = rest.find(':');
      if (colon == std::string::npos) return false;
      a.key = rest.substr(0, colon);
      a.text = rest.substr(colon + 1);
      return true;
    }
    case 'w': a.text = rest; return true;
  }
  return false;
}

}  // namespace

bool read_plan(std::istream& in, PlanFile& plan, std::string& error) {
  std::string line;
  int number = 0;
  bool header = false, ended = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::istringstream words(line);
    std::string word;
    words >> word;
    auto bad = [&](const std::string& why) {
      error = "plan line " + std::to_string(number) + ": " + why + ": " + line;
      return false;
    };
    try {
      if (!header) {
        std::string version;
        words >> version;
        if (word != "closesim-plan" || version != "1") return bad("not a closesim plan, version 1");
        header = true;
      } else if (word == "file") {
        std::getline(words >> std::ws, plan.file);
      } else if (word == "time-scale") {
        words >> plan.time_scale;
      } else if (word == "tolerance") {
        words >> plan.tolerance;
      } else if (word == "sndbuf") {
        words >> plan.sndbuf;
      } else if (word == "horizon") {
        words >> plan.horizon;
      } else if (word == "peer") {
        PlanStep s;
        s.peer = true;
        words >> s.line >> s.start >> s.subject >> s.action >> s.bytes;
        if (!words) return bad("a peer step is: peer LINE START SUBJECT ACTION BYTES");
        plan.steps.push_back(std::move(s));
      } else if (word == "call") {
        PlanStep s;
        std::string end;
        words >> s.line >> s.start >> end >> s.process >> s.thread >> s.assign >> s.call;
        if (!words) return bad("a call step is: call LINE START END PROCESS THREAD ASSIGN NAME ARGS");
        if (s.assign == "-") s.assign.clear();
        if (end != "-") {
          s.blocking = true;
          if (end == "*") s.end_any = true;
          else s.end = std::stoll(end);
        }
        std::string token;
        while (words >> token) {
          PlanArg a;
          if (!parse_arg(token, a)) return bad("bad argument '" + token + "'");
          s.args.push_back(std::move(a));
        }
        plan.steps.push_back(std::move(s));
      } else if (word == "end") {
        ended = true;
      } else {
        return bad("unknown line");
      }
    } catch (const std::exception&) {
      return bad("bad number");
    }
  }
  if (!header) {
    error = "empty plan";
    return false;
  }
  if (!ended) {
    error = "the plan has no 'end' line (truncated?)";
    return false;
  }
  return true;
}

}  // namespace realstack
