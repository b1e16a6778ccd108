#include "processes.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace realstack {

namespace {

std::vector<HANDLE> g_children;  // made and waited for by the parent's main thread only

}  // namespace

std::vector<std::string> plan_processes(const PlanFile& plan) {
  std::vector<std::string> out;
  for (const PlanStep& st : plan.steps)
    if (!st.peer && std::find(out.begin(), out.end(), st.process) == out.end()) out.push_back(st.process);
  return out;
}

bool start_children(const std::vector<std::string>& processes, const std::string& plan_path,
                    const std::string& out_path, const std::string& shared_base, SharedRun& shared,
                    std::string& why) {
  char exe[MAX_PATH];
  GetModuleFileNameA(nullptr, exe, MAX_PATH);
  for (std::size_t i = 1; i < processes.size(); ++i) {
    std::string line = "\"" + std::string(exe) + "\" \"" + plan_path + "\" --out \"" + out_path +
                       "\" --child " + processes[i] + " --shared " + shared_base + " --index " +
                       std::to_string(i);
    STARTUPINFOA si{};
    si.cb = sizeof si;
    PROCESS_INFORMATION pi{};
    if (!CreateProcessA(nullptr, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi)) {
      why = "could not start the child for process " + processes[i] + ": error " + std::to_string(GetLastError());
      return false;
    }
    CloseHandle(pi.hThread);
    g_children.push_back(pi.hProcess);
    shared.process(processes[i])->pid = pi.dwProcessId;
  }
  for (int waited = 0; waited < 30'000; waited += 5) {
    bool all = true;
    for (std::size_t i = 1; i < processes.size(); ++i)
      all &= std::atomic_ref<std::int32_t>(shared.process(processes[i])->ready).load() == 1;
    if (all) return true;
    Sleep(5);
  }
  why = "a child process did not get ready within 30 s";
  return false;
}

int finish_children(DWORD wall_ms) {
  int ended = 0;
  if (g_children.empty()) return 0;
  if (WaitForMultipleObjects(static_cast<DWORD>(g_children.size()), g_children.data(), TRUE, wall_ms) == WAIT_TIMEOUT) {
    for (HANDLE h : g_children)
      if (WaitForSingleObject(h, 0) == WAIT_TIMEOUT) {
        TerminateProcess(h, 1);
        ++ended;
      }
  }
  return ended;
}

}  // namespace realstack
