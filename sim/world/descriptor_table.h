// The Winsock DLL's table of one process's descriptors. Handle values are handed out
// lowest-free-first, so a released value comes back at once — the situation R1 and R5 guard
// against — and a stale-handle bug shows up in a few steps.
#pragma once

#include <map>
#include <set>

#include "closesim/base/trace.h"

namespace closesim {

struct Descriptor {
  Handle handle = 0;
  SocketId socket = 0;
  int layer = 0;            // 0 base provider, 1 layered provider
  HandleKind kind = HandleKind::Wpu;
  bool app_level = true;    // the descriptor the application holds (false: an LSP's lower one)
  Handle lower = 0;         // layered provider: the base provider's descriptor for this socket
  bool closing = false;     // a close has begun (R12: no network events from now on)
  // CloseHandle closed the kernel handle of an IFS socket: the entry stays in the DLL's table
  // (its value is not handed out again) but names no socket any more (C54).
  bool handle_closed = false;
  bool wpu_closed = false;  // ... of a WPU handle: the provider's socket is untouched
  // DuplicateHandle's copy: a kernel handle to the socket that is not in the DLL's list, so
  // Winsock calls on it fail WSAENOTSOCK (C40); it holds a reference all the same (C39).
  bool raw_copy = false;
};

class DescriptorTable {
 public:
  // The lowest free value, as the DLL would give it: 0x4, 0x8, 0xc, ...
  Handle allocate(SocketId socket, int layer, HandleKind kind, bool app_level);
  // REQUIRES: h is live.
  void release(Handle h);
  Descriptor* find(Handle h);
  const Descriptor* find(Handle h) const;
  const std::map<Handle, Descriptor>& live() const { return live_; }

 private:
  std::map<Handle, Descriptor> live_;  // ordered: stable iteration
  Handle next_ = 4;                    // above every value handed out so far (kStep apart)
  std::set<Handle> free_;              // released values below next_
};

}  // namespace closesim
