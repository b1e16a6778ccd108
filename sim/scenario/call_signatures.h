// The calls a thread may make, and the arguments each takes. Checking a call against this table
// is what lets the runner trust a CallAction: once check_arguments() accepts it, every argument
// has the kind its parameter promises, at its position:
//   Handle, Process      Name (an identifier)
//   Keyword              Name, one of the parameter's words
//   Bytes                Number (bytes)
//   Switch               Number 0 or 1, written without a unit
//   Seconds              Number of whole seconds, written without a unit (SO_LINGER)
//   Timeout              Duration (ns); a plain number is milliseconds and becomes a Duration;
//                        INFINITE stays a Name, with value = kForever
//   Notify               Name `apc`, or KeyValue with key `event` or `port`
//   EventMask            Flags (value = FD_* mask); a plain 0 becomes Flags with mask 0
//   Key                  Number or Name
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "closesim/scenario.h"
#include "scenario/lexer.h"

namespace closesim::lang {

enum class ParamType { Handle, Process, Keyword, Bytes, Switch, Seconds, Timeout, Notify, EventMask, Key };

struct Param {
  std::string_view name;                // as the usage line shows it
  ParamType type = ParamType::Handle;
  std::vector<std::string_view> words;  // Keyword: the words accepted
};

struct CallSignature {
  std::string_view name;
  bool assignable = false;  // creates a socket, event, port or protocol info a step may name
  std::string_view usage;   // "setsockopt(s, SO_LINGER, onoff, seconds)" ... for hints
  std::vector<std::vector<Param>> forms;  // the argument lists accepted
};

const std::vector<CallSignature>& call_signatures();
const CallSignature* find_call(std::string_view name);
std::vector<std::string_view> call_names();
// "socket, accept, WSADuplicateSocket, WSASocket, CreateIoCompletionPort or WSACreateEvent"
std::string assignable_call_names();

// Checks `args` against the forms of `sig` and normalises them as the table above says.
// `close` is the call's ')' (where a missing argument is reported). On a fault `args` is
// left as it was.
std::optional<Fault> check_arguments(const CallSignature& sig, std::vector<Argument>& args,
                                     const Token& close);

// Network events (WSAEventSelect masks and FD_* expectations): FD_READ=1, FD_WRITE=2, FD_OOB=4,
// FD_ACCEPT=8, FD_CONNECT=16, FD_CLOSE=32 as in winsock2.h.
std::optional<int> network_event_bit(std::string_view name);
const std::vector<std::string_view>& network_event_names();

}  // namespace closesim::lang
