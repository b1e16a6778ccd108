#include "closesim/real/real_report.h"

#include <fmt/format.h>

#include "closesim/report/report.h"

namespace closesim::real {

namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += std::string("\\") + c;
    else if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<int>(c));
    else out += c;
  }
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_string(items[i]);
  return out + "]";
}

std::string tally_text(const OutcomeTally& tally) {
  int total = 0;
  for (const auto& [o, n] : tally) total += n;
  std::string out = fmt::format("outcomes over {} runs:\n", total);
  for (const auto& [o, n] : tally) out += fmt::format("  {}/{}  {}\n", n, total, o);
  return out;
}

}  // namespace

std::string render_unrealised_text(const Scenario& sc, const std::vector<UnrealisableStep>& steps) {
  std::string out = fmt::format("scenario: {}\ntitle:    {}\n\ncannot be played on a real stack:\n", sc.file, sc.title);
  for (const UnrealisableStep& s : steps) out += fmt::format("  line {}: {}\n", s.line, s.reason);
  out += "\nNOT REALISED\n";
  return out;
}

std::string render_real_text(const RealRun& run, const OutcomeTally& tally) {
  std::string text = render_timeline(run.result);
  // The header's provider line says which model a simulation ran; a real run ran on a stack.
  auto header_end = text.find('\n', text.find("provider:"));
  if (header_end != std::string::npos)
    text.insert(header_end + 1, fmt::format("stack:    {} (a real run: not deterministic; "
                                            "times are wall-clock)\n", run.stack));
  std::string extra;
  if (!run.not_observable.empty()) {
    extra += "\nnot observable on a real stack:\n";
    for (const std::string& s : run.not_observable) extra += "  " + s + "\n";
  }
  if (!run.notes.empty()) {
    extra += "\nnotes from the runner:\n";
    for (const std::string& s : run.notes) extra += "  " + s + "\n";
  }
  if (!tally.empty()) extra += "\n" + tally_text(tally);
  // Before the verdict block, which ends the timeline.
  auto verdict_at = text.rfind("\n\n");
  if (verdict_at == std::string::npos) return text + extra;
  text.insert(verdict_at + 1, extra);
  return text;
}

std::string render_real_json(const RealRun& run, const OutcomeTally& tally) {
  std::string out = render_json_lines(run.result);
  std::string unrealised = "[";
  for (std::size_t i = 0; i < run.unrealisable.size(); ++i)
    unrealised += fmt::format("{}{{\"line\":{},\"reason\":{}}}", i ? "," : "", run.unrealisable[i].line,
                              json_string(run.unrealisable[i].reason));
  unrealised += "]";
  std::string outcomes = "[";
  bool first = true;
  for (const auto& [o, n] : tally) {
    outcomes += fmt::format("{}{{\"outcome\":{},\"runs\":{}}}", first ? "" : ",", json_string(o), n);
    first = false;
  }
  outcomes += "]";
  out += fmt::format("{{\"type\":\"real\",\"file\":{},\"stack\":{},\"deterministic\":false,"
                     "\"not_observable\":{},\"notes\":{},\"unrealised\":{},\"outcomes\":{}}}\n",
                     json_string(run.result.scenario.file), json_string(run.stack),
                     json_list(run.not_observable), json_list(run.notes), unrealised, outcomes);
  return out;
}

}  // namespace closesim::real
