// The driver: splits the text into lines, tells directives from steps, resolves step times
// against the previous step, and gathers every line's fault into the file's diagnostics.
#include "closesim/scenario/parser.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "closesim/base/time.h"
#include "scenario/actions.h"
#include "scenario/directives.h"
#include "scenario/lexer.h"
#include "scenario/source_file.h"
#include "scenario/step_time.h"
#include "scenario/suggest.h"

namespace closesim {

namespace {

using lang::Fault;
using lang::Token;
using lang::TokenCursor;

bool looks_like_time(std::string_view word) {
  return !word.empty() && ((word[0] >= '0' && word[0] <= '9') || word[0] == '+' || word[0] == '*' ||
                           word == "then" || word.starts_with("then..."));
}

class ScenarioParser {
 public:
  explicit ScenarioParser(std::string file) { result_.scenario.file = std::move(file); }
  ScenarioParser(const ScenarioParser&) = delete;
  ScenarioParser& operator=(const ScenarioParser&) = delete;

  ParseResult parse(const std::string& text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
      std::size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      result_.scenario.lines.push_back(std::move(line));
      begin = end + 1;
    }
    // At most one step a line: reserving that many up front spares the reallocations that
    // held the old and the new array of steps at once (a third of the peak for a large file).
    result_.scenario.steps.reserve(result_.scenario.lines.size());
    for (std::size_t i = 0; i < result_.scenario.lines.size(); ++i)
      parse_line(static_cast<int>(i) + 1, result_.scenario.lines[i]);
    return std::move(result_);
  }

 private:
  void report(int line, const Fault& f) {
    Diagnostic d;
    d.file = result_.scenario.file;
    d.line = line;
    d.column = f.column;
    d.length = std::max(1, f.length);
    d.message = f.message;
    d.hint = f.hint;
    result_.diagnostics.push_back(std::move(d));
  }

  void parse_line(int line_no, const std::string& text) {
    lang::LexedLine lexed = lang::lex_line(text);
    if (lexed.fault) {
      report(line_no, *lexed.fault);
      return;
    }
    TokenCursor c(lexed.tokens);
    if (c.at_end()) return;  // blank, or only a comment
    lang::LineContext ctx{line_no, text};
    const Token& first = c.peek();
    if (first.kind == Token::Kind::Word && lang::is_directive(first.text)) {
      if (auto f = directive(c, ctx)) report(line_no, *f);
    } else if (first.kind == Token::Kind::Word && looks_like_time(first.text)) {
      if (first_step_line_ == 0) first_step_line_ = line_no;
      if (auto f = step(c, ctx)) report(line_no, *f);
    } else {
      report(line_no, unknown_line(c, line_no));
    }
  }

  std::optional<Fault> directive(TokenCursor& c, const lang::LineContext& ctx) {
    const Token& keyword = c.peek();
    if (first_step_line_ != 0)
      return lang::fault_at(keyword, fmt::format("'{}' directive after the first step", keyword.text),
                            fmt::format("directives come first: move it above the first step (line {})",
                                        first_step_line_));
    auto [it, inserted] = directive_lines_.emplace(keyword.text, ctx.line);
    if (!inserted)
      return lang::fault_at(keyword, fmt::format("duplicate '{}' directive", keyword.text),
                            fmt::format("it was already given on line {}; keep one", it->second));
    return lang::parse_directive(c, ctx, result_.scenario);
  }

  Fault unknown_line(TokenCursor& c, int line_no) {
    const Token& first = c.peek();
    const Token& second = c.peek(1);
    if (second.kind == Token::Kind::Word &&
        (lang::is_thread_name(second.text) || second.text == "peer" || second.text == "expect")) {
      // The rest reads like a step: the first word must be a time gone wrong.
      if (first_step_line_ == 0) first_step_line_ = line_no;
      return lang::fault_at(first, fmt::format("bad time {}", lang::describe(first)),
                            "times are 0, 250ms, 1.5ms, +5ms, then, 0...2s, +0...+2s, 0...* or *");
    }
    if (first.kind == Token::Kind::Word && lang::is_identifier(first.text)) {
      if (auto m = lang::closest_match(first.text, lang::directive_names()))
        return lang::fault_at(first, fmt::format("unknown directive {}", lang::describe(first)),
                              fmt::format("did you mean '{}'?", *m));
    }
    if (first.kind == Token::Kind::Word &&
        (lang::is_thread_name(first.text) || first.text == "peer" || first.text == "expect"))
      return lang::fault_at(first, "step without a time",
                            fmt::format("a step starts with its time: e.g. `+0 {} ...`", first.text));
    return lang::fault_at(first, fmt::format("expected a directive or a step, got {}", lang::describe(first)),
                          "a step is `TIME ACTOR ACTION [= RESULT]`; directives are title, rules, "
                          "provider, profile, link, seed and schedule");
  }

  std::optional<Fault> step(TokenCursor& c, const lang::LineContext& ctx) {
    Step st;
    st.line = ctx.line;
    st.source = std::string(ctx.text);

    const Token& time_tok = c.next();
    lang::TimeSyntax ts;
    if (auto f = lang::parse_time(time_tok, ts)) return f;
    st.time.text = time_tok.text;
    st.time.span = ctx.span(time_tok);
    if (auto f = resolve_time(time_tok, ts, st.time)) return f;

    if (auto f = actor(c, ctx, st)) return f;
    if (ts.any && st.actor_kind != Step::ActorKind::Expect)
      return lang::fault_at(time_tok, "'*' (at any time) is only for expectations",
                            "give the step a time, e.g. `+0`");
    if (ts.span && st.actor_kind != Step::ActorKind::Thread)
      return lang::fault_at(time_tok, "only a call can block for a time span",
                            "give this step a single time, e.g. `+0`");

    std::optional<Fault> fault;
    switch (st.actor_kind) {
      case Step::ActorKind::Thread: fault = lang::parse_call(c, ctx, st.call); break;
      case Step::ActorKind::Peer: fault = lang::parse_peer_action(c, ctx, st.peer); break;
      case Step::ActorKind::Expect: fault = lang::parse_expectation(c, ctx, st.expect); break;
    }
    if (fault) return fault;
    result_.scenario.steps.push_back(std::move(st));
    return std::nullopt;
  }

