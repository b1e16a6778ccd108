// WSAIoctl(SIO_ADDRESS_LIST_CHANGE): a request that completes when the machine's list of local
// addresses changes, which never happens in the model, so it is pending until it is cancelled or
// its socket closed (C23: close completes it with WSA_OPERATION_ABORTED, R3). Without an
// OVERLAPPED, a non-blocking socket answers WSAEWOULDBLOCK at once and a blocking one waits (a
// close wakes it, R2).
#include "world/world_state.h"

namespace closesim {

void World::State::ioctl_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  Socket& s = socket(d.socket);
  if (!c.op.empty()) {
    new_op(t, CallId::WSAIoctl, c, d, false);
    ApiResult r;
    r.value = -1;
    r.error = WSA_IO_PENDING;
    r.io_pending = true;
    r.text = "WSA_IO_PENDING";
    finish(t, r);
    return;
  }
  if (s.nonblocking) {
    finish(t, error_result(WSAEWOULDBLOCK));
    return;
  }
  threads.at(t).op = new_op(t, CallId::WSAIoctl, c, d, true);
  park(t, ParkReason::Op, "a change of the local address list");
}

}  // namespace closesim
