// ExitThread: a thread ends. Its blocking calls cannot be pending (it is in this one), but the
// overlapped operations it issued may be. The documents say a thread's I/O is cancelled when it
// exits (WSARecv/WSASend: "all I/O initiated by a given thread is canceled when that thread
// exits"), as Windows XP did; since Vista Windows keeps socket I/O pending, and a later peer
// send or close completes it (C24). Which of the two is the provider's answer.
#include "world/world_state.h"

namespace closesim {

void World::State::exit_thread_call(ThreadId t, const ApiCall& c) {
  (void)c;
  Thread& th = threads.at(t);
  if (provider->cancels_io_of_exiting_thread()) {
    std::vector<OpId> mine;
    for (const auto& [id, op] : ops)
      if (!op.completed && !op.blocking && op.thread == t) mine.push_back(id);
    for (OpId id : mine) complete_op(ops.at(id), WSA_OPERATION_ABORTED, RuleId::None);
  }
  th.exited = true;
  finish(t, value_result(0));
}

}  // namespace closesim