  // Relative times count from the previous timed step; steps never go back in time. The
  // previous time moves on as soon as this step's time is known good, even if the rest of the
  // line is wrong, so one bad action does not make every later relative time wrong too.
  std::optional<Fault> resolve_time(const Token& tok, const lang::TimeSyntax& ts, StepTime& out) {
    out.any = ts.any;
    out.after_previous = ts.then;
    out.blocking = ts.span;
    out.end_any = ts.end_any;
    if (ts.any) return std::nullopt;
    Time start = ts.start;
    // Every step time is at most kMaxDuration, so a sum of two (a span's end) cannot overflow.
    const char* range = "a step's time, with the relative times before it added up, is at most 1000000s";
    if (ts.relative) start = add_time(previous_time_, ts.start);
    if (start > kMaxDuration)
      return lang::fault_at(tok, fmt::format("time too large: this step would be at {}", format_time(start)), range);
    if (!ts.relative && start < previous_time_)
      return lang::fault_at(tok,
                            fmt::format("{} is earlier than the previous step ({}, line {})",
                                        format_time(start), format_time(previous_time_), previous_line_),
                            "steps are listed in time order: move this line up, or use a "
                            "relative time such as `+0`");
    out.start = start;
    if (ts.span && !ts.end_any) {
      Time end = ts.end;
      if (ts.end_relative) end = add_time(start, ts.end);
      if (end > kMaxDuration)
        return lang::fault_at(tok, fmt::format("time too large: the span would end at {}", format_time(end)), range);
      if (end < start)
        return lang::fault_at(tok,
                              fmt::format("the span ends ({}) before it starts ({})", format_time(end),
                                          format_time(start)),
                              "write `A...B` with B at or after A, or `A...+d` for a duration");
      out.end = end;
    }
    previous_time_ = start;
    previous_line_ = out.span.line;
    return std::nullopt;
  }

  std::optional<Fault> actor(TokenCursor& c, const lang::LineContext& ctx, Step& st) {
    const Token& a = c.peek();
    if (a.kind != Token::Kind::Word)
      return lang::fault_at(a, fmt::format("expected an actor, got {}", lang::describe(a)),
                            "an actor is a thread `P.t` (e.g. A.main), `peer(s)` or `expect`");
    if (a.text == "peer") {
      c.next();
      if (!c.at(Token::Kind::LParen))
        return lang::fault_at(c.peek(), fmt::format("expected '(' after 'peer', got {}", lang::describe(c.peek())),
                              "the far end of socket s is written `peer(s)`");
      c.next();
      const Token& name = c.peek();
      if (name.kind != Token::Kind::Word || !lang::is_identifier(name.text))
        return lang::fault_at(name, fmt::format("expected a socket name, got {}", lang::describe(name)),
                              "write `peer(s)` with the name of a connected socket");
      c.next();
      if (!c.at(Token::Kind::RParen))
        return lang::fault_at(c.peek(), fmt::format("expected ')', got {}", lang::describe(c.peek())),
                              fmt::format("write `peer({})`", name.text));
      const Token& close = c.next();
      st.actor_kind = Step::ActorKind::Peer;
      st.peer_of = name.text;
      st.subject_span = ctx.span(name);
      st.actor_span = ctx.span(a, close);
      return std::nullopt;
    }
    c.next();
    st.actor_span = ctx.span(a);
    if (a.text == "expect") {
      st.actor_kind = Step::ActorKind::Expect;
      return std::nullopt;
    }
    if (lang::is_thread_name(a.text)) {
      std::size_t dot = a.text.find('.');
      st.actor_kind = Step::ActorKind::Thread;
      st.process = a.text.substr(0, dot);
      st.thread = a.text.substr(dot + 1);
      return std::nullopt;
    }
    static const std::vector<std::string_view> kActors = {"expect", "peer"};
    std::string hint = "an actor is a thread `P.t` (e.g. A.main), `peer(s)` or `expect`";
    if (lang::is_identifier(a.text) && !lang::closest_match(a.text, kActors))
      hint = fmt::format("a thread is named Process.thread: e.g. `{}.main`", a.text);
    return lang::fault_at(a, fmt::format("unknown actor {}", lang::describe(a)),
                          lang::did_you_mean(a.text, kActors, hint));
  }

  // Changes every line.
  ParseResult result_;
  Time previous_time_ = 0;  // start of the previous timed (non-`*`) step; 0 before the first
  int previous_line_ = 0;
  int first_step_line_ = 0;  // 0 until a step is seen; directives must come before it
  std::map<std::string, int> directive_lines_;
};

}  // namespace

ParseResult parse_scenario(const std::string& file, const std::string& text) {
  ScenarioParser parser(file);
  return parser.parse(text);
}

ParseResult parse_scenario_file(const std::string& path, std::size_t max_bytes) {
  std::string text;
  if (std::optional<lang::SourceProblem> problem = lang::read_source(path, max_bytes, text)) {
    ParseResult r;
    r.scenario.file = path;
    Diagnostic d;
    d.file = path;
    d.line = 0;
    d.message = fmt::format("cannot read the scenario: {}", problem->message);
    d.hint = problem->hint;
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  return parse_scenario(path, text);
}

}  // namespace closesim
