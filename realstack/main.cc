// realstack: plays a closesim plan on the real ws2_32 (Windows, or Wine) and writes what the
// application and the peer observed as closesim trace records, one JSON object a line.
//
//   realstack PLAN [--out TRACE.jsonl]
//   realstack PLAN --out TRACE.jsonl --child PROCESS --shared NAME --index N   (started by itself)
//
// One real thread per scenario thread, one process per scenario process (the first plays the
// first, and starts a child for each other); the peer is the far end of a loopback TCP
// connection, driven by the first process.
// Steps start at their virtual time (scaled to wall-clock time) and in file order: a step waits
// for the step above it to return, or, if that one is written as blocking, to have been blocked
// for a moment (a real stack cannot say when a thread has parked).
#include <winsock2.h>
#include <windows.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "calls.h"
#include "plan_file.h"
#include "processes.h"
#include "realm.h"
#include "sequencer.h"
#include "shared_run.h"
#include "trace_log.h"

namespace realstack {

namespace {

// One connection made and dropped before time zero: Wine (and a cold Windows) spend tens of
// milliseconds on the first socket, connect and thread of a process, which would otherwise land
// on the scenario's first steps.
void warm_up(Realm& realm) {
  SOCKET a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(a, reinterpret_cast<const sockaddr*>(&realm.listen_addr), sizeof realm.listen_addr);
  SOCKET b = accept(realm.listener, nullptr, nullptr);
  char byte = 0;
  send(a, &byte, 1, 0);
  recv(b, &byte, 1, 0);
  closesocket(b);
  closesocket(a);
  WSAOVERLAPPED ov{};
  ov.hEvent = WSACreateEvent();
  WSACloseEvent(ov.hEvent);
  std::thread([] {}).join();
}

// `peer(l) connect`: the runner connects to the scenario's listening socket; the connection waits
// in l's backlog for accept(l), which takes its far end. Returns why not, or "".
std::string connect_to_listener(Realm& realm, TraceLog& log, const std::string& listener) {
  sockaddr_in addr{};
  int len = sizeof addr;
  {
    std::lock_guard<std::mutex> lock(realm.mu);
    auto it = realm.sockets.find(listener);
    if (it == realm.sockets.end()) return "there is no socket " + listener;
    if (getsockname(it->second.sock, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return listener + " is not listening";
  }
  SOCKET far_end = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (connect(far_end, reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
    closesocket(far_end);
    return "connect failed with " + error_name(WSAGetLastError());
  }
  std::lock_guard<std::mutex> lock(realm.mu);
  std::vector<std::string>& accepting = realm.accepting[listener];
  if (accepting.empty()) {
    realm.unaccepted[listener].push_back(far_end);
    return "";
  }
  // A pending AcceptEx takes this connection: its accept socket's far end is this one.
  RealSocket& accepted = realm.sockets[accepting.front()];
  accepting.erase(accepting.begin());
  if (accepted.peer) realm.retired_peers.push_back(std::move(accepted.peer));
  accepted.peer = std::make_unique<PeerEnd>(far_end, accepted.id, accepted.name, log);
  return "";
}

// Before time zero in a child: its first socket, event and thread (it has no listener to reach).
void warm_up_child() {
  SOCKET a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  closesocket(a);
  WSAEVENT e = WSACreateEvent();
  WSACloseEvent(e);
  std::thread([] {}).join();
}

int run(const PlanFile& plan, const std::string& plan_path, const std::string& out_path, std::FILE* out,
        Role role) {
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
    std::fprintf(stderr, "realstack: WSAStartup failed\n");
    return 2;
  }
  Clock clock(plan.time_scale);
  TraceLog log(out, clock);
  Realm realm;
  realm.next_socket = 1 + 1000 * static_cast<std::uint32_t>(role.index);  // no two processes share a number
  const std::vector<std::string> processes = plan_processes(plan);
  SharedRun* shared = nullptr;
  if (role.child) {
    shared = SharedRun::open(role.shared + "-run");
    HANDLE mutex = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, (role.shared + "-log").c_str());
    if (!shared || !mutex) {
      std::fprintf(stderr, "realstack: child %s cannot open the parent's shared run\n", role.process.c_str());
      return 2;
    }
    log.share(&shared->seq, mutex);
    warm_up_child();
  } else {
    if (processes.size() > 1) role.shared = "Local\\closesim-" + std::to_string(GetCurrentProcessId());
    shared = SharedRun::create(role.shared.empty() ? "" : role.shared + "-run", static_cast<int>(plan.steps.size()));
    if (!shared) {
      std::fprintf(stderr, "realstack: cannot make the shared run\n");
      return 2;
    }
    if (!role.shared.empty()) log.share(&shared->seq, CreateMutexA(nullptr, FALSE, (role.shared + "-log").c_str()));
    if (!processes.empty()) role.process = processes.front();
    shared->process(role.process)->pid = GetCurrentProcessId();
  }
  if (!role.child) realm.listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  // Only a scenario whose peer stops reading needs data to pile up; a small window would slow
  // every other scenario's reading peer down.
  bool peer_pauses = false;
  for (const PlanStep& st : plan.steps) peer_pauses |= st.peer && st.action == "stop_reading";
  if (peer_pauses && !role.child) {
    int rcvbuf = Realm::kPeerReceiveBuffer;  // accepted ends inherit it
    setsockopt(realm.listener, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char*>(&rcvbuf), sizeof rcvbuf);
  }
  realm.listen_addr.sin_family = AF_INET;
  realm.listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof realm.listen_addr;
  if (!role.child && (bind(realm.listener, reinterpret_cast<sockaddr*>(&realm.listen_addr), len) != 0 ||
                      listen(realm.listener, 16) != 0 ||
                      getsockname(realm.listener, reinterpret_cast<sockaddr*>(&realm.listen_addr), &len) != 0)) {
    std::fprintf(stderr, "realstack: cannot listen on loopback: %d\n", WSAGetLastError());
    return 2;
  }
  if (!role.child) warm_up(realm);
  CallContext cx{realm, log, clock, plan.sndbuf, shared};
  Sequencer seq(plan, clock, *shared);

  // One worker per scenario thread, each with its own steps in file order.
  std::map<std::string, std::vector<std::size_t>> by_thread;
  std::vector<std::size_t> peer_steps;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].peer) {
      if (!role.child) peer_steps.push_back(i);  // the peer is the parent's: it owns the far ends
    } else if (plan.steps[i].process == role.process) {
      by_thread[plan.steps[i].actor()].push_back(i);
    }
  }
  std::atomic<bool> finished{false};
  std::atomic<bool> go{false};
  std::thread poller([&] {
    while (!finished) {
      poll_completions(cx);
      std::this_thread::sleep_for(std::chrono::microseconds(250));
    }
  });
  std::vector<std::thread> workers;
  std::atomic<int> running{0};
  for (auto& [actor, steps] : by_thread) {
    ++running;
    workers.emplace_back([&, steps = steps] {
      while (!go) std::this_thread::sleep_for(std::chrono::microseconds(100));
      for (std::size_t k : steps) {
        seq.wait_turn(k);
        play_call(plan.steps[k], cx);
        seq.done(k);
        if (plan.steps[k].call == "ExitThread") {
          // The thread really ends, without unwinding, as the scenario's does: its overlapped
          // I/O is left to what the stack does with an exited thread's I/O (C24).
          --running;
          ExitThread(0);
        }
      }
      --running;
    });
  }
  ++running;
  workers.emplace_back([&] {
    while (!go) std::this_thread::sleep_for(std::chrono::microseconds(100));
    for (std::size_t k : peer_steps) {
      seq.wait_turn(k);
      const PlanStep& st = plan.steps[k];
      PeerEnd* peer = nullptr;
      {
        std::lock_guard<std::mutex> lock(realm.mu);
        auto it = realm.sockets.find(st.subject);
        if (it != realm.sockets.end()) peer = it->second.peer.get();
      }
      std::string why;
      if (st.action == "connect") {
        why = connect_to_listener(realm, log, st.subject);
      } else if (!peer) {
        why = "peer(" + st.subject + ") has no connection";
      }
      if (peer && st.action != "connect") peer->act(st.action, st.bytes, st.line, why);
      if (!why.empty()) {
        Record r;
        r.kind = "Note";
        r.actor = "peer";
        r.text = "peer(" + st.subject + ") cannot " + st.action + ": " + why;
        r.line = st.line;
        log.write(r);
      }
      seq.done(k);
    }
    --running;
  });

  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // every worker is waiting
  if (role.child) {
    std::atomic_ref<std::int32_t>(shared->process(role.process)->ready).store(1);
    while (std::atomic_ref<std::int32_t>(shared->go).load() == 0) Sleep(1);
    clock.start_at(std::atomic_ref<std::int64_t>(shared->t0).load());
  } else {
    std::string why;
    if (processes.size() > 1 && !start_children(processes, plan_path, out_path, role.shared, *shared, why)) {
      std::fprintf(stderr, "realstack: %s\n", why.c_str());
      finish_children(0);
      return 2;
    }
    clock.start();
    std::atomic_ref<std::int64_t>(shared->t0).store(clock.origin());
    std::atomic_ref<std::int32_t>(shared->go).store(1);
  }
  go = true;
  // Let what the scenario set going settle: the last step or expectation, then the tolerance,
  // at least 100ms and at most 500ms of wall time for FINs, RSTs and background drains to arrive
  // (a loopback delivers within milliseconds; a wide tolerance is for a loaded scheduler, and
  // waiting all of it would make a batch of runs mostly sleep).
  std::int64_t last = plan.horizon;
  for (const PlanStep& st : plan.steps) last = std::max(last, st.blocking && !st.end_any ? st.end : st.start);
  const auto wall_ms = [&](std::int64_t ms) { return static_cast<std::int64_t>(ms * 1'000'000 / plan.time_scale); };
  const std::int64_t settle = std::clamp<std::int64_t>(plan.tolerance, wall_ms(100), wall_ms(500));
  // However late the runner is, every step is played (a minute's grace for a stuck one).
  while (!seq.all_started() && clock.now() < last + 60 * plan.tolerance + 60'000'000'000 / plan.time_scale)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  last = std::max(last, clock.now());
  clock.sleep_until(last + settle);
  while (running > 0 && clock.now() < last + 4 * settle) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  finished = true;
  poller.join();
  poll_completions(cx);
  // The children watch as long as the parent, by the same clock: give them that and a second.
  const int ended = role.child ? 0 : finish_children(static_cast<DWORD>(4 * settle * plan.time_scale / 1e6) + 1000);
  if (ended > 0) {
    Record r;
    r.kind = "Note";
    r.actor = "runner";
    r.text = "child processes still running at the end of the run, ended: " + std::to_string(ended);
    log.write(r);
  }
  if (running > 0) {
    Record r;
    r.kind = "Note";
    r.actor = "runner";
    r.text = "threads still blocked at the end of the run: " + std::to_string(running);
    log.write(r);
  }
  log.flush();
  std::fflush(out);
  // The parent says the trace is whole (closesim then need not wait for the process to end).
  if (!role.child && !out_path.empty())
    if (std::FILE* done = std::fopen((out_path + ".done").c_str(), "wb")) std::fclose(done);
  // Blocked threads cannot be joined: end the process as the scenario leaves it. Terminated, not
  // exited: ExitProcess runs every DLL's detach while those threads may hold its locks, and was
  // seen, rarely, to hang there under Wine; the trace is flushed already.
  TerminateProcess(GetCurrentProcess(), 0);
  return 0;
}

}  // namespace

}  // namespace realstack

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: realstack PLAN [--out TRACE.jsonl]\n");
    return 2;
  }
  std::string out_path;
  realstack::Role role;
  for (int i = 2; i + 1 < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--out") out_path = argv[i + 1];
    if (flag == "--child") {
      role.child = true;
      role.process = argv[i + 1];
    }
    if (flag == "--shared") role.shared = argv[i + 1];
    if (flag == "--index") role.index = std::atoi(argv[i + 1]);
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "realstack: cannot read %s\n", argv[1]);
    return 2;
  }
  realstack::PlanFile plan;
  std::string error;
  if (!realstack::read_plan(in, plan, error)) {
    std::fprintf(stderr, "realstack: %s\n", error.c_str());
    return 2;
  }
  std::FILE* out = stdout;
  // A child appends to the parent's trace (every record written whole under the shared mutex).
  // The parent empties the file first; every process then appends, so no write lands on another's.
  if (!out_path.empty() && !role.child)
    if (std::FILE* f = std::fopen(out_path.c_str(), "wb")) std::fclose(f);
  if (!out_path.empty() && !(out = std::fopen(out_path.c_str(), "ab"))) {
    std::fprintf(stderr, "realstack: cannot write %s\n", out_path.c_str());
    return 2;
  }
  return realstack::run(plan, argv[1], out_path, out, role);
}
