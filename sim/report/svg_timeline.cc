// The HTML report's SVG timeline (see svg_timeline.h): lanes, the time axis with one unit, and
// one mark per record worth drawing. A mark that a rule made happen is labelled with it
// ("RST sent [R9]"); labels of one lane and instant are joined, and a label that finds no free
// room above or below its lane is left to the hover text.
#include "report/svg_timeline.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "closesim/base/errors.h"
#include "report/time_scale.h"

namespace closesim::report {

namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 130;   // lane labels
constexpr double kRight = 60;   // room for the labels of marks at the end
constexpr double kTop = 34;     // time axis and violation labels
constexpr double kLane = 44;    // a row of labels above the marks, the marks, a row below
constexpr double kCharWidth = 6.7;  // of the 11px monospace font, for placing labels
constexpr double kSlot = 9;     // how far apart marks of one lane and instant are drawn

std::string num(double v) { return fmt::format("{:.1f}", v); }

class SvgTimeline {
 public:
  explicit SvgTimeline(const RunView& view) : v_(view) {}

  SvgTimelineImage write() {
    const RunResult& result = v_.result();
    if (!result.diagnostics.empty()) {
      return {"<svg class=\"timeline\" width=\"960\" height=\"40\" viewBox=\"0 0 960 40\" role=\"img\">"
              "<text x=\"10\" y=\"24\">not run: the file has errors</text></svg>\n",
              {}};
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
    SvgTimelineImage image;
    for (std::size_t i = 0; i < v_.records().size(); ++i) {
      mark(i);
      image.record_x.push_back(x(v_.at(i).time));
    }
    seq_.clear();
    place_labels();
    violations();
    // Where a step-through view puts its cursor; hidden until it does.
    out_ += fmt::format("<line class=\"cursor\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                        "visibility=\"hidden\"/>\n",
                        num(kLeft), num(kTop - 4), num(lane_y(lanes_)));
    out_ += "</svg>\n";
    image.svg = std::move(out_);
    return image;
  }

 private:
  double lane_y(std::size_t lane) const { return kTop + kLane * static_cast<double>(lane); }
  double mid(std::size_t lane) const { return lane_y(lane) + kLane / 2; }
  double x(Time t) const { return scale_->x(t); }
  // Where a point mark at t goes in its lane: marks of one lane and instant never hide each
  // other, each is drawn kSlot to the right of the one before (the axis tick stays at t).
  double slot(std::size_t lane, Time t) {
    return x(t) + kSlot * static_cast<double>(slots_[{lane, t}]++);
  }

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
    std::vector<Time> times;
    for (const auto& l : labels) times.push_back(l.second);
    const AxisUnit unit = axis_unit(times);
    for (const auto& [px, t] : labels)
      out_ += fmt::format("<text class=\"tick-label\" x=\"{}\" y=\"{}\">{}</text>", num(px), num(kTop - 9),
                          xml_escape(axis_label(t, unit)));
    out_ += "\n";
  }

  void bar(std::size_t lane, Time b, Time e, const char* cls, double height, const std::string& label,
           const std::string& tip, bool row_label = true) {
    double x0 = x(b), x1 = std::max(x(e), x0 + 2);
    double y = mid(lane) - height / 2;
    out_ += fmt::format("<rect class=\"{}\"{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">{}</rect>", cls,
                        seq_, num(x0), num(y), num(x1 - x0), num(height), tip);
    if (!label.empty() && text_width(label) + 6 <= x1 - x0)
      out_ += fmt::format("<text class=\"bar-label\"{} x=\"{}\" y=\"{}\">{}</text>", seq_, num(x0 + 3),
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
    labels_.push_back({lane, x, text, seq_});
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
        out_ += fmt::format("<text class=\"mark-label\"{} x=\"{}\" y=\"{}\">{}</text>\n", l.seq, num(x0),
                            num(y), xml_escape(l.text));
        break;
      }
    }
  }

