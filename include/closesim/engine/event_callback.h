// What an event runs: any callable taking no arguments, held without std::function's costs. A
// callable that is trivially copyable and at most kInline bytes (a lambda capturing `this` and a
// few ids, what the simulator schedules) lives inside the EventCallback: moving it is a copy of
// a few words and destroying it is nothing. Anything else is boxed on the heap, as
// std::function would.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace closesim {

class EventCallback {
 public:
  static constexpr std::size_t kInline = 24;

  EventCallback() = default;
  // Empty if `f` is an empty std::function or a null function pointer.
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, EventCallback> && std::is_invocable_v<std::decay_t<F>&>)
  EventCallback(F&& f) {  // NOLINT(google-explicit-constructor): a lambda is an EventCallback
    using D = std::decay_t<F>;
    if constexpr (std::is_constructible_v<bool, const D&>) {
      if (!static_cast<bool>(f)) return;
    }
    if constexpr (sizeof(D) <= kInline && alignof(D) <= kBufferAlign &&
                  std::is_trivially_copyable_v<D>) {
      ::new (static_cast<void*>(buffer_)) D(std::forward<F>(f));
      call_ = [](void* p) { (*std::launder(static_cast<D*>(p)))(); };
    } else {
      std::unique_ptr<D> boxed = std::make_unique<D>(std::forward<F>(f));
      D* raw = boxed.release();
      std::memcpy(buffer_, &raw, sizeof raw);
      call_ = [](void* p) { (*boxed_at<D>(p))(); };
      drop_ = [](void* p) { delete boxed_at<D>(p); };
    }
  }

  EventCallback(EventCallback&& other) noexcept { take(other); }
  EventCallback& operator=(EventCallback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  EventCallback(const EventCallback&) = delete;
  EventCallback& operator=(const EventCallback&) = delete;
  ~EventCallback() { reset(); }

  explicit operator bool() const { return call_ != nullptr; }
  // REQUIRES: not empty.
  void operator()() { call_(buffer_); }
  // Releases what the callable holds now.
  void reset() {
    if (drop_ != nullptr) drop_(buffer_);
    call_ = nullptr;
    drop_ = nullptr;
  }

 private:
  static constexpr std::size_t kBufferAlign = alignof(void*);

  template <class D>
  static D* boxed_at(void* p) {
    D* raw = nullptr;
    std::memcpy(&raw, p, sizeof raw);
    return raw;
  }
  // Both kinds of contents move by copying their bytes: an inline callable is trivially
  // copyable, a boxed one is a pointer.
  void take(EventCallback& other) {
    call_ = other.call_;
    drop_ = other.drop_;
    std::memcpy(buffer_, other.buffer_, kInline);
    other.call_ = nullptr;
    other.drop_ = nullptr;
  }

  void (*call_)(void*) = nullptr;
  void (*drop_)(void*) = nullptr;  // null: nothing to release (empty, or held inline)
  alignas(kBufferAlign) unsigned char buffer_[kInline];
};

}  // namespace closesim
