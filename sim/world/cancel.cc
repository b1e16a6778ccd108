// CancelIo and CancelIoEx: the kernel cancels overlapped operations pending on a descriptor
// without closing it. A cancelled operation completes with WSA_OPERATION_ABORTED through its
// completion action, as a close's abort does (R3), but it is the call's doing, not a close's:
// its OpCompleted carries no rule (C17: explicit cancellation gives STATUS_CANCELLED, 995).
#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

ApiResult bool_result(bool ok, int error) {
  ApiResult r;
  r.value = ok ? 1 : 0;
  r.error = ok ? 0 : error;
  r.text = ok ? "1" : fmt::format("FALSE {}", error_name(error));
  return r;
}

}  // namespace

void World::State::cancel_call(ThreadId t, const ApiCall& c) {
  const Thread& th = threads.at(t);
  Descriptor* d = live(th.process, c.handle);
  if (!d) {  // a kernel call: the handle is not a file, not WSAENOTSOCK (R1 is the DLL's rule)
    finish(t, bool_result(false, ERROR_INVALID_HANDLE));
    return;
  }
  Socket& s = socket(d->socket);
  std::vector<OpId> chosen;
  for (OpId id : s.ops) {
    const PendingOp& op = ops.at(id);
    // Overlapped operations issued through this very descriptor; blocking calls and buffered
    // sends are not cancellable I/O (C4). CancelIo takes only the calling thread's.
    if (op.completed || op.blocking || op.process != th.process || op.handle != d->handle) continue;
    if (c.call == CallId::CancelIo && op.thread != t) continue;
    if (c.call == CallId::CancelIoEx && !c.op.empty() && op.label != c.op) continue;
    chosen.push_back(id);
  }
  if (chosen.empty() && c.call == CallId::CancelIoEx) {
    finish(t, bool_result(false, ERROR_NOT_FOUND));  // C4: nothing to cancel
    return;
  }
  for (OpId id : chosen) complete_op(ops.at(id), WSA_OPERATION_ABORTED, RuleId::None);
  finish(t, bool_result(true, 0));
}

}  // namespace closesim