  void dot(std::size_t lane, Time t, const char* cls, const std::string& tip, double dy = 0) {
    out_ += fmt::format("<circle class=\"{}\"{} cx=\"{}\" cy=\"{}\" r=\"4\">{}</circle>\n", cls, seq_,
                        num(slot(lane, t)), num(mid(lane) + dy), tip);
  }

  void flag(std::size_t lane, Time t, const char* cls, const std::string& label, const std::string& tip,
            double size = 6) {
    double px = slot(lane, t), y = mid(lane);
    out_ += fmt::format("<g class=\"{}\"{}><polygon points=\"{},{} {},{} {},{} {},{}\"/>{}</g>\n", cls, seq_,
                        num(px), num(y - size), num(px + size), num(y), num(px), num(y + size), num(px - size),
                        num(y), tip);
    if (!label.empty()) this->label(lane, x(t), label);
  }

  static std::string tagged(const std::string& text, RuleId rule) {
    return rule == RuleId::None ? text : fmt::format("{} [{}]", text, rule_name(rule));
  }

  void mark(std::size_t i) {
    const TraceRecord& r = v_.at(i);
    seq_ = fmt::format(" data-seq=\"{}\"", r.seq);
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
          double px = slot(lane, r.time);
          out_ += fmt::format("<line class=\"call\"{4} x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\">{3}</line>\n",
                              num(px), num(mid(lane) - 8), num(mid(lane) + 8), title(r, text), seq_);
        }
        break;
      }
      case RecordKind::OpIssued: {
        if (!lane_of_thread_.count(r.actor)) return;
        std::size_t done = v_.ops[v_.op_of[i]].completed;
        Time e = done != kNone ? v_.at(done).time : v_.end_time();
        std::size_t lane = lane_of_thread_[r.actor];
        double x0 = x(r.time), x1 = std::max(x(e), x0 + 2);
        out_ += fmt::format("<rect class=\"op\"{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"4\">{}</rect>\n",
                            seq_, num(x0), num(mid(lane) + 8), num(x1 - x0),
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
        const std::size_t end = v_.closes[v_.close_of[i]].end;
        const Time e = end != kNone ? v_.at(end).time : v_.end_time();
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
      std::uint64_t seq = UINT64_MAX;  // the first record that broke a rule here
    };
    std::map<std::pair<bool, Time>, Group> groups;  // (divergence, time)
    for (const Violation& vi : result.rules.violations) {
      Group& g = groups[{vi.divergence, vi.time}];
      g.rules.insert(vi.rule);
      g.seq = std::min(g.seq, vi.seq);
      g.tips += fmt::format("{}{} (#{})", g.tips.empty() ? "" : "\n", violation_text(vi), vi.seq);
    }
    for (const auto& [key, g] : groups) {
      double px = x(key.second);
      std::string rules;
      for (RuleId r : g.rules) rules += (rules.empty() ? "" : " ") + rule_name(r);
      out_ += fmt::format("<g class=\"{}\" data-seq=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>"
                          "<text x=\"{}\" y=\"{}\">{}</text><title>{}</title></g>\n",
                          key.first ? "divergence" : "violation", g.seq, num(px), num(kTop), num(px), num(bottom),
                          num(px + 3), num(bottom + 13 + (key.first ? 12 : 0)), xml_escape(rules),
                          xml_escape(g.tips));
    }
  }

  struct Label {
    std::size_t lane;
    double x;  // the instant's
    std::string text;
    std::string seq;  // the data-seq attribute of its first mark
  };

  const RunView& v_;
  const TimeScale* scale_ = nullptr;
  std::string out_;
  std::vector<Label> labels_;
  std::string seq_;  // ` data-seq="N"` of the record being drawn, for a step-through view
  std::map<std::pair<std::size_t, Time>, int> slots_;  // point marks drawn per (lane, instant)
  std::map<std::string, std::size_t> lane_of_thread_;
  std::map<SocketId, std::size_t> lane_of_peer_;
  std::size_t provider_lane_ = 0;
  std::size_t lanes_ = 0;
  double height_ = 0;
};

}  // namespace

SvgTimelineImage render_svg_timeline(const RunView& view) { return SvgTimeline(view).write(); }

}  // namespace closesim::report
