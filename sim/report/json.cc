// JSON lines (`--format json`): one object per trace record, then one verdict object. Every
// record object has every field, in the same order, so a consumer can rely on the shape; the
// fields are documented in docs/formats.md.
#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "closesim/report/report.h"
#include "report/view.h"

namespace closesim {

using report::json_string;
using report::RunView;

namespace {

std::string record_json(const RunView& view, const TraceRecord& r) {
  std::string out = "{\"type\":\"record\"";
  out += fmt::format(",\"time_ns\":{},\"seq\":{}", r.time, r.seq);
  out += ",\"kind\":" + json_string(kind_name(r.kind));
  out += ",\"rule\":" + json_string(rule_name(r.rule));
  out += ",\"actor\":" + json_string(r.actor);
  out += ",\"process\":" + json_string(r.process);
  out += fmt::format(",\"handle\":{}", r.handle);
  out += ",\"handle_name\":" + json_string(view.handle(r));
  out += fmt::format(",\"socket\":{}", r.socket);
  out += ",\"peer\":" + json_string(r.socket != 0 ? view.peer(r.socket) : "");
  out += fmt::format(",\"layer\":{}", r.layer);
  out += ",\"call\":" + json_string(call_name(r.call));
  out += ",\"op\":" + json_string(r.op);
  out += fmt::format(",\"value\":{},\"value2\":{},\"bytes\":{},\"error\":{}", r.value, r.value2,
                     r.bytes, r.error);
  out += ",\"error_name\":" + json_string(r.error != 0 ? error_name(r.error) : "");
  out += ",\"text\":" + json_string(r.text);
  out += fmt::format(",\"line\":{}", r.line);
  out += "}\n";
  return out;
}

}  // namespace

std::string render_json_lines(const RunResult& result) {
  RunView view(result);
  std::string out;
  for (const TraceRecord& r : result.trace.records()) out += record_json(view, r);

  const Scenario& s = result.scenario;
  Verdict verdict = report_verdict(result);
  out += "{\"type\":\"verdict\"";
  out += ",\"file\":" + json_string(s.file);
  out += ",\"title\":" + json_string(s.title);
  out += ",\"verdict\":" + json_string(verdict_name(verdict));
  out += fmt::format(",\"exit_status\":{}", report_exit_status(result));
  out += ",\"summary\":" + json_string(verdict_line(result));
  out += ",\"provider\":" + json_string(provider_name(result.config.provider));
  out += ",\"profile\":" + json_string(profile_name(result.config.profile));
  out += ",\"rules_mode\":" +
         json_string(result.rules_mode == RulesMode::On     ? "on"
                     : result.rules_mode == RulesMode::Warn ? "warn"
                                                            : "off");
  out += ",\"schedule\":" + json_string(result.config.schedule);
  out += ",\"mutant\":" + json_string(result.config.mutant);
  out += fmt::format(",\"end_time_ns\":{},\"events\":{},\"records\":{}", result.end_time,
                     result.events, result.trace.size());

  out += ",\"failures\":[";
  for (std::size_t i = 0; i < result.failures.size(); ++i) {
    const ExpectationFailure& f = result.failures[i];
    out += fmt::format("{}{{\"line\":{},\"time_ns\":{},\"message\":{},\"schedule_dependent\":{},"
                       "\"text\":{}}}",
                       i ? "," : "", f.line, f.time, json_string(f.message),
                       f.schedule_dependent ? "true" : "false",
                       json_string(report::failure_text(result, f)));
  }
  out += "],\"violations\":[";
  for (std::size_t i = 0; i < result.rules.violations.size(); ++i) {
    const Violation& v = result.rules.violations[i];
    out += fmt::format("{}{{\"rule\":{},\"time_ns\":{},\"seq\":{},\"message\":{},\"divergence\":{},"
                       "\"counts\":{},\"text\":{}}}",
                       i ? "," : "", json_string(rule_name(v.rule)), v.time, v.seq,
                       json_string(v.message), v.divergence ? "true" : "false",
                       report::counts_as_failure(result, v) ? "true" : "false",
                       json_string(violation_text(v)));
  }
  out += "],\"stuck\":[";
  for (std::size_t i = 0; i < result.stuck.size(); ++i)
    out += (i ? "," : "") + json_string(result.stuck[i]);
  out += "],\"diagnostics\":[";
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const Diagnostic& d = result.diagnostics[i];
    out += fmt::format("{}{{\"file\":{},\"line\":{},\"column\":{},\"length\":{},\"message\":{},"
                       "\"hint\":{}}}",
                       i ? "," : "", json_string(d.file), d.line, d.column, d.length,
                       json_string(d.message), json_string(d.hint));
  }
  out += "]}\n";
  return out;
}

}  // namespace closesim
