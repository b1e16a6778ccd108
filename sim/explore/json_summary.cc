// The JSON summary of an exploration (docs/explore.md, "JSON summary"): writing it, and reading
// it back for `closesim merge`. The reader is a small recursive-descent JSON parser; it accepts
// any JSON text and then looks for the fields a summary has.
#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "closesim/engine/schedule.h"
#include "closesim/explore.h"

namespace closesim {

namespace {

constexpr const char* kFormat = "closesim-explore/1";

// --- writing ---

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

// --- reading ---

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  bool boolean = false;
  std::string text;  // a string's value, or a number as written
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  const Json* get(const std::string& key) const {
    for (const auto& m : members)
      if (m.first == key) return &m.second;
    return nullptr;
  }
};

class Reader {
 public:
  explicit Reader(const std::string& text) : s_(text) {}

  bool parse(Json& out) {
    if (!value(out, 0)) return false;
    blank();
    if (i_ != s_.size()) return fail("unexpected text after the summary");
    return true;
  }
  std::string error() const { return error_; }

 private:
  bool fail(const std::string& what) {
    if (error_.empty()) {
      int line = 1;
      for (std::size_t k = 0; k < i_ && k < s_.size(); ++k) line += s_[k] == '\n';
      error_ = fmt::format("line {}: {}", line, what);
    }
    return false;
  }
  void blank() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool literal(const char* word) {
    std::string w(word);
    if (s_.compare(i_, w.size(), w) != 0) return false;
    i_ += w.size();
    return true;
  }
  bool value(Json& out, int depth) {
    if (depth > 64) return fail("nested too deeply");
    blank();
    if (i_ >= s_.size()) return fail("unexpected end of text");
    const char c = s_[i_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.type = Json::Type::String;
      return string(out.text);
    }
    if (literal("true")) { out.type = Json::Type::Bool; out.boolean = true; return true; }
    if (literal("false")) { out.type = Json::Type::Bool; out.boolean = false; return true; }
    if (literal("null")) { out.type = Json::Type::Null; return true; }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t start = i_++;
      while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.' || s_[i_] == 'e' ||
                                s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
        ++i_;
      out.type = Json::Type::Number;
      out.text = s_.substr(start, i_ - start);
      return true;
    }
    return fail(fmt::format("unexpected '{}'", c));
  }
  bool string(std::string& out) {
    ++i_;  // the opening quote
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = 0;
          if (i_ + 4 > s_.size()) return fail("bad \\u escape");
          auto [next, ec] = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, code, 16);
          if (ec != std::errc() || next != s_.data() + i_ + 4) return fail("bad \\u escape");
          i_ += 4;
          // UTF-8 for the basic plane (the writer only escapes control characters).
          if (code < 0x80) {
            out += static_cast<char>(code);
          } else if (code < 0x800) {
            out += static_cast<char>(0xc0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3f));
          } else {
            out += static_cast<char>(0xe0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (code & 0x3f));
          }
          break;
        }
        default: return fail("bad escape in a string");
      }
    }
    if (i_ >= s_.size()) return fail("unterminated string");
    ++i_;
    return true;
  }
  bool array(Json& out, int depth) {
    out.type = Json::Type::Array;
    ++i_;
    blank();
    if (i_ < s_.size() && s_[i_] == ']') { ++i_; return true; }
    for (;;) {
      Json item;
      if (!value(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
      blank();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == ']') { ++i_; return true; }
      return fail("expected ',' or ']'");
    }
  }
  bool object(Json& out, int depth) {
    out.type = Json::Type::Object;
    ++i_;
    blank();
    if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
    for (;;) {
      blank();
      if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a key");
      std::string key;
      if (!string(key)) return false;
      blank();
      if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':'");
      ++i_;
      Json v;
      if (!value(v, depth + 1)) return false;
      out.members.emplace_back(std::move(key), std::move(v));
      blank();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == '}') { ++i_; return true; }
      return fail("expected ',' or '}'");
    }
  }

  const std::string& s_;
  std::size_t i_ = 0;
  std::string error_;
};

