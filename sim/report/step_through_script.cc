// The script and CSS of the step-through view (see step_through.h). Plain ES5 in one inline
// <script>: it reads the JSON the page carries and changes classes and text only; it fetches
// nothing. Without it the page still shows every run whole.
#include "report/step_through.h"

namespace closesim::report {

const char* step_through_style() {
  return R"(.stepper { border: 1px solid #ccc; border-radius: 4px; padding: 0.5em; margin: 0.8em 0; }
.stepper:focus { outline: 2px solid #1565c0; }
.stepper .controls button { font: inherit; margin-right: 0.3em; padding: 2px 8px; }
.stepper .counter { margin-left: 0.8em; color: #444; }
.stepper .current { min-height: 4.5em; background: #f7f7f7; padding: 0.3em 0.8em; }
.stepper .current p { margin: 0.2em 0; } .stepper .record { font-weight: bold; }
.stepper .line { font-family: ui-monospace, monospace; } .stepper .why { color: #17692c; }
.stepper .rule { border-left: 4px solid #1565c0; padding-left: 0.6em; margin: 0.3em 0; }
.stepper .marks li { color: #b00020; font-family: ui-monospace, monospace; }
.stepper ol.lines { font: 12px ui-monospace, monospace; max-height: 16em; overflow-y: auto; padding-left: 0; list-style: none; }
.stepper ol.lines li.future { color: #bbb; } .stepper ol.lines li.now { background: #fff3c4; font-weight: bold; }
.stepper ol.lines .t { display: inline-block; min-width: 6em; text-align: right; } .stepper ol.lines .a { display: inline-block; min-width: 7em; }
table.profiles td { font: 12px ui-monospace, monospace; } table.profiles tr.differs td { background: #fff3c4; }
table.profiles tr.fold td { color: #777; font-style: italic; } table.profiles td.verdict { font-weight: bold; }
)";
}

const char* step_through_script() {
  return R"JS((function () {
  var rules = JSON.parse(document.getElementById('rule-texts').textContent);
  var views = [], active = null;
  function text(el, s) { el.textContent = s; }
  function View(el) {
    this.el = el;
    this.id = el.getAttribute('data-scenario');
    this.steps = JSON.parse(el.querySelector('script.steps').textContent);
    this.marks = el.querySelectorAll('svg [data-seq]');
    this.cursor = el.querySelector('svg .cursor');
    this.items = el.querySelectorAll('ol.lines li');
    this.at = -1;
  }
  View.prototype.show = function (k) {
    var n = this.steps.length, i;
    if (n === 0) return;
    var all = k < 0;
    if (!all) k = Math.max(0, Math.min(n - 1, k));
    this.at = all ? -1 : k;
    var step = all ? null : this.steps[k], seq = all ? Infinity : step.seq;
    for (i = 0; i < this.marks.length; i++)
      this.marks[i].classList.toggle('future', +this.marks[i].getAttribute('data-seq') > seq);
    for (i = 0; i < this.items.length; i++) {
      var s = +this.items[i].getAttribute('data-seq');
      this.items[i].classList.toggle('future', s > seq);
      this.items[i].classList.toggle('now', !all && s === step.lineSeq);
    }
    var cur = this.el.querySelector('.current'), counter = this.el.querySelector('.counter');
    var ruleBox = cur.querySelector('.rule'), marks = cur.querySelector('.marks');
    marks.innerHTML = '';
    ruleBox.innerHTML = '';
    if (all) {
      text(counter, 'the whole run: ' + n + ' records; step through it one record at a time');
      text(cur.querySelector('.record'), ''); text(cur.querySelector('.line'), ''); text(cur.querySelector('.why'), '');
      this.cursor.setAttribute('visibility', 'hidden');
      return;
    }
    text(counter, 'record #' + step.seq + ' (' + (k + 1) + ' of ' + n + ')');
    text(cur.querySelector('.record'), '#' + step.seq + ' at ' + step.time + ': ' + step.kind + ' (' + step.actor + ')');
    text(cur.querySelector('.line'), step.line ? step.actor + '  ' + step.line
                                               : '(no line of its own: the line of its call or burst says it)');
    text(cur.querySelector('.why'), step.why ? 'why: ' + step.why : '');
    var r = rules[step.rule];
    if (r) {
      var h = document.createElement('b'); text(h, step.rule + ' \u2014 ' + r.title);
      var p = document.createElement('p'); text(p, r.meaning);
      ruleBox.appendChild(h); ruleBox.appendChild(p);
    }
    for (i = 0; i < step.violations.length; i++) {
      var li = document.createElement('li'); text(li, '!! ' + step.violations[i]); marks.appendChild(li);
    }
    this.cursor.setAttribute('x1', step.x); this.cursor.setAttribute('x2', step.x);
    this.cursor.setAttribute('visibility', 'visible');
    var now = this.el.querySelector('ol.lines li.now');
    if (now && now.scrollIntoView && this.el.querySelector('ol.lines').scrollHeight > 0) {
      var list = this.el.querySelector('ol.lines');
      list.scrollTop = Math.max(0, now.offsetTop - list.offsetTop - list.clientHeight / 2);
    }
  };
  View.prototype.go = function (how) {
    var n = this.steps.length;
    if (how === 'all') return this.show(-1);
    if (how === 'first') return this.show(0);
    if (how === 'last') return this.show(n - 1);
    if (how === 'next') return this.show(this.at < 0 ? 0 : this.at + 1);
    if (how === 'prev') return this.show(this.at < 0 ? n - 1 : this.at - 1);
  };
  View.prototype.showSeq = function (seq) {
    for (var i = 0; i < this.steps.length; i++) if (this.steps[i].seq >= seq) return this.show(i);
    this.show(this.steps.length - 1);
  };
  var els = document.querySelectorAll('.stepper');
  for (var i = 0; i < els.length; i++) {
    (function (v) {
      views.push(v);
      v.el.addEventListener('click', function (e) {
        active = v;
        var how = e.target.getAttribute && e.target.getAttribute('data-go');
        if (how) v.go(how);
      });
      v.el.addEventListener('focus', function () { active = v; });
    })(new View(els[i]));
  }
  // #step=N shows record #N of the first scenario; #scenario-2&step=N of the second.
  function fromHash() {
    var h = location.hash.replace(/^#/, ''), m = /(?:^|[&\/])step=(\d+)/.exec(h);
    var s = /scenario-(\d+)/.exec(h), v = views[0];
    for (var i = 0; s && i < views.length; i++) if (views[i].id === s[1]) v = views[i];
    if (!v) return;
    active = v;
    if (m) v.showSeq(+m[1]);
  }
  document.addEventListener('keydown', function (e) {
    var v = active || views[0];
    if (!v || e.altKey || e.ctrlKey || e.metaKey) return;
    var how = {ArrowRight: 'next', ArrowLeft: 'prev', Home: 'first', End: 'last', Escape: 'all'}[e.key];
    // Home and End scroll the page unless a view has been chosen (clicked or focused).
    if (!how || (!active && (how === 'first' || how === 'last'))) return;
    e.preventDefault();
    v.go(how);
  });
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
)JS";
}

}  // namespace closesim::report
