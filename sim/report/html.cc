// The HTML suite report of `closesim report`: one self-contained document (inline CSS, inline
// SVG, no script, no external resource), so it can be attached to a CI run and opened offline.
//
// Each scenario's SVG timeline has one lane per thread, one for the provider and one per peer.
// Time runs left to right to scale, except that an idle stretch much longer than everything else
// (a 2s linger after 10ms of activity) is drawn as a fixed-width break marked with its length, so
// the busy instants stay readable. Every mark has a <title> that a browser shows on hover; marks
// that a rule made happen are labelled with it ("RST sent [R9]"), labels of one instant and lane
// are joined, and a label that finds no free room above or below its lane is left to the hover
// text. Under the SVG, a table lists the timeline's steps that a rule explains, with the why.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "closesim/diagnostic.h"
#include "closesim/errors.h"
#include "closesim/report.h"
#include "report/view.h"

namespace closesim {

using report::kNone;
using report::RunView;
using report::xml_escape;

namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 130;   // lane labels
constexpr double kRight = 60;   // room for the labels of marks at the end
constexpr double kTop = 34;     // time axis and violation labels
constexpr double kLane = 44;    // a row of labels above the marks, the marks, a row below
constexpr double kCharWidth = 6.7;  // of the 11px monospace font, for placing labels
constexpr double kBreak = 90;   // width of a compressed idle stretch

std::string num(double v) { return fmt::format("{:.1f}", v); }

// Maps virtual time to x, compressing dominant idle gaps (see the file comment).
class TimeScale {
 public:
  TimeScale(std::vector<Time> instants, double x0, double width) : x0_(x0) {
    std::sort(instants.begin(), instants.end());
    instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
    if (instants.empty() || instants.front() != 0) instants.insert(instants.begin(), 0);
    instants_ = instants;
    std::vector<Time> gaps;
    Time busy = 0;
    for (std::size_t i = 1; i < instants_.size(); ++i) {
      gaps.push_back(instants_[i] - instants_[i - 1]);
      busy += gaps.back();
    }
    broken_.assign(gaps.size(), false);
    std::vector<std::size_t> order(gaps.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return gaps[a] > gaps[b]; });
    std::size_t breaks = 0;
    for (std::size_t i : order) {
      Time rest = busy - gaps[i];
      if (breaks == 3 || rest <= 0 || gaps[i] <= 3 * rest) break;
      broken_[i] = true;
      busy = rest;
      ++breaks;
    }
    double scaled = width - static_cast<double>(breaks) * kBreak;
    xs_.push_back(x0_);
    for (std::size_t i = 0; i < gaps.size(); ++i) {
      double w = broken_[i] ? kBreak : busy > 0 ? static_cast<double>(gaps[i]) / static_cast<double>(busy) * scaled : 0;
      xs_.push_back(xs_.back() + w);
    }
  }

  double x(Time t) const {
    auto it = std::lower_bound(instants_.begin(), instants_.end(), t);
    if (it == instants_.end()) return xs_.back();
    std::size_t i = static_cast<std::size_t>(it - instants_.begin());
    if (*it == t || i == 0) return xs_[i];
    double f = static_cast<double>(t - instants_[i - 1]) / static_cast<double>(instants_[i] - instants_[i - 1]);
    return xs_[i - 1] + f * (xs_[i] - xs_[i - 1]);
  }

  struct Break {
    double x0, x1;
    Time from, to;
  };
  std::vector<Break> breaks() const {
    std::vector<Break> out;
    for (std::size_t i = 0; i < broken_.size(); ++i)
      if (broken_[i]) out.push_back({xs_[i], xs_[i + 1], instants_[i], instants_[i + 1]});
    return out;
  }
  const std::vector<Time>& instants() const { return instants_; }

  // Stretches drawn to one linear scale: between the breaks.
  struct Region {
    Time from, to;
    double x0, x1;
  };
  std::vector<Region> regions() const {
    std::vector<Region> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= broken_.size(); ++i) {
      if (i == broken_.size() || broken_[i]) {
        out.push_back({instants_[start], instants_[i], xs_[start], xs_[i]});
        start = i + 1;
      }
    }
    return out;
  }

 private:
  double x0_;
  std::vector<Time> instants_;
  std::vector<double> xs_;
  std::vector<bool> broken_;
};