// Field readers: false (with `error` set) when a field is missing or of the wrong type.
class Fields {
 public:
  Fields(const Json& object, std::string where, std::string* error)
      : o_(object), where_(std::move(where)), error_(error) {}

  bool ok() const { return ok_; }

  std::string str(const char* key) {
    const Json* v = find(key, Json::Type::String);
    return v ? v->text : std::string();
  }
  bool boolean(const char* key) {
    const Json* v = find(key, Json::Type::Bool);
    return v ? v->boolean : false;
  }
  template <typename T>
  T number(const char* key) {
    const Json* v = find(key, Json::Type::Number);
    return v ? to_number<T>(*v, key) : T{};
  }
  template <typename T>
  std::optional<T> optional_number(const char* key) {
    const Json* v = o_.get(key);
    if (!v || v->type == Json::Type::Null) return std::nullopt;
    if (v->type != Json::Type::Number) return bad(key, "a number or null"), std::nullopt;
    return to_number<T>(*v, key);
  }
  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> out;
    const Json* v = find(key, Json::Type::Array);
    if (!v) return out;
    for (const Json& item : v->items) {
      if (item.type != Json::Type::String) {
        bad(key, "a list of strings");
        break;
      }
      out.push_back(item.text);
    }
    return out;
  }
  Answers schedule(const char* key) {
    std::string text = str(key);
    if (!ok_) return {};
    std::optional<Answers> a = parse_schedule(text);
    if (!a) return bad(key, "a schedule such as \"0.1.0\""), Answers{};
    return trim_schedule(*a);
  }
  std::uint64_t hash(const char* key) {
    std::string text = str(key);
    std::uint64_t h = 0;
    auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), h, 16);
    if (ok_ && (ec != std::errc() || next != text.data() + text.size() || text.empty()))
      bad(key, "16 hex digits");
    return h;
  }
  const Json* list(const char* key) { return find(key, Json::Type::Array); }

 private:
  const Json* find(const char* key, Json::Type type) {
    const Json* v = o_.get(key);
    if (!v) return missing(key), nullptr;
    if (v->type != type) {
      static const char* names[] = {"null", "true or false", "a number", "a string", "a list", "an object"};
      return bad(key, names[static_cast<int>(type)]), nullptr;
    }
    return v;
  }
  template <typename T>
  T to_number(const Json& v, const char* key) {
    T n{};
    auto [next, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), n);
    if (ec != std::errc() || next != v.text.data() + v.text.size()) bad(key, "a whole number");
    return n;
  }
  void missing(const char* key) {
    if (ok_) *error_ = fmt::format("{}: no field \"{}\"", where_, key);
    ok_ = false;
  }
  void bad(const char* key, const char* what) {
    if (ok_) *error_ = fmt::format("{}: \"{}\" must be {}", where_, key, what);
    ok_ = false;
  }

  const Json& o_;
  std::string where_;
  std::string* error_;
  bool ok_ = true;
};

}  // namespace

