// A string held by the million: half the size of a std::string (16 bytes, not 32), keeping 14
// bytes inline where a std::string keeps 15. A long run keeps tens of millions of trace records
// and a large scenario millions of steps, each with several strings. Reads look like a
// std::string's; a value, once set, is only ever replaced whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <compare>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace closesim {

class CompactText {
 public:
  static constexpr std::size_t npos = std::string_view::npos;

  CompactText() noexcept { clear_inline(); }
  CompactText(std::string_view s) { assign(s); }  // NOLINT: a record's fields take any string
  CompactText(const char* s) : CompactText(std::string_view(s)) {}  // NOLINT
  CompactText(const std::string& s) : CompactText(std::string_view(s)) {}  // NOLINT
  CompactText(const CompactText& o) { assign(o.view()); }
  CompactText(CompactText&& o) noexcept {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.clear_inline();
  }
  CompactText& operator=(const CompactText& o) {
    if (this != &o) {
      release();
      assign(o.view());
    }
    return *this;
  }
  CompactText& operator=(CompactText&& o) noexcept {
    if (this != &o) {
      release();
      std::memcpy(bytes_, o.bytes_, sizeof bytes_);
      o.clear_inline();
    }
    return *this;
  }
  CompactText& operator=(std::string_view s) {
    release();
    assign(s);
    return *this;
  }
  CompactText& operator=(const std::string& s) { return *this = std::string_view(s); }
  CompactText& operator=(const char* s) { return *this = std::string_view(s); }
  ~CompactText() { release(); }

  std::string_view view() const noexcept { return {data(), size()}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: reads as a string
  // So a record's field still goes where a std::string is taken (a map's key, a const
  // std::string& parameter); a copy, which short texts make without allocating.
  operator std::string() const { return str(); }  // NOLINT
  std::string str() const { return std::string(view()); }

  const char* data() const noexcept { return on_heap() ? heap_ptr() : bytes_; }
  const char* c_str() const noexcept { return data(); }  // always NUL-terminated
  std::size_t size() const noexcept { return on_heap() ? heap_size() : inline_size(); }
  std::size_t length() const noexcept { return size(); }
  bool empty() const noexcept { return size() == 0; }
  const char* begin() const noexcept { return data(); }
  const char* end() const noexcept { return data() + size(); }
  char operator[](std::size_t i) const noexcept { return data()[i]; }
  char front() const noexcept { return data()[0]; }
  char back() const noexcept { return data()[size() - 1]; }

  std::size_t find(std::string_view s, std::size_t from = 0) const noexcept {
    return view().find(s, from);
  }
  std::size_t find(char c, std::size_t from = 0) const noexcept { return view().find(c, from); }
  std::size_t rfind(std::string_view s, std::size_t from = npos) const noexcept {
    return view().rfind(s, from);
  }
  std::size_t rfind(char c, std::size_t from = npos) const noexcept {
    return view().rfind(c, from);
  }
  bool starts_with(std::string_view s) const noexcept { return view().starts_with(s); }
  bool starts_with(char c) const noexcept { return view().starts_with(c); }
  bool ends_with(std::string_view s) const noexcept { return view().ends_with(s); }
  bool ends_with(char c) const noexcept { return view().ends_with(c); }
  std::string substr(std::size_t pos, std::size_t n = npos) const {
    return std::string(view().substr(pos, n));
  }
  int compare(std::string_view s) const noexcept { return view().compare(s); }
  // Bytes held outside the object (0 for a short text), for the benchmarks' accounting.
  std::size_t heap_bytes() const noexcept { return on_heap() ? heap_size() + 1 : 0; }

  friend bool operator==(const CompactText& a, const CompactText& b) noexcept {
    return a.view() == b.view();
  }
  friend bool operator==(const CompactText& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const CompactText& a, const std::string& b) noexcept {
    return a.view() == std::string_view(b);
  }
  friend bool operator==(const CompactText& a, const char* b) noexcept {
    return a.view() == std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const CompactText& a, const CompactText& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const CompactText& a, std::string_view b) noexcept {
    return a.view() <=> b;
  }
  // A std::string converts both to a view and to a compact text, so without these two a
  // transparent map (std::less<>) keyed by one and searched with the other is ambiguous.
  friend std::strong_ordering operator<=>(const CompactText& a, const std::string& b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const CompactText& a, const char* b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::string operator+(const std::string& a, const CompactText& b) {
    std::string s = a;
    s += b.view();
    return s;
  }
  friend std::string operator+(const CompactText& a, const std::string& b) {
    std::string s = a.str();
    s += b;
    return s;
  }
  friend std::string operator+(const char* a, const CompactText& b) {
    std::string s = a;
    s += b.view();
    return s;
  }
  friend std::string operator+(const CompactText& a, const char* b) {
    std::string s = a.str();
    s += b;
    return s;
  }
  friend std::string operator+(const CompactText& a, char b) {
    std::string s = a.str();
    s += b;
    return s;
  }
  friend std::ostream& operator<<(std::ostream& os, const CompactText& t) { return os << t.view(); }

 private:
  // Inline: up to 14 bytes, a NUL, and the last byte holds the length. On the heap: a pointer
  // and a 32-bit length, and the last byte says so.
  static constexpr std::size_t kInline = 14;
  static constexpr unsigned char kHeapTag = 0x80;

  bool on_heap() const noexcept { return static_cast<unsigned char>(bytes_[15]) == kHeapTag; }
  std::size_t inline_size() const noexcept { return static_cast<unsigned char>(bytes_[15]); }
  char* heap_ptr() const noexcept {
    char* p;
    std::memcpy(&p, bytes_, sizeof p);
    return p;
  }
  std::size_t heap_size() const noexcept {
    std::uint32_t n;
    std::memcpy(&n, bytes_ + 8, sizeof n);
    return n;
  }
  void clear_inline() noexcept {
    std::memset(bytes_, 0, sizeof bytes_);
  }
  void assign(std::string_view s) {
    if (s.size() <= kInline) {
      std::memset(bytes_, 0, sizeof bytes_);
      if (!s.empty()) std::memcpy(bytes_, s.data(), s.size());
      bytes_[15] = static_cast<char>(s.size());
      return;
    }
    // Longer than a record's text ever is (4 GiB) would not fit the length: cut, never wrap.
    const std::uint32_t n = s.size() > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(s.size());
    char* p = new char[n + 1];
    std::memcpy(p, s.data(), n);
    p[n] = '\0';
    std::memset(bytes_, 0, sizeof bytes_);
    std::memcpy(bytes_, &p, sizeof p);
    std::memcpy(bytes_ + 8, &n, sizeof n);
    bytes_[15] = static_cast<char>(kHeapTag);
  }
  void release() noexcept {
    if (on_heap()) delete[] heap_ptr();
    clear_inline();
  }

  alignas(8) char bytes_[16];
};

}  // namespace closesim

template <>
struct fmt::formatter<closesim::CompactText> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const closesim::CompactText& t, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(t.view(), ctx);
  }
};

template <>
struct std::hash<closesim::CompactText> {
  std::size_t operator()(const closesim::CompactText& t) const noexcept {
    return std::hash<std::string_view>{}(t.view());
  }
};