const char* verdict_class(Verdict v) {
  return v == Verdict::Pass ? "pass" : v == Verdict::Fail ? "fail" : "error";
}

class SvgTimeline {
 public:
  explicit SvgTimeline(const RunView& view) : v_(view) {}

  std::string write() {
    const RunResult& result = v_.result();
    if (!result.diagnostics.empty()) {
      return "<svg class=\"timeline\" width=\"960\" height=\"40\" viewBox=\"0 0 960 40\" role=\"img\">"
             "<text x=\"10\" y=\"24\">not run: the file has errors</text></svg>\n";
    }
    for (const std::string& t : v_.threads) lane_of_thread_[t] = lanes_++;
    provider_lane_ = lanes_++;
    for (SocketId s : v_.peers) lane_of_peer_[s] = lanes_++;
    height_ = kTop + kLane * lanes_ + 30;  // below: break and violation labels

    std::vector<Time> instants;
    for (const TraceRecord& r : v_.records()) instants.push_back(r.time);
    instants.push_back(v_.end_time());
    for (const Violation& vi : result.rules.violations) instants.push_back(vi.time);
    TimeScale scale(instants, kLeft, kWidth - kLeft - kRight);
    scale_ = &scale;

    out_ = fmt::format("<svg class=\"timeline\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                       "role=\"img\" aria-label=\"timeline of {2}\">\n",
                       num(kWidth), num(height_), report::xml_attr(result.scenario.file));
    lanes();
    axis();
    for (std::size_t i = 0; i < v_.records().size(); ++i) mark(i);
    place_labels();
    violations();
    out_ += "</svg>\n";
    return out_;
  }

 private:
  double lane_y(std::size_t lane) const { return kTop + kLane * static_cast<double>(lane); }
  double mid(std::size_t lane) const { return lane_y(lane) + kLane / 2; }
  double x(Time t) const { return scale_->x(t); }

  std::string title(const TraceRecord& r, const std::string& text) const {
    return fmt::format("<title>#{} {}: {}</title>", r.seq, format_time(r.time), xml_escape(text));
  }

  void lanes() {
    auto lane = [&](std::size_t n, const std::string& label, const char* cls) {
      out_ += fmt::format("<rect class=\"lane {} {}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                          "<text class=\"lane-label\" x=\"6\" y=\"{}\">{}</text>\n",
                          cls, n % 2 ? "odd" : "even", num(lane_y(n)), num(kWidth), num(kLane),
                          num(mid(n) + 4), xml_escape(label));
    };
    for (const std::string& t : v_.threads) lane(lane_of_thread_[t], t, "thread");
    lane(provider_lane_, "provider", "provider");
    for (SocketId s : v_.peers) lane(lane_of_peer_[s], v_.peer(s), "peer");
  }

  void axis() {
    double bottom = lane_y(lanes_);
    for (const TimeScale::Break& b : scale_->breaks()) {
      out_ += fmt::format("<rect class=\"break\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
                          "<title>{} of nothing happening, compressed</title></rect>"
                          "<text class=\"break-label\" x=\"{}\" y=\"{}\">+{}</text>\n",
                          num(b.x0), num(kTop), num(b.x1 - b.x0), num(bottom - kTop),
                          xml_escape(format_time(b.to - b.from)), num((b.x0 + b.x1) / 2), num(bottom + 13),
                          xml_escape(format_time(b.to - b.from)));
    }
    // A tick for every instant something happened; labels at round times, at most one per
    // 80px, and at the start of every stretch (after a break time jumps).
    for (Time t : scale_->instants())
      out_ += fmt::format("<line class=\"tick\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", num(x(t)),
                          num(kTop - 6), num(kTop));
    std::vector<std::pair<double, Time>> labels;
    auto place = [&](Time t) {
      double px = x(t);
      for (const auto& [lx, lt] : labels)
        if (std::abs(lx - px) < 64) return;
      labels.push_back({px, t});
    };
    std::vector<TimeScale::Region> regions = scale_->regions();
    for (const TimeScale::Region& r : regions) place(r.from);
    for (const TimeScale::Region& r : regions) {
      if (r.to <= r.from || r.x1 - r.x0 < 1) continue;
      double wanted = std::max(1.0, (r.x1 - r.x0) / 80);
      Time step = 1;
      for (Time decade = 1;; decade *= 10) {
        Time candidates[] = {decade, 2 * decade, 5 * decade};
        Time* fit = std::find_if(std::begin(candidates), std::end(candidates), [&](Time c) {
          return static_cast<double>(r.to - r.from) / static_cast<double>(c) <= wanted;
        });
        if (fit != std::end(candidates)) {
          step = *fit;
          break;
        }
      }
      for (Time t = (r.from / step + 1) * step; t <= r.to; t += step) place(t);
    }
    std::sort(labels.begin(), labels.end());
    for (const auto& [px, t] : labels)
      out_ += fmt::format("<text class=\"tick-label\" x=\"{}\" y=\"{}\">{}</text>", num(px), num(kTop - 9),
                          xml_escape(format_time(t)));
    out_ += "\n";
  }

