// A parsed scenario: the abstract syntax of the scenario language (docs/language.md), with the
// source position of every part so that diagnostics and expectation failures can point at it.
// Produced by parse_scenario(); consumed by the runner. Times are already resolved to absolute
// virtual time; names are kept as written (the runner binds them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "closesim/base/call_table.h"
#include "closesim/base/compact_text.h"
#include "closesim/base/run_config.h"
#include "closesim/base/time.h"

namespace closesim {

struct SourceSpan {
  int line = 0;     // 1-based
  int column = 0;   // 1-based, first character
  int length = 1;   // characters covered (for the caret line)
};

// One argument of a call, as written. The parser checks each call's arguments against its
// signature, so the runner can rely on kinds and positions.
struct Argument {
  enum class Kind {
    Name,      // s, o1, B, SO_LINGER, tcp, overlapped, apc, INFINITE
    Number,    // 0, 1, 65536, 64KiB (value = bytes)
    Duration,  // 10ms, 2s (value = ns)
    Flags,     // FD_READ|FD_CLOSE (text as written; value = mask)
    KeyValue,  // event=e, port=p (key, text = value name)
    Group,     // {s1, s2} or read={s1, s2} (key, items; text = as written)
    PollFlags, // POLLRDNORM|POLLWRNORM (text as written; value = mask)
  };
  Kind kind = Kind::Name;
  CompactText text;
  CompactText key;
  std::int64_t value = 0;
  SourceSpan span;
  std::vector<Argument> items;  // Group: its members, none of them a Group
  // As a script writes it: "port=p" for a KeyValue, else the text.
  std::string written() const {
    return kind == Kind::KeyValue ? key + "=" + text : text.str();
  }
};

// "= RESULT": what a call step must return.
struct ResultSpec {
  enum class Kind {
    Any,         // = ?
    Value,       // = 0, = 65536
    Ok,          // = ok (a new handle, event, port, protocol info)
    Error,       // = SOCKET_ERROR WSAE..., = -1 WSAE..., = INVALID_SOCKET WSAE... (error set)
    IoPending,   // = WSA_IO_PENDING
    Wait,        // = WAIT_OBJECT_0 | WAIT_TIMEOUT | WAIT_IO_COMPLETION
    Completion,  // = o1 STATUS N bytes (GetQueuedCompletionStatus)
    NetworkEvents,  // = FD_READ 0 FD_CLOSE WSAECONNABORTED (WSAEnumNetworkEvents)
  };
  Kind kind = Kind::Any;
  std::int64_t value = 0;   // Value; Completion: bytes
  int error = 0;            // Error: the code; Completion: the status
  CompactText sentinel;     // Error: "SOCKET_ERROR" | "-1" | "INVALID_SOCKET"; Wait: the code name
  CompactText op;           // Completion: op name
  std::vector<std::pair<std::int64_t, int>> events;  // NetworkEvents: (FD_* bit, code), bit order
  CompactText text;         // as written, for messages
  SourceSpan span;
  // What the call reports besides its value, in the order written (`read={s}`, `s=POLLNVAL`,
  // `optval={1, 5}`, `bytes=0`): the key, and the value in the one spelling the model prints
  // (a set's names sorted, flags in bit order), so comparing is comparing text.
  struct Output {
    std::string key;
    std::string value;
    SourceSpan span;
    bool group = false;               // written {a, b}
    std::vector<std::string> parts;   // as written: a group's members, or the words a|b
  };
  std::vector<Output> outputs;
};

// TIME column. A call step must return at `start` unless `blocking`; a blocking step must
// return at `end`, or at any later time when `end_any`. `any` is the `*` of expectations.
struct StepTime {
  bool any = false;
  Time start = 0;
  // `then`: at the previous step's instant, and after that step has started (an order the
  // script fixes between two threads or a thread and a peer, which exploration keeps).
  bool after_previous = false;
  bool blocking = false;
  bool end_any = false;
  Time end = 0;
  CompactText text;  // as written
  SourceSpan span;
};

struct CallAction {
  CompactText assign;              // "s" in "s = socket(tcp)", empty if none
  CompactText name;                // "socket", "closesocket", ... as written
  CallId id = CallId::None;        // the call table's row (set once the arguments check out)
  std::vector<Argument> args;
  SourceSpan name_span;
  std::optional<ResultSpec> result;  // required for every call step; the parser enforces it
};

struct PeerAction {
  enum class Kind { Send, StopReading, StartReading, Close, Reset, Connect,
                    Shutdown, CloseSocket, Abort };  // the peer's side of a close (C45, C50)
  Kind kind = Kind::Send;
  std::int64_t bytes = 0;  // Send
};

struct Expectation {
  enum class Kind {
    PeerSees,       // peer(s) sees RST|FIN               (subject s, what "RST"/"FIN")
    PeerReceived,   // peer(s) received N bytes [after close]
    OpCompletes,    // o1 completes STATUS [via event|apc|port]
    HandleReturned, // WPUCloseSocketHandle(s)
    FileHandleClosed,  // CloseHandle(s): an IFS provider closed s's file handle
    HandleReleased,    // handle released(s): s released either way (WPU hand-back or CloseHandle)
    Released,       // released(s): the socket's state discarded
    ThreadWakes,    // A.t2 wakes
    NetworkEvent,   // FD_CLOSE(s), FD_READ(s)... (what = the event name)
  };
  Kind kind = Kind::PeerSees;
  bool negated = false;        // "no ..."
  CompactText subject;         // s, o1, A.t2
  SourceSpan subject_span;     // where the subject is written
  CompactText what;            // RST/FIN; FD_* name; via name ("" = any) for OpCompletes
  std::int64_t bytes = 0;      // PeerReceived
  bool after_close = false;    // PeerReceived
  int status = 0;              // OpCompletes
  bool any_status = false;     // OpCompletes with no status written
};

struct Step {
  int line = 0;
  StepTime time;
  enum class ActorKind { Thread, Peer, Expect } actor_kind = ActorKind::Thread;
  CompactText process;  // Thread: "A"
  CompactText thread;   // Thread: "main"
  CompactText peer_of;  // Peer: "s"
  SourceSpan subject_span;  // Peer: where `s` is written in `peer(s)`
  SourceSpan actor_span;
  // Exactly one of these, by actor_kind.
  CallAction call;
  PeerAction peer;
  Expectation expect;
  CompactText source;   // the whole line as written (for messages and shrinking)
};

struct Scenario {
  std::string file;                    // as given on the command line
  std::vector<std::string> lines;      // source lines, for diagnostics
  std::string title;
  std::vector<int> rules;              // the `rules` directive: 1..14
  ProviderKind provider = ProviderKind::NonIfs;
  ProfileKind profile = ProfileKind::Documented;
  LinkConfig link;
  std::uint64_t seed = 0;
  bool has_seed = false;
  std::string schedule;                // `schedule 0.1.0` directive (pinned exploration), if any
  std::vector<Step> steps;             // in file order (= time order)
};

}  // namespace closesim
