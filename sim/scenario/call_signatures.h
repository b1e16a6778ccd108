// Checking a call step's arguments against the call table (closesim/base/call_table.h). Once
// check_arguments() accepts a call, every argument has the kind its parameter promises, at its
// position:
//   Socket, Event, Port, Info, Op, Process   Name (an identifier)
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

#include "closesim/base/call_table.h"
#include "closesim/scenario/scenario.h"
#include "scenario/lexer.h"

namespace closesim::lang {

const CallSpec* find_call(std::string_view name);
std::vector<std::string_view> call_names();
// "socket, accept, WSADuplicateSocket, WSASocket, CreateIoCompletionPort or WSACreateEvent"
std::string assignable_call_names();

// Checks `args` against the forms of `sig` and normalises them as the table above says.
// `close` is the call's ')' (where a missing argument is reported). On a fault `args` is
// left as it was.
std::optional<Fault> check_arguments(const CallSpec& sig, std::vector<Argument>& args,
                                     const Token& close);

// The form of `sig` that `args` (already checked) matched.
const std::vector<ParamSpec>& matched_form(const CallSpec& sig, const std::vector<Argument>& args);

// Network events (WSAEventSelect masks and FD_* expectations): FD_READ=1, FD_WRITE=2, FD_OOB=4,
// FD_ACCEPT=8, FD_CONNECT=16, FD_CLOSE=32 as in winsock2.h.
std::optional<int> network_event_bit(std::string_view name);
const std::vector<std::string_view>& network_event_names();

}  // namespace closesim::lang
