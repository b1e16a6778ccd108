// ShadowState's queries: each a lookup in the state or one of its indices (shadow_state.h).
#include <algorithm>

#include "rules/shadow_state.h"

namespace closesim::rules {

const DescriptorShadow* ShadowState::live(std::string_view process, Handle h) const {
  auto it = live_.find(DescKeyLess::View{process, h});
  return it == live_.end() ? nullptr : &it->second;
}

const DescriptorShadow* ShadowState::app_live(std::string_view process, Handle h) const {
  const DescriptorShadow* d = live(process, h);
  return d != nullptr && d->app() ? d : nullptr;
}

const DescriptorShadow* ShadowState::app_of(std::string_view process, Handle h) const {
  const DescriptorShadow* d = live(process, h);
  if (d == nullptr || d->app()) return d;
  const DescKey lower{std::string(process), h};
  for (auto it = uppers_.lower_bound({lower, DescKey{}}); it != uppers_.end() && it->first == lower;
       ++it) {
    const DescriptorShadow* upper = live(it->second);
    if (upper != nullptr && upper->socket == d->socket) return upper;
  }
  return d;
}

const DescriptorShadow* ShadowState::by_id(std::uint64_t id) const {
  auto it = key_of_.find(id);
  return it == key_of_.end() ? nullptr : live(it->second);
}

std::vector<const DescriptorShadow*> ShadowState::descriptors_of(SocketId s) const {
  std::vector<const DescriptorShadow*> out;
  for (auto it = by_socket_.lower_bound({s, 0}); it != by_socket_.end() && it->first == s; ++it)
    out.push_back(by_id(it->second));
  std::sort(out.begin(), out.end(),
            [](const DescriptorShadow* a, const DescriptorShadow* b) { return a->key < b->key; });
  return out;
}

const SocketShadow& ShadowState::socket(SocketId s) const {
  static const SocketShadow kUnknown;
  if (s < kDenseSockets) return s < dense_sockets_.size() ? dense_sockets_[s] : kUnknown;
  auto it = sparse_sockets_.find(s);
  return it == sparse_sockets_.end() ? kUnknown : it->second;
}

SocketShadow& ShadowState::socket_mut(SocketId s) {
  if (s >= kDenseSockets) {
    SocketShadow& shadow = sparse_sockets_[s];
    shadow.id = s;
    return shadow;
  }
  if (s >= dense_sockets_.size()) dense_sockets_.resize(s + 1);
  SocketShadow& shadow = dense_sockets_[s];
  shadow.id = s;
  return shadow;
}

int ShadowState::references(SocketId s) const { return other_references(s, 0); }

int ShadowState::other_references(SocketId s, std::uint64_t except) const {
  int n = 0;
  for (auto it = by_socket_.lower_bound({s, 0}); it != by_socket_.end() && it->first == s; ++it) {
    const DescriptorShadow& d = *by_id(it->second);
    if (d.app() && !d.dropped && d.id != except) ++n;
  }
  return n;
}

int ShadowState::remaining_references(SocketId s) const {
  int n = 0;
  for (auto it = by_socket_.lower_bound({s, 0}); it != by_socket_.end() && it->first == s; ++it) {
    const DescriptorShadow& d = *by_id(it->second);
    if (d.app() && !d.dropped && !closing(d.id)) ++n;
  }
  return n;
}

const DescriptorShadow* ShadowState::remaining_holder(SocketId s) const {
  for (const DescriptorShadow* d : descriptors_of(s)) {
    if (d->app() && !d->dropped && !closing(d->id)) return d;
  }
  return nullptr;
}

const CallShadow* ShadowState::call(std::string_view thread) const {
  auto it = calls_.find(thread);
  return it == calls_.end() ? nullptr : &it->second;
}

const CloseShadow* ShadowState::close_by_thread(std::string_view thread) const {
  auto it = closes_.find(thread);
  return it == closes_.end() ? nullptr : &it->second;
}

const CloseShadow* ShadowState::handle_close_by_thread(std::string_view thread) const {
  auto it = handle_closes_.find(thread);
  return it == handle_closes_.end() ? nullptr : &it->second;
}

const CloseShadow* ShadowState::close_of(std::uint64_t descriptor) const {
  auto it = close_thread_.find(descriptor);
  return it == close_thread_.end() ? nullptr : close_by_thread(it->second);
}

bool ShadowState::closing(std::uint64_t descriptor) const {
  if (close_of(descriptor) != nullptr) return true;
  auto it = key_of_.find(descriptor);
  return it != key_of_.end() && cleaning(it->second.first);
}

std::optional<std::size_t> ShadowState::completion_index(std::string_view name) const {
  auto it = ops_by_name_.find(name);
  if (it == ops_by_name_.end()) return std::nullopt;
  for (std::size_t i : it->second) {
    if (!ops_[i].completed) return i;
  }
  return it->second.back();
}

const OpShadow* ShadowState::op_for_completion(std::string_view name) const {
  auto i = completion_index(name);
  return i ? &ops_[*i] : nullptr;
}

const OpShadow* ShadowState::op_for_action(std::string_view name) const {
  auto it = ops_by_name_.find(name);
  if (it == ops_by_name_.end()) return nullptr;
  for (auto i = it->second.rbegin(); i != it->second.rend(); ++i) {
    if (ops_[*i].completed) return &ops_[*i];
  }
  return &ops_[it->second.back()];
}

std::vector<const OpShadow*> ShadowState::pending_ops(std::uint64_t descriptor) const {
  std::vector<const OpShadow*> out;
  if (descriptor == 0) return out;
  for (auto it = pending_.lower_bound({descriptor, 0});
       it != pending_.end() && it->first == descriptor; ++it)
    out.push_back(&ops_[it->second]);
  return out;
}

bool ShadowState::cleaning(std::string_view process) const {
  return cleaning_.find(process) != cleaning_.end();
}

bool ShadowState::initialised(std::string_view process) const {
  return uninitialised_.find(process) == uninitialised_.end();
}

}  // namespace closesim::rules