  void bar(std::size_t lane, Time b, Time e, const char* cls, double height, const std::string& label,
           const std::string& tip, bool row_label = true) {
    double x0 = x(b), x1 = std::max(x(e), x0 + 2);
    double y = mid(lane) - height / 2;
    out_ += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">{}</rect>", cls,
                        num(x0), num(y), num(x1 - x0), num(height), tip);
    if (!label.empty() && text_width(label) + 6 <= x1 - x0)
      out_ += fmt::format("<text class=\"bar-label\" x=\"{}\" y=\"{}\">{}</text>", num(x0 + 3),
                          num(mid(lane) + 4), xml_escape(label));
    else if (!label.empty() && row_label)
      this->label(lane, x0, label);
    out_ += "\n";
  }

  static double text_width(const std::string& text) {
    std::size_t chars = 0;
    for (unsigned char c : text) chars += (c & 0xC0) != 0x80;  // UTF-8 lead bytes
    return kCharWidth * static_cast<double>(chars);
  }

  // A label for the mark at x in a lane; one already there for the same instant takes it on.
  void label(std::size_t lane, double x, const std::string& text) {
    for (Label& l : labels_)
      if (l.lane == lane && std::abs(l.x - x) < 0.5) {
        l.text += ", " + text;
        return;
      }
    labels_.push_back({lane, x, text});
  }

  // Each label goes in the row above its lane if that room is free, else in the row below, else
  // nowhere (its mark's hover text still says it).
  void place_labels() {
    std::map<std::pair<std::size_t, int>, std::vector<std::pair<double, double>>> used;
    for (const Label& l : labels_) {
      double w = text_width(l.text);
      double x0 = std::max(kLeft, std::min(l.x + 6, kWidth - 2 - w));
      for (int row = 0; row < 2; ++row) {
        std::vector<std::pair<double, double>>& spans = used[{l.lane, row}];
        bool free = std::none_of(spans.begin(), spans.end(), [&](const std::pair<double, double>& s) {
          return x0 < s.second + 6 && s.first < x0 + w + 6;
        });
        if (!free) continue;
        spans.push_back({x0, x0 + w});
        double y = row == 0 ? lane_y(l.lane) + 11 : lane_y(l.lane) + kLane - 2;
        out_ += fmt::format("<text class=\"mark-label\" x=\"{}\" y=\"{}\">{}</text>\n", num(x0), num(y),
                            xml_escape(l.text));
        break;
      }
    }
  }

  void dot(std::size_t lane, Time t, const char* cls, const std::string& tip, double dy = 0) {
    out_ += fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"4\">{}</circle>\n", cls, num(x(t)),
                        num(mid(lane) + dy), tip);
  }

  void flag(std::size_t lane, Time t, const char* cls, const std::string& label, const std::string& tip,
            double size = 6) {
    double px = x(t), y = mid(lane);
    out_ += fmt::format("<g class=\"{}\"><polygon points=\"{},{} {},{} {},{} {},{}\"/>{}</g>\n", cls, num(px),
                        num(y - size), num(px + size), num(y), num(px), num(y + size), num(px - size), num(y), tip);
    if (!label.empty()) this->label(lane, px, label);
  }

  static std::string tagged(const std::string& text, RuleId rule) {
    return rule == RuleId::None ? text : fmt::format("{} [{}]", text, rule_name(rule));
  }

  void mark(std::size_t i) {
    const TraceRecord& r = v_.at(i);
    std::string h = v_.handle(r);
    if (v_.run_of[i] != kNone) {
      const report::DataRun& run = v_.runs[v_.run_of[i]];
      if (run.records.front() != i || !lane_of_peer_.count(run.socket)) return;
      std::string summary = v_.run_summary(run);
      bar(lane_of_peer_[run.socket], r.time, v_.at(run.records.back()).time, "data", 8, "data",
          title(r, summary), false);
      return;
    }
    switch (r.kind) {
      case RecordKind::CallBegin: {
        if (!lane_of_thread_.count(r.actor)) return;
        const report::CallSpan& c = v_.calls[v_.call_of[i]];
        std::string result = c.end != kNone ? v_.call_result(v_.at(c.end)) : "never returned";
        std::string text = fmt::format("{} = {}", v_.call_with_args(r), result);
        std::size_t lane = lane_of_thread_[r.actor];
        if (c.blocked != kNone || c.end == kNone) {
          Time e = c.end != kNone ? v_.at(c.end).time : v_.end_time();
          RuleId woken_by = c.woken != kNone ? v_.at(c.woken).rule : RuleId::None;
          bar(lane, r.time, e, "blocked", 14, tagged(v_.call_short(r), woken_by),
              title(r, text + " (blocked" + (woken_by != RuleId::None ? ", woken by " + rule_name(woken_by) : "") + ")"));
        } else {
          double px = x(r.time);
          out_ += fmt::format("<line class=\"call\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\">{3}</line>\n",
                              num(px), num(mid(lane) - 8), num(mid(lane) + 8), title(r, text));
        }
        break;
      }
      case RecordKind::OpIssued: {
        if (!lane_of_thread_.count(r.actor)) return;
        std::size_t done = v_.ops[v_.op_of[i]].completed;
        Time e = done != kNone ? v_.at(done).time : v_.end_time();
        std::size_t lane = lane_of_thread_[r.actor];
        double x0 = x(r.time), x1 = std::max(x(e), x0 + 2);
        out_ += fmt::format("<rect class=\"op\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"4\">{}</rect>\n",
                            num(x0), num(mid(lane) + 8), num(x1 - x0),
                            title(r, fmt::format("{} {}({}) pending", r.op, r.call, h)));
        break;
      }
      case RecordKind::OpCompleted: {
        if (!lane_of_thread_.count(r.actor)) return;
        bool bad = violated(r.seq);
        dot(lane_of_thread_[r.actor], r.time, bad ? "done bad" : "done",
            title(r, fmt::format("{} completes {}, {} bytes, via {}", r.op,
                                 r.error == 0 ? "0" : error_name(r.error), r.bytes,
                                 via_name(static_cast<CompletionVia>(r.value)))),
            10);
        if (r.rule != RuleId::None)
          label(lane_of_thread_[r.actor], x(r.time),
                tagged(fmt::format("{} {}", r.op, r.error == 0 ? "completes" : "aborted"), r.rule));
        break;
      }
      case RecordKind::ApcRan:
        if (!lane_of_thread_.count(r.actor)) return;
        dot(lane_of_thread_[r.actor], r.time, "apc", title(r, fmt::format("{}'s completion routine runs", r.op)));
        break;
      case RecordKind::ProviderCloseBegin: {
        Time e = v_.end_time();
        for (std::size_t k = i + 1; k < v_.records().size(); ++k) {
          const TraceRecord& x = v_.at(k);
          if (x.kind == RecordKind::ProviderCloseEnd && x.handle == r.handle && x.process == r.process &&
              x.layer == r.layer) {
            e = x.time;
            break;
          }
        }
        bar(provider_lane_, r.time, e, "close", 10, fmt::format("WSPCloseSocket({})", h),
            title(r, fmt::format("WSPCloseSocket({}) layer {}", h, r.layer)));
        break;
      }
      case RecordKind::HandleReleased: {
        bool file = static_cast<HandleKind>(r.value) == HandleKind::File;
        flag(provider_lane_, r.time, violated(r.seq) ? "release bad" : "release", tagged("release " + h, r.rule),
             title(r, file ? fmt::format("CloseHandle({})", h) : fmt::format("WPUCloseSocketHandle({})", h)));
        break;
      }
      case RecordKind::LingerTimerStarted:
        dot(provider_lane_, r.time, "timer started",
            title(r, fmt::format("linger timer started for {}: expires at {}", v_.socket_name(r.socket),
                                 format_time(r.value))));
        label(provider_lane_, x(r.time), tagged("linger timer", r.rule));
        break;
      case RecordKind::LingerTimerExpired:
        flag(provider_lane_, r.time, "timer", tagged("timer expired", r.rule),
             title(r, fmt::format("linger timer expired for {}", v_.socket_name(r.socket))));
        break;
      case RecordKind::FinSent:
      case RecordKind::RstSent: {
        bool fin = r.kind == RecordKind::FinSent;
        flag(provider_lane_, r.time, fin ? "fin" : "rst", tagged(fin ? "FIN sent" : "RST sent", r.rule),
             title(r, fmt::format("{} sent on {}", fin ? "FIN" : "RST", v_.socket_name(r.socket))), 4);
        break;
      }
      case RecordKind::PeerSawFin:
      case RecordKind::PeerSawRst: {
        if (!lane_of_peer_.count(r.socket)) return;
        bool fin = r.kind == RecordKind::PeerSawFin;
        flag(lane_of_peer_[r.socket], r.time, fin ? "fin" : "rst", tagged(fin ? "sees FIN" : "sees RST", r.rule),
             title(r, fmt::format("{} sees {}", v_.peer(r.socket), fin ? "FIN" : "RST")));
        break;
      }
      case RecordKind::PeerAction:
        if (!lane_of_peer_.count(r.socket)) return;
        dot(lane_of_peer_[r.socket], r.time, "peer-action", title(r, v_.peer(r.socket) + " " + r.text));
        break;
      default:
        break;
    }
  }

  bool violated(std::uint64_t seq) const {
    const RunResult& result = v_.result();
    if (result.rules_mode == RulesMode::Off) return false;
    for (const Violation& vi : result.rules.violations)
      if (vi.seq == seq && !vi.divergence) return true;
    return false;
  }

  // One red line per instant with a violation (amber, dashed, for a divergence), labelled with
  // the rules broken there, each once; the hover text lists every violation.
  void violations() {
    const RunResult& result = v_.result();
    if (result.rules_mode == RulesMode::Off) return;
    double bottom = lane_y(lanes_);
    struct Group {
      std::set<RuleId> rules;
      std::string tips;
    };
    std::map<std::pair<bool, Time>, Group> groups;  // (divergence, time)
    for (const Violation& vi : result.rules.violations) {
      Group& g = groups[{vi.divergence, vi.time}];
      g.rules.insert(vi.rule);
      g.tips += fmt::format("{}{} (#{})", g.tips.empty() ? "" : "\n", violation_text(vi), vi.seq);
    }
    for (const auto& [key, g] : groups) {
      double px = x(key.second);
      std::string rules;
      for (RuleId r : g.rules) rules += (rules.empty() ? "" : " ") + rule_name(r);
      out_ += fmt::format("<g class=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>"
                          "<text x=\"{}\" y=\"{}\">{}</text><title>{}</title></g>\n",
                          key.first ? "divergence" : "violation", num(px), num(kTop), num(px), num(bottom),
                          num(px + 3), num(bottom + 13 + (key.first ? 12 : 0)), xml_escape(rules),
                          xml_escape(g.tips));
    }
  }

  struct Label {
    std::size_t lane;
    double x;  // the mark's
    std::string text;
  };

  const RunView& v_;
  const TimeScale* scale_ = nullptr;
  std::string out_;
  std::vector<Label> labels_;
  std::map<std::string, std::size_t> lane_of_thread_;
  std::map<SocketId, std::size_t> lane_of_peer_;
  std::size_t provider_lane_ = 0;
  std::size_t lanes_ = 0;
  double height_ = 0;
};

