// The JSON summary of an exploration (docs/explore.md, "JSON summary"): writing it, and reading
// it back for `closesim merge`. Reading goes through nlohmann-json (any valid JSON text, strict
// UTF-8, surrogate pairs), then looks for the fields a summary has, each of the right type.
#include <algorithm>
#include <charconv>
#include <limits>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "closesim/engine/schedule.h"
#include "closesim/explore/explore.h"
#include "report/escape.h"

namespace closesim {

namespace {

constexpr const char* kFormat = "closesim-explore/1";

// --- writing ---

// Strings go through the reports' one JSON escaper: invalid UTF-8 becomes U+FFFD and control
// characters \u escapes, so a summary is valid JSON whatever bytes a title or message holds.
std::string quote(std::string_view s) { return report::json_string(s); }

std::string strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

// --- reading ---

using Json = nlohmann::json;

// Field readers over a parsed object: false (with `error` set to the first problem, naming the
// field and where it is) when a field is missing or of the wrong type.
class Fields {
 public:
  Fields(const Json& object, std::string where, std::string* error)
      : o_(object), where_(std::move(where)), error_(error) {}

  bool ok() const { return ok_; }

  std::string str(const char* key) {
    const Json* v = find(key);
    if (v && !v->is_string()) return bad(key, "a string"), std::string();
    return v ? v->get<std::string>() : std::string();
  }
  bool boolean(const char* key) {
    const Json* v = find(key);
    if (v && !v->is_boolean()) return bad(key, "true or false"), false;
    return v ? v->get<bool>() : false;
  }
  template <typename T>
  T number(const char* key) {
    const Json* v = find(key);
    return v ? to_number<T>(*v, key) : T{};
  }
  template <typename T>
  std::optional<T> optional_number(const char* key) {
    auto it = o_.find(key);
    if (it == o_.end() || it->is_null()) return std::nullopt;
    return to_number<T>(*it, key);
  }
  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> out;
    const Json* v = list(key);
    if (!v) return out;
    for (const Json& item : *v) {
      if (!item.is_string()) {
        bad(key, "a list of strings");
        break;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  template <typename T>
  std::vector<T> numbers(const char* key) {
    std::vector<T> out;
    const Json* v = list(key);
    if (!v) return out;
    for (const Json& item : *v) {
      out.push_back(to_number<T>(item, key));
      if (!ok_) break;
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
  const Json* list(const char* key) {
    const Json* v = find(key);
    if (v && !v->is_array()) return bad(key, "a list"), nullptr;
    return v;
  }

 private:
  const Json* find(const char* key) {
    auto it = o_.find(key);
    if (it == o_.end()) return missing(key), nullptr;
    return &*it;
  }
  // Whole numbers only, in T's range: 3.0, -1 for an unsigned field, or 2^64 are refused.
  template <typename T>
  T to_number(const Json& v, const char* key) {
    if (!v.is_number_integer()) return bad(key, "a whole number"), T{};
    if (v.is_number_unsigned()) {
      const auto n = v.get<std::uint64_t>();
      if (n > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return bad(key, "a smaller number"), T{};
      return static_cast<T>(n);
    }
    const auto n = v.get<std::int64_t>();
    if (!std::is_signed_v<T> || n < static_cast<std::int64_t>(std::numeric_limits<T>::min()))
      return bad(key, "a whole number of at least 0"), T{};
    return static_cast<T>(n);
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

// Parses the whole text as one JSON value; on malformed JSON (or invalid UTF-8 in a string) sets
// `error` to nlohmann-json's "line L, column C: ..." without its exception prefix.
std::optional<Json> parse_text(const std::string& text, std::string* error) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    const std::size_t at = what.find("parse error");
    *error = at == std::string::npos ? what : what.substr(at);
    return std::nullopt;
  }
}

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
  field("traces", std::to_string(s.traces));
  field("fallback_runs", std::to_string(s.fallback_runs));
  field("fallback_depths", std::to_string(s.fallback_depths));
  field("lanes", std::to_string(s.lanes));
  field("choices", std::to_string(s.choices));
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
  std::optional<Json> root = parse_text(text, error);
  if (!root) return std::nullopt;
  if (!root->is_object()) {
    *error = "not a closesim explore summary (expected a JSON object)";
    return std::nullopt;
  }
  Fields f(*root, "summary", error);
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
  s.shards = f.numbers<std::uint32_t>("shards");
  s.schedules = f.number<std::uint64_t>("schedules");
  s.probes = f.number<std::uint64_t>("probes");
  s.truncated = f.boolean("truncated");
  // Written since partial-order reduction: absent from older summaries, read as 0.
  s.traces = f.optional_number<std::uint64_t>("traces").value_or(0);
  s.fallback_runs = f.optional_number<std::uint64_t>("fallback_runs").value_or(0);
  s.fallback_depths = f.optional_number<std::uint64_t>("fallback_depths").value_or(0);
  s.lanes = f.optional_number<std::uint64_t>("lanes").value_or(0);
  s.choices = f.optional_number<std::uint64_t>("choices").value_or(0);
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

  // Each list is read item by item; an item that is not an object is named by its index.
  auto each_object = [&](const char* key, auto read) {
    const Json* items = f.list(key);
    if (!items) return f.ok();
    for (std::size_t i = 0; i < items->size(); ++i) {
      const Json& item = (*items)[i];
      if (!item.is_object()) {
        *error = fmt::format("{}[{}]: expected an object", key, i);
        return false;
      }
      Fields fields(item, fmt::format("{}[{}]", key, i), error);
      read(fields);
      if (!fields.ok()) return false;
    }
    return true;
  };
  bool ok = each_object("classes", [&](Fields& cf) {
    OutcomeClass c;
    c.hash = cf.hash("hash");
    c.count = cf.number<std::uint64_t>("count");
    c.example = cf.schedule("example");
    c.violated = cf.strings("violated");
    c.violations = cf.strings("violations");
    c.stuck = cf.strings("stuck");
    c.signature = cf.strings("signature");
    if (cf.ok()) s.classes.push_back(std::move(c));
  });
  ok = ok && each_object("expectations", [&](Fields& ef) {
    ExpectationTally e;
    e.line = ef.number<int>("line");
    e.failed = ef.number<std::uint64_t>("failed");
    e.example = ef.schedule("example");
    e.message = ef.str("message");
    if (ef.ok()) s.expectations.push_back(std::move(e));
  });
  ok = ok && each_object("nondeterministic", [&](Fields& df) {
    DeterminismFailure d;
    d.schedule = df.schedule("schedule");
    d.first = df.hash("first");
    d.second = df.hash("second");
    if (df.ok()) s.nondeterministic.push_back(std::move(d));
  });
  if (!ok || !f.ok()) return std::nullopt;
  return s;
}

}  // namespace closesim