std::string summary_to_json(const ExploreSummary& s) {
  std::string out = "{\n";
  auto field = [&](const char* key, const std::string& value, bool last = false) {
    out += fmt::format("  \"{}\": {}{}\n", key, value, last ? "" : ",");
  };
  field("format", quote(kFormat));
  field("file", quote(s.file));
  field("title", quote(s.title));
  field("strategy", quote(s.strategy));
  field("provider", quote(s.provider));
  field("profile", quote(s.profile));
  field("mutant", quote(s.mutant));
  field("rules_mode", quote(s.rules_mode));
  field("expect_all", s.expect_all ? "true" : "false");
  field("check_determinism", s.check_determinism ? "true" : "false");
  field("max_schedules", std::to_string(s.max_schedules));
  field("preemption_bound", s.preemption_bound ? std::to_string(*s.preemption_bound) : "null");
  field("split_depth", std::to_string(s.split_depth));
  field("runs", std::to_string(s.runs));
  field("seed", std::to_string(s.seed));
  field("depth", std::to_string(s.depth));
  field("shard_count", std::to_string(s.shard_count));
  field("shards", fmt::format("[{}]", fmt::join(s.shards, ", ")));
  field("schedules", std::to_string(s.schedules));
  field("probes", std::to_string(s.probes));
  field("truncated", s.truncated ? "true" : "false");
  field("exhaustive", s.exhaustive() ? "true" : "false");
  field("exit_status", std::to_string(explore_exit_status(s)));

  out += "  \"classes\": [";
  for (std::size_t i = 0; i < s.classes.size(); ++i) {
    const OutcomeClass& c = s.classes[i];
    out += i ? ",\n" : "\n";
    out += fmt::format(
        "    {{\"hash\": {}, \"count\": {}, \"example\": {}, \"replay\": {}, \"failing\": {}, "
        "\"violated\": {}, \"violations\": {}, \"stuck\": {}, \"signature\": {}}}",
        quote(hash_text(c.hash)), c.count, quote(schedule_text(c.example)),
        quote(replay_command(s, c.example)), c.failing() ? "true" : "false", strings(c.violated),
        strings(c.violations), strings(c.stuck), strings(c.signature));
  }
  out += s.classes.empty() ? "],\n" : "\n  ],\n";

  // Derived, for readers that want the failures without walking the classes.
  std::vector<std::string> rules;
  for (const OutcomeClass& c : s.classes)
    for (const std::string& r : c.violated)
      if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
  std::sort(rules.begin(), rules.end(), [](const std::string& a, const std::string& b) {
    return parse_rule_name(a).value_or(RuleId::None) < parse_rule_name(b).value_or(RuleId::None);
  });
  out += "  \"failures\": [";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    std::uint64_t n = 0;
    const OutcomeClass* example = nullptr;
    for (const OutcomeClass& c : s.classes) {
      if (std::find(c.violated.begin(), c.violated.end(), rules[i]) == c.violated.end()) continue;
      n += c.count;
      if (!example || schedule_less(c.example, example->example)) example = &c;
    }
    out += i ? ",\n" : "\n";
    out += fmt::format("    {{\"rule\": {}, \"schedules\": {}, \"example\": {}, \"replay\": {}}}",
                       quote(rules[i]), n, quote(schedule_text(example->example)),
                       quote(replay_command(s, example->example)));
  }
  out += rules.empty() ? "],\n" : "\n  ],\n";

  out += "  \"expectations\": [";
  for (std::size_t i = 0; i < s.expectations.size(); ++i) {
    const ExpectationTally& e = s.expectations[i];
    out += i ? ",\n" : "\n";
    out += fmt::format(
        "    {{\"line\": {}, \"failed\": {}, \"depends_on_schedule\": {}, \"example\": {}, "
        "\"message\": {}}}",
        e.line, e.failed, e.failed < s.schedules ? "true" : "false",
        quote(schedule_text(e.example)), quote(e.message));
  }
  out += s.expectations.empty() ? "],\n" : "\n  ],\n";

  out += "  \"nondeterministic\": [";
  for (std::size_t i = 0; i < s.nondeterministic.size(); ++i) {
    const DeterminismFailure& d = s.nondeterministic[i];
    out += i ? ",\n" : "\n";
    out += fmt::format("    {{\"schedule\": {}, \"first\": {}, \"second\": {}}}",
                       quote(schedule_text(d.schedule)), quote(hash_text(d.first)),
                       quote(hash_text(d.second)));
  }
  out += s.nondeterministic.empty() ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