constexpr const char* kStyle = R"(body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.pass { color: #17692c; } .fail { color: #b00020; } .error { color: #a85a00; }
td.verdict, p.verdict { font-weight: bold; }
tr.uncovered td { color: #888; }
ul.reasons li { font-family: ui-monospace, monospace; }
table.steps { font-size: 12px; } table.steps caption { text-align: left; font-weight: bold; padding: 2px 0; }
table.steps td.time { text-align: right; white-space: nowrap; font-family: ui-monospace, monospace; }
table.steps td.what { font-family: ui-monospace, monospace; }
table.steps tr.violation td { color: #b00020; font-weight: bold; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 12px; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; }
svg.timeline { display: block; margin: 0.5em 0; font: 11px ui-monospace, monospace; }
svg .lane.even { fill: #fafafa; } svg .lane.odd { fill: #f0f0f0; }
svg .lane-label { fill: #333; }
svg .tick { stroke: #999; } svg .tick-label { fill: #555; text-anchor: middle; }
svg .break { fill: #e4e4e4; opacity: 0.8; } svg .break-label { fill: #666; text-anchor: middle; }
svg .blocked { fill: #f2c14e; } svg .close { fill: #9cc3e6; } svg .data { fill: #c9e4c5; }
svg .op { fill: #7e57c2; } svg .bar-label { fill: #222; }
svg .call { stroke: #555; stroke-width: 1.5; }
svg .done { fill: #7e57c2; } svg .done.bad { fill: #d50000; } svg .apc { fill: #fff; stroke: #7e57c2; }
svg .peer-action { fill: #888; } svg .timer { fill: #6d4c41; } svg .timer.started { fill: #fff; stroke: #6d4c41; }
svg .mark-label { fill: #333; }
svg .release polygon { fill: #1565c0; } svg .release.bad polygon { fill: #d50000; }
svg .fin polygon { fill: #2e7d32; } svg .rst polygon { fill: #d84315; }
svg g text { fill: #222; }
svg .violation line { stroke: #d50000; stroke-width: 2; } svg .violation text { fill: #d50000; font-weight: bold; }
svg .divergence line { stroke: #ef9a00; stroke-dasharray: 4 3; } svg .divergence text { fill: #ef9a00; }
)";

std::string legend() {
  return "<p class=\"legend\">"
         "<span><i style=\"background:#f2c14e\"></i>blocked call</span>"
         "<span><i style=\"background:#7e57c2;height:4px\"></i>pending overlapped operation</span>"
         "<span><i style=\"background:#9cc3e6\"></i>WSPCloseSocket</span>"
         "<span><i style=\"background:#6d4c41\"></i>linger timer</span>"
         "<span><i style=\"background:#1565c0\"></i>handle released</span>"
         "<span><i style=\"background:#c9e4c5\"></i>data on the wire</span>"
         "<span><i style=\"background:#2e7d32\"></i>FIN</span>"
         "<span><i style=\"background:#d84315\"></i>RST</span>"
         "<span><i style=\"background:#d50000\"></i>rule violated</span>"
         "</p>\n";
}

// The steps of the timeline that a rule explains (or under which a rule was broken): time, actor,
// what happened and why, the rule in bold.
std::string steps_table(const RunResult& result) {
  std::string rows;
  for (const TimelineStep& step : timeline_steps(result)) {
    if (step.rule.empty() && step.violations.empty()) continue;
    std::string why = xml_escape(step.why);
    std::size_t colon = step.why.find(':');
    if (!step.rule.empty() && step.why.rfind(step.rule, 0) == 0 && colon != std::string::npos)
      why = "<b>" + xml_escape(step.why.substr(0, colon)) + "</b>" + xml_escape(step.why.substr(colon));
    else if (!step.rule.empty() && step.why.empty())
      why = "<b>" + xml_escape(step.rule) + "</b>";
    rows += fmt::format("<tr><td class=\"time\">{}</td><td>{}</td><td class=\"what\">{}</td><td>{}</td></tr>\n",
                        xml_escape(format_time(step.time)), xml_escape(step.actor), xml_escape(step.text), why);
    for (const std::string& v : step.violations)
      rows += fmt::format("<tr class=\"violation\"><td class=\"time\">{}</td><td colspan=\"3\">{}</td></tr>\n",
                          xml_escape(format_time(step.time)), xml_escape(v));
  }
  if (rows.empty()) return "";
  return "<table class=\"steps\">\n<caption>Steps the rules explain</caption>\n"
         "<tr><th>time</th><th>who</th><th>what happened</th><th>why</th></tr>\n" +
         rows + "</table>\n";
}

std::string scenario_links(const std::vector<std::string>& files, const std::map<std::string, std::size_t>& anchor) {
  std::string out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i) out += "<br>";
    auto it = anchor.find(files[i]);
    if (it != anchor.end())
      out += fmt::format("<a href=\"#scenario-{}\">{}</a>", it->second, xml_escape(files[i]));
    else
      out += xml_escape(files[i]);
  }
  return out;
}

}  // namespace

std::string render_html(const std::vector<RunResult>& results, const std::vector<RuleCoverageRow>& coverage) {
  std::size_t passed = 0, failed = 0, errors = 0;
  std::map<std::string, std::size_t> anchor;
  for (std::size_t i = 0; i < results.size(); ++i) {
    switch (report_verdict(results[i])) {
      case Verdict::Pass: ++passed; break;
      case Verdict::Fail: ++failed; break;
      case Verdict::Error: ++errors; break;
    }
    anchor.emplace(results[i].scenario.file, i + 1);
  }

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>closesim report</title>\n<style>\n";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<h1>closesim report</h1>\n";
  out += fmt::format("<p class=\"totals\">{}: {} passed, {} failed{}</p>\n",
                     report::plural(results.size(), "scenario"), passed, failed,
                     errors > 0 ? fmt::format(", {} errors", errors) : std::string());

  out += "<h2>Scenarios</h2>\n<table class=\"suite\">\n<tr><th>verdict</th><th>scenario</th><th>title</th>"
         "<th>provider</th><th>profile</th><th>rules</th><th>end</th><th>events</th></tr>\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunResult& r = results[i];
    Verdict v = report_verdict(r);
    std::vector<std::string> ids;
    for (int n : r.scenario.rules) ids.push_back(rule_name(static_cast<RuleId>(n)));
    std::string rules;
    for (std::size_t k = 0; k < ids.size(); ++k) rules += (k ? " " : "") + ids[k];
    out += fmt::format("<tr class=\"{}\"><td class=\"verdict\">{}</td><td><a href=\"#scenario-{}\">{}</a></td>"
                       "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       verdict_class(v), xml_escape(verdict_line(r)), i + 1, xml_escape(r.scenario.file),
                       xml_escape(r.scenario.title), xml_escape(provider_name(r.config.provider)),
                       xml_escape(profile_name(r.config.profile)), rules,
                       v == Verdict::Error ? "" : xml_escape(format_time(r.end_time)),
                       v == Verdict::Error ? std::string() : std::to_string(r.events));
  }
  out += "</table>\n";

  out += "<h2>Rule coverage</h2>\n";
  if (coverage.empty()) {
    out += "<p>No coverage information.</p>\n";
  } else {
    out += "<table class=\"coverage\">\n<tr><th>rule</th><th>title</th><th>exercised by</th>"
           "<th>branches</th><th>declared by</th><th>violated by</th></tr>\n";
    for (const RuleCoverageRow& row : coverage) {
      std::string branches;
      for (std::size_t k = 0; k < row.branches.size(); ++k) branches += (k ? ", " : "") + xml_escape(row.branches[k]);
      out += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
                         row.exercised_by.empty() ? " class=\"uncovered\"" : "", rule_name(row.rule),
                         xml_escape(rule_title(row.rule)),
                         row.exercised_by.empty() ? std::string("not exercised")
                                                  : scenario_links(row.exercised_by, anchor),
                         branches, scenario_links(row.declared_by, anchor),
                         row.violated_by.empty() ? "" : "fail", scenario_links(row.violated_by, anchor));
    }
    out += "</table>\n";
  }

  out += "<h2>Timelines</h2>\n" + legend();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunResult& r = results[i];
    Verdict v = report_verdict(r);
    out += fmt::format("<section id=\"scenario-{}\">\n<h3>{}</h3>\n", i + 1, xml_escape(r.scenario.file));
    if (!r.scenario.title.empty()) out += fmt::format("<p class=\"title\">{}</p>\n", xml_escape(r.scenario.title));
    out += fmt::format("<p class=\"verdict {}\">{}</p>\n", verdict_class(v), xml_escape(verdict_line(r)));
    std::vector<std::string> why = report::reasons(r);
    if (!why.empty()) {
      out += "<ul class=\"reasons\">\n";
      for (const std::string& line : why) out += "<li>" + xml_escape(line) + "</li>\n";
      out += "</ul>\n";
    }
    RunView view(r);
    out += SvgTimeline(view).write();
    if (v == Verdict::Error) {
      out += "<pre>" + xml_escape(render_verdict(r)) + "</pre>\n";
    } else {
      out += steps_table(r);
      out += fmt::format("<details><summary>timeline, explained ({} records)</summary>\n<pre>{}</pre>\n</details>\n",
                         r.trace.size(), xml_escape(render_timeline(r, TimelineOptions{true})));
    }
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace closesim
