// A call step's `= RESULT` against what the call returned: the value or error, the outputs the
// script states (select's sets, WSAPoll's revents, getsockopt's optval, bytes=), the network
// events (`= FD_CLOSE 0`), and the time.
#include <fmt/format.h>

#include "run/interpreter.h"

namespace closesim {

namespace {

// Each output the script states must be what the call wrote; one the call did not write is
// `untouched` (C1: a failed getsockopt leaves optval alone).
bool outputs_match(const ResultSpec& spec, const ApiResult& r) {
  for (const ResultSpec::Output& o : spec.outputs) {
    std::string got = "untouched";
    for (const auto& [key, value] : r.outputs)
      if (key == o.key) got = value;
    if (got != o.value) return false;
  }
  return true;
}

}  // namespace

void Interpreter::check_result(const Step& st, const ApiResult& r) {
  const ResultSpec& spec = *st.call.result;
  bool ok = true;
  switch (spec.kind) {
    case ResultSpec::Kind::Any: break;
    case ResultSpec::Kind::Value:
      ok = (!r.enumerated || r.events.empty()) && r.error == 0 && !r.io_pending &&
           r.wait.empty() && r.packet_op.empty() && r.text != "ok" && r.value == spec.value;
      break;
    case ResultSpec::Kind::Ok: ok = r.error == 0 && r.text == "ok"; break;
    case ResultSpec::Kind::Error: ok = r.error == spec.error && !r.io_pending; break;
    case ResultSpec::Kind::IoPending: ok = r.io_pending; break;
    case ResultSpec::Kind::Wait: ok = r.wait == spec.sentinel; break;
    case ResultSpec::Kind::Completion:
      ok = r.packet_op == spec.op && r.packet_status == spec.error && r.packet_bytes == spec.value;
      break;
    case ResultSpec::Kind::NetworkEvents: ok = r.enumerated && r.events == spec.events; break;
  }
  if (ok) ok = outputs_match(spec, r);
  const Time now = engine_.now();
  std::string when;
  bool on_time = true;
  if (!st.time.blocking) {
    when = "at " + format_time(st.time.start);
    on_time = now == st.time.start;
  } else if (st.time.end_any) {
    when = "at " + format_time(st.time.start) + " or later";
    on_time = now >= st.time.start;
  } else {
    when = "at " + format_time(st.time.end);
    on_time = now == st.time.end;
  }
  if (ok && on_time) return;
  fail(st, fmt::format("expected {} = {} {}, got {} at {}", call_text(st.call), spec.text, when,
                       r.text, format_time(now)));
}

}  // namespace closesim