std::optional<ExploreSummary> summary_from_json(const std::string& text, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  Json root;
  Reader reader(text);
  if (!reader.parse(root)) {
    *error = reader.error();
    return std::nullopt;
  }
  if (root.type != Json::Type::Object) {
    *error = "not a closesim explore summary (expected a JSON object)";
    return std::nullopt;
  }
  Fields f(root, "summary", error);
  if (f.str("format") != kFormat) {
    if (f.ok()) *error = fmt::format("not a closesim explore summary (format is not \"{}\")", kFormat);
    return std::nullopt;
  }
  ExploreSummary s;
  s.file = f.str("file");
  s.title = f.str("title");
  s.strategy = f.str("strategy");
  s.provider = f.str("provider");
  s.profile = f.str("profile");
  s.mutant = f.str("mutant");
  s.rules_mode = f.str("rules_mode");
  s.expect_all = f.boolean("expect_all");
  s.check_determinism = f.boolean("check_determinism");
  s.max_schedules = f.number<std::uint64_t>("max_schedules");
  s.preemption_bound = f.optional_number<std::uint64_t>("preemption_bound");
  s.split_depth = f.number<std::uint64_t>("split_depth");
  s.runs = f.number<std::uint64_t>("runs");
  s.seed = f.number<std::uint64_t>("seed");
  s.depth = f.number<std::uint64_t>("depth");
  s.shard_count = f.number<std::uint32_t>("shard_count");
  s.shards.clear();
  if (const Json* shards = f.list("shards")) {
    for (const Json& item : shards->items) {
      std::uint32_t index = 0;
      auto [next, ec] = std::from_chars(item.text.data(), item.text.data() + item.text.size(), index);
      if (item.type != Json::Type::Number || ec != std::errc() ||
          next != item.text.data() + item.text.size()) {
        *error = "summary: \"shards\" must be a list of shard numbers";
        return std::nullopt;
      }
      s.shards.push_back(index);
    }
  }
  s.schedules = f.number<std::uint64_t>("schedules");
  s.probes = f.number<std::uint64_t>("probes");
  s.truncated = f.boolean("truncated");
  if (!f.ok()) return std::nullopt;
  if (s.strategy != "dpor" && s.strategy != "dfs" && s.strategy != "random" && s.strategy != "pct") {
    *error = fmt::format("summary: unknown strategy \"{}\"", s.strategy);
    return std::nullopt;
  }
  if (s.shard_count == 0 || s.shards.empty()) {
    *error = "summary: \"shard_count\" and \"shards\" must name at least one shard";
    return std::nullopt;
  }
  for (std::uint32_t i : s.shards) {
    if (i >= s.shard_count) {
      *error = fmt::format("summary: shard {} is not below shard_count {}", i, s.shard_count);
      return std::nullopt;
    }
  }

  if (const Json* classes = f.list("classes")) {
    for (std::size_t i = 0; i < classes->items.size(); ++i) {
      const Json& item = classes->items[i];
      if (item.type != Json::Type::Object) {
        *error = fmt::format("classes[{}]: expected an object", i);
        return std::nullopt;
      }
      Fields cf(item, fmt::format("classes[{}]", i), error);
      OutcomeClass c;
      c.hash = cf.hash("hash");
      c.count = cf.number<std::uint64_t>("count");
      c.example = cf.schedule("example");
      c.violated = cf.strings("violated");
      c.violations = cf.strings("violations");
      c.stuck = cf.strings("stuck");
      c.signature = cf.strings("signature");
      if (!cf.ok()) return std::nullopt;
      s.classes.push_back(std::move(c));
    }
  }
  if (const Json* tallies = f.list("expectations")) {
    for (std::size_t i = 0; i < tallies->items.size(); ++i) {
      const Json& item = tallies->items[i];
      if (item.type != Json::Type::Object) {
        *error = fmt::format("expectations[{}]: expected an object", i);
        return std::nullopt;
      }
      Fields ef(item, fmt::format("expectations[{}]", i), error);
      ExpectationTally e;
      e.line = ef.number<int>("line");
      e.failed = ef.number<std::uint64_t>("failed");
      e.example = ef.schedule("example");
      e.message = ef.str("message");
      if (!ef.ok()) return std::nullopt;
      s.expectations.push_back(std::move(e));
    }
  }
  if (const Json* nd = f.list("nondeterministic")) {
    for (std::size_t i = 0; i < nd->items.size(); ++i) {
      const Json& item = nd->items[i];
      if (item.type != Json::Type::Object) {
        *error = fmt::format("nondeterministic[{}]: expected an object", i);
        return std::nullopt;
      }
      Fields df(item, fmt::format("nondeterministic[{}]", i), error);
      DeterminismFailure d;
      d.schedule = df.schedule("schedule");
      d.first = df.hash("first");
      d.second = df.hash("second");
      if (!df.ok()) return std::nullopt;
      s.nondeterministic.push_back(std::move(d));
    }
  }
  if (!f.ok()) return std::nullopt;
  return s;
}

}  // namespace closesim
