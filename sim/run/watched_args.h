// select's sets and WSAPoll's entries, from the script's arguments to the world's
// WatchedSocket list (interpreter.cc calls it for the SocketSet and PollFd parameters).
#pragma once

#include <functional>
#include <string>

#include "closesim/base/call_table.h"
#include "closesim/scenario/scenario.h"
#include "closesim/world/world.h"

namespace closesim {

// Appends the sockets of `a` (a checked SocketSet or PollFd argument); the first socket named
// becomes the call's handle, the one the trace's CallBegin carries.
void add_watched(ApiCall& call, const ParamSpec& param, const Argument& a,
                 const std::function<Handle(const std::string&)>& handle_of);

}  // namespace closesim
