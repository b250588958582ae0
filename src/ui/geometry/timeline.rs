//! Timeline geometry, free of browser APIs: the lanes and their rows, where each span goes,
//! the time axis's ticks, hit testing, the keyboard order, dependency arrows and the texts
//! that describe a trace.
//!
//! Vertical geometry is in CSS pixels from the top of the first lane; horizontal geometry is
//! in milliseconds, turned into pixels by [`Scale`] only when drawn (zoom changes the scale,
//! never the layout).

use std::collections::{HashMap, HashSet};

use crate::engine::trace::{SpanKind, Trace};
use crate::engine::Experiment;

/// Height of a row of cooking or simmering.
pub const ROW_H: f64 = 22.0;
/// Height of a thin row of `wait`/`ready` spans, below the lane's cooking so they never hide it.
pub const QUEUE_H: f64 = 7.0;
/// Rows of simmers beside a juggling chef's cooking share at most this height: many dishes
/// simmering at once make thinner rows, not a taller lane.
pub const SIMMER_BAND: f64 = 3.0 * ROW_H;
/// Likewise for the rows of waiting dishes.
pub const QUEUE_BAND: f64 = 3.0 * QUEUE_H;
/// Space above and below a lane's rows.
pub const LANE_PAD: f64 = 5.0;
/// Room for a lane's two-line label.
pub const MIN_LANE_H: f64 = 40.0;
/// Overlapping simmers (a juggling chef) stack into at most this many rows (the cooking row and
/// simmer rows of 3 px); beyond, they overlap.
pub const MAX_ACTIVE_ROWS: usize = 1 + 22;
/// Overlapping waits stack into at most this many thin rows (of about 2 px); beyond, they overlap.
pub const MAX_QUEUE_ROWS: usize = 10;
/// Above this many dishes, dependency arrows would be a tangle: they are left out, and said so.
pub const MAX_ARROW_DISHES: usize = 150;

/// Maps milliseconds to x pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub px_per_ms: f64,
    /// The x of time zero (a small margin so a span at 0 ms is not cut by the edge).
    pub x0: f64,
}

impl Scale {
    pub fn x(self, ms: f64) -> f64 {
        self.x0 + ms * self.px_per_ms
    }

    pub fn ms(self, x: f64) -> f64 {
        (x - self.x0) / self.px_per_ms
    }
}

/// One lane: a real thread, shown as a chef.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneBox {
    /// The trace's lane number (0 = the page's main thread).
    pub lane: usize,
    /// The thread's name as the trace gives it.
    pub thread: String,
    /// 1-based chef number, in lane order.
    pub chef: usize,
    pub y: f64,
    pub height: f64,
    /// Rows of cooking/simmering, then rows of waiting.
    pub active_rows: usize,
    pub queue_rows: usize,
}

impl LaneBox {
    pub fn is_main_thread(&self) -> bool {
        self.lane == 0
    }

    /// How the thread is named to a person: lane 0 is "main thread".
    pub fn thread_label(&self) -> String {
        if self.is_main_thread() {
            "main thread".to_string()
        } else {
            self.thread.clone()
        }
    }

    /// "chef 1 · worker 0".
    pub fn label(&self) -> String {
        format!("chef {} · {}", self.chef, self.thread_label())
    }

    /// The top of row `row` and its height: the cooking row, the simmer rows beside it, then
    /// the thin queue rows.
    pub fn row_box(&self, row: usize) -> (f64, f64) {
        let top = self.y + LANE_PAD;
        let simmer_rows = self.active_rows - 1;
        if row == 0 {
            (top, ROW_H)
        } else if row < self.active_rows {
            band_row(top + ROW_H, row - 1, simmer_rows, ROW_H, SIMMER_BAND)
        } else {
            let queue_top = top + ROW_H + band_height(simmer_rows, ROW_H, SIMMER_BAND) + 2.0;
            band_row(queue_top, row - self.active_rows, self.queue_rows, QUEUE_H, QUEUE_BAND)
        }
    }

    /// The row under `y`, if `y` is inside one.
    fn row_at(&self, y: f64) -> Option<usize> {
        (0..self.active_rows + self.queue_rows).find(|&r| {
            let (top, h) = self.row_box(r);
            (top..top + h).contains(&y)
        })
    }
}

/// Height of `rows` rows of `full` px each, squeezed into `band` px when they would not fit.
fn band_height(rows: usize, full: f64, band: f64) -> f64 {
    (rows as f64 * full).min(band)
}

/// Top and height of row `index` of `rows` in a band starting at `top`.
fn band_row(top: f64, index: usize, rows: usize, full: f64, band: f64) -> (f64, f64) {
    let h = band_height(rows, full, band) / rows.max(1) as f64;
    (top + index as f64 * h, h)
}

/// Where one span of the trace is drawn (same index as in `trace.spans`).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Index into [`Layout::lanes`].
    pub lane: usize,
    /// Row within the lane.
    pub row: usize,
    /// Index into [`Layout::dishes`] (its colour).
    pub dish: usize,
    pub kind: SpanKind,
    pub start: f64,
    pub end: f64,
    /// Top and height of the shape, with a small gap inside its row.
    pub y: f64,
    pub h: f64,
}

/// The whole chart's geometry for one trace.
#[derive(Debug, PartialEq)]
pub struct Layout {
    pub lanes: Vec<LaneBox>,
    pub spans: Vec<Placed>,
    /// Dish names, in the trace's order: the index picks the colour.
    pub dishes: Vec<String>,
    /// Where the trace ends: its wall time, or its last span if that is later.
    pub end_ms: f64,
    /// Height of all lanes.
    pub height: f64,
    /// Per lane, per row: span indices sorted by start (hit testing).
    rows: Vec<Vec<Vec<usize>>>,
    /// Per lane: span indices by start, then row (the keyboard order).
    order: Vec<Vec<usize>>,
    /// Per span: its position in its lane's `order`.
    position: Vec<usize>,
}

/// Rows of intervals, each row kept sorted by start; a new interval goes into the first row it
/// does not overlap.
struct Packer {
    rows: Vec<Vec<(f64, f64)>>,
    max: usize,
}

impl Packer {
    fn new(max: usize) -> Packer {
        Packer { rows: vec![], max }
    }

    fn place(&mut self, start: f64, end: f64) -> usize {
        let fits = |row: &Vec<(f64, f64)>| {
            let i = row.partition_point(|&(s, _)| s < end);
            i == 0 || row[i - 1].1 <= start
        };
        let row = match self.rows.iter().position(fits) {
            Some(r) => r,
            None if self.rows.len() < self.max => {
                self.rows.push(vec![]);
                self.rows.len() - 1
            }
            // Full: the last row takes the overlap rather than the lane growing without bound.
            None => self.rows.len() - 1,
        };
        let row_vec = &mut self.rows[row];
        row_vec.insert(row_vec.partition_point(|&(s, _)| s < start), (start, end));
        row
    }
}

impl Layout {
    /// Lays out `trace`: lanes in lane order, each span in a row of its lane.
    pub fn of(trace: &Trace) -> Layout {
        let dishes = dish_order(trace);
        let dish_index: HashMap<&str, usize> = dishes.iter().enumerate().map(|(i, d)| (d.as_str(), i)).collect();
        let lane_ids = lane_ids(trace);
        let lane_index: HashMap<usize, usize> = lane_ids.iter().enumerate().map(|(i, &(l, _))| (l, i)).collect();
        let mut spans: Vec<Placed> = trace
            .spans
            .iter()
            .map(|s| Placed {
                lane: lane_index[&s.lane],
                row: 0,
                dish: dish_index[s.task.as_str()],
                kind: s.kind,
                start: s.start_ms,
                end: s.end_ms.max(s.start_ms),
                y: 0.0,
                h: 0.0,
            })
            .collect();
        let counts: Vec<(usize, usize)> = (0..lane_ids.len()).map(|l| pack_lane(&mut spans, l)).collect();
        let lanes = stack_lanes(lane_ids, &counts);
        for s in &mut spans {
            let (top, h) = lanes[s.lane].row_box(s.row);
            // A gap between rows, proportionate when rows are squeezed.
            let inset = (h * 0.1).min(2.0);
            (s.y, s.h) = (top + inset, h - 2.0 * inset);
        }
        let height = lanes.last().map_or(MIN_LANE_H, |l| l.y + l.height);
        let end_ms = end_ms(trace);
        let mut layout = Layout { lanes, spans, dishes, end_ms, height, rows: vec![], order: vec![], position: vec![] };
        layout.index();
        layout
    }

    /// Builds the hit-testing rows and the keyboard order.
    fn index(&mut self) {
        let by_start = |spans: &[Placed], v: &mut Vec<usize>| {
            v.sort_by(|&a, &b| spans[a].start.total_cmp(&spans[b].start).then(spans[a].row.cmp(&spans[b].row)))
        };
        self.rows = self.lanes.iter().map(|l| vec![vec![]; l.active_rows + l.queue_rows]).collect();
        self.order = vec![vec![]; self.lanes.len()];
        for (i, s) in self.spans.iter().enumerate() {
            self.rows[s.lane][s.row].push(i);
            self.order[s.lane].push(i);
        }
        for row in self.rows.iter_mut().flatten() {
            by_start(&self.spans, row);
        }
        self.position = vec![0; self.spans.len()];
        for lane in &mut self.order {
            by_start(&self.spans, lane);
            for (p, &i) in lane.iter().enumerate() {
                self.position[i] = p;
            }
        }
    }

    /// The span drawn at (`ms`, `y`), or the nearest one within `tolerance_ms` in that row.
    pub fn hit(&self, ms: f64, y: f64, tolerance_ms: f64) -> Option<usize> {
        let lane = self.lanes.iter().position(|l| (l.y..l.y + l.height).contains(&y))?;
        let row = &self.rows[lane][self.lanes[lane].row_at(y)?];
        let after = row.partition_point(|&i| self.spans[i].start <= ms + tolerance_ms);
        // Rows do not overlap (except a full lane's last row), so a few candidates back suffice.
        let distance = |i: usize| {
            let s = &self.spans[i];
            (s.start - ms).max(ms - s.end).max(0.0)
        };
        row[after.saturating_sub(32)..after]
            .iter()
            .copied()
            .filter(|&i| distance(i) <= tolerance_ms)
            .min_by(|&a, &b| distance(a).total_cmp(&distance(b)).then(b.cmp(&a)))
    }

    /// Where the keyboard's focus cursor goes from `from` on `step`.
    pub fn step(&self, from: Option<usize>, step: Step) -> Option<usize> {
        let Some(from) = from else {
            return self.order.iter().find_map(|lane| lane.first().copied());
        };
        let (lane, pos) = (self.spans[from].lane, self.position[from]);
        let order = &self.order[lane];
        match step {
            Step::Next => order.get(pos + 1).or(order.get(pos)).copied(),
            Step::Prev => order.get(pos.saturating_sub(1)).copied(),
            Step::First => order.first().copied(),
            Step::Last => order.last().copied(),
            Step::Up => self.nearest_in_lane((0..lane).rev(), self.spans[from].start).or(Some(from)),
            Step::Down => self.nearest_in_lane(lane + 1..self.lanes.len(), self.spans[from].start).or(Some(from)),
        }
    }

    /// In the first non-empty lane of `lanes`, the span starting nearest to `ms`.
    fn nearest_in_lane(&self, mut lanes: impl Iterator<Item = usize>, ms: f64) -> Option<usize> {
        let order = lanes.find_map(|l| (!self.order[l].is_empty()).then_some(&self.order[l]))?;
        let i = order.partition_point(|&s| self.spans[s].start < ms);
        let gap = |s: usize| (self.spans[s].start - ms).abs();
        [i.checked_sub(1), Some(i)].into_iter().flatten().filter_map(|i| order.get(i).copied()).min_by(|&a, &b| gap(a).total_cmp(&gap(b)))
    }
}

/// Above this many spans the chart merges thin neighbours into one shape ([`shapes`]): every
/// SVG element is laid out and painted, and 40,000 of them (a 20,000-dish run) blocked the page
/// for seconds.
pub const MERGE_ABOVE_SPANS: usize = 10_000;
/// With that many spans, shapes of one kind on one row merge when they overlap, and thin ones
/// (narrower than this, px) when the next starts less than this far from their end.
pub const MERGE_PX: f64 = 2.0;

/// One shape the chart draws: one span, or a run of `spans` overlapping or thin adjacent spans
/// of one kind on one row (coloured as its first dish).
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The (first) span's index in [`Layout::spans`].
    pub first: usize,
    /// How many spans it stands for.
    pub spans: usize,
    pub x: f64,
    /// At least 1 px, so that a very short span still shows.
    pub width: f64,
}

/// The shapes for `layout` at `scale`: one per span up to [`MERGE_ABOVE_SPANS`] spans, else
/// overlapping spans and runs of thin ones merged. Computed once per layout and zoom, not per frame.
pub fn shapes(layout: &Layout, scale: Scale) -> Vec<Shape> {
    let one = |i: usize, p: &Placed| {
        let x = scale.x(p.start);
        Shape { first: i, spans: 1, x, width: (scale.x(p.end) - x).max(1.0) }
    };
    if layout.spans.len() <= MERGE_ABOVE_SPANS {
        return layout.spans.iter().enumerate().map(|(i, p)| one(i, p)).collect();
    }
    let mut order: Vec<usize> = (0..layout.spans.len()).collect();
    let key = |p: &Placed| (p.lane, p.row, p.kind as u8);
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&layout.spans[a], &layout.spans[b]);
        key(pa).cmp(&key(pb)).then(pa.start.total_cmp(&pb.start))
    });
    let mut out: Vec<Shape> = Vec::new();
    // Whether the last shape may still grow: a run of thin spans on the current row and kind.
    let mut open = false;
    for (n, &i) in order.iter().enumerate() {
        let p = &layout.spans[i];
        let next = one(i, p);
        let thin = (p.end - p.start) * scale.px_per_ms < MERGE_PX;
        let same_row = n > 0 && key(&layout.spans[order[n - 1]]) == key(p);
        match out.last_mut() {
            // Overlapping (a queue row holding more waits than it has room for): the later
            // shape would cover the earlier anyway. Thin and close: one pixel-sized run.
            Some(last) if same_row && (next.x < last.x + last.width || open && thin && next.x <= last.x + last.width + MERGE_PX) => {
                last.width = (next.x + next.width).max(last.x + last.width) - last.x;
                last.spans += 1;
                open = open && thin;
            }
            _ => {
                out.push(next);
                open = thin;
            }
        }
    }
    out
}

/// Where `trace` ends: its wall time, or its last span or dish if that is later (the end of
/// the time axis and of the replay).
pub fn end_ms(trace: &Trace) -> f64 {
    let spans = trace.spans.iter().map(|s| s.end_ms.max(s.start_ms));
    spans.chain(trace.tasks.iter().map(|t| t.end_ms)).fold(trace.wall_ms, f64::max)
}

/// A move of the keyboard's focus cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The next span on this chef's lane (by start time).
    Next,
    Prev,
    /// The first span on this chef's lane.
    First,
    Last,
    /// The span starting nearest in time on the chef above.
    Up,
    Down,
}

/// Dish names: the trace's tasks in order, then any dish seen only in spans (a stopped run).
pub fn dish_order(trace: &Trace) -> Vec<String> {
    let mut seen = HashSet::new();
    trace
        .tasks
        .iter()
        .map(|t| t.id.as_str())
        .chain(trace.spans.iter().map(|s| s.task.as_str()))
        .filter(|id| seen.insert(*id))
        .map(str::to_string)
        .collect()
}

/// Every lane the trace names or uses, in lane order, with its thread's name.
pub fn lane_ids(trace: &Trace) -> Vec<(usize, String)> {
    let mut lanes: Vec<(usize, String)> = trace.lanes.iter().map(|l| (l.lane, l.thread.clone())).collect();
    let named: HashSet<usize> = lanes.iter().map(|l| l.0).collect();
    let unnamed: HashSet<usize> = trace.spans.iter().map(|s| s.lane).filter(|l| !named.contains(l)).collect();
    lanes.extend(unnamed.into_iter().map(|l| {
        let lane = crate::engine::trace::Lane::for_id(l);
        (lane.lane, lane.thread)
    }));
    lanes.sort_by_key(|l| l.0);
    lanes.dedup_by_key(|l| l.0);
    lanes
}

/// Puts lane `lane`'s spans into rows: cooking first (one chef cooks one thing at a time, so it
/// fills row 0), then simmers (beside the cooking when the chef juggles), then waits in thin
/// rows. Returns how many active and queue rows the lane needs.
fn pack_lane(spans: &mut [Placed], lane: usize) -> (usize, usize) {
    let mut active = Packer::new(MAX_ACTIVE_ROWS);
    let mut queue = Packer::new(MAX_QUEUE_ROWS);
    let mut mine: Vec<usize> = (0..spans.len()).filter(|&i| spans[i].lane == lane).collect();
    let rank = |k: SpanKind| match k {
        SpanKind::Cook => 0,
        SpanKind::Simmer => 1,
        SpanKind::Wait | SpanKind::Ready => 2,
    };
    mine.sort_by(|&a, &b| rank(spans[a].kind).cmp(&rank(spans[b].kind)).then(spans[a].start.total_cmp(&spans[b].start)));
    let (working, queued): (Vec<usize>, Vec<usize>) = mine.into_iter().partition(|&i| rank(spans[i].kind) < 2);
    for i in working {
        spans[i].row = active.place(spans[i].start, spans[i].end);
    }
    let active_rows = active.rows.len().max(1);
    for i in queued {
        spans[i].row = active_rows + queue.place(spans[i].start, spans[i].end);
    }
    (active_rows, queue.rows.len())
}

/// Stacks the lanes top to bottom.
fn stack_lanes(ids: Vec<(usize, String)>, counts: &[(usize, usize)]) -> Vec<LaneBox> {
    let mut y = 0.0;
    ids.into_iter()
        .zip(counts)
        .enumerate()
        .map(|(i, ((lane, thread), &(active_rows, queue_rows)))| {
            let active_h = ROW_H + band_height(active_rows - 1, ROW_H, SIMMER_BAND);
            let queue_h = if queue_rows > 0 { 2.0 + band_height(queue_rows, QUEUE_H, QUEUE_BAND) } else { 0.0 };
            let height = (2.0 * LANE_PAD + active_h + queue_h).max(MIN_LANE_H);
            let lane = LaneBox { lane, thread, chef: i + 1, y, height, active_rows, queue_rows };
            y += height;
            lane
        })
        .collect()
}

/// A tick spacing of 1, 2 or 5 × 10ⁿ ms that keeps labels at least `min_gap_px` apart.
pub fn tick_step(axis_ms: f64, width_px: f64, min_gap_px: f64) -> f64 {
    let raw = (axis_ms * min_gap_px / width_px.max(1.0)).max(1e-3);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|&s| s >= raw * (1.0 - 1e-9)).unwrap_or(10.0 * magnitude)
}

/// Tick times from 0 to `axis_ms`.
pub fn ticks(axis_ms: f64, width_px: f64, min_gap_px: f64) -> Vec<f64> {
    let step = tick_step(axis_ms, width_px, min_gap_px);
    (0..).map(|i| i as f64 * step).take_while(|&t| t <= axis_ms * (1.0 + 1e-9)).collect()
}

/// A tick's label: as many decimals as the step needs.
pub fn tick_label(ms: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10()).ceil() as usize };
    format!("{ms:.decimals$}")
}

/// What a kind of span means, in a few words.
pub fn kind_phrase(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Cook => "cook (computing)",
        SpanKind::Simmer => "simmer (timed wait)",
        SpanKind::Wait => "wait (eligible, no chef yet)",
        SpanKind::Ready => "ready (chef busy elsewhere)",
    }
}

/// The details of span `i`: dish, kind, chef and thread, start and duration.
pub fn describe(trace: &Trace, layout: &Layout, i: usize) -> String {
    let (span, placed) = (&trace.spans[i], &layout.spans[i]);
    let lane = &layout.lanes[placed.lane];
    let chunk = span.chunk.map(|c| format!(" (chunk {c})")).unwrap_or_default();
    format!(
        "{}{chunk} · {} · chef {} ({}) · start {:.1} ms · duration {:.1} ms",
        span.task,
        kind_phrase(span.kind),
        lane.chef,
        lane.thread_label(),
        span.start_ms,
        placed.end - placed.start
    )
}

/// One sentence for assistive technology and the caption.
pub fn summary(trace: &Trace, layout: &Layout) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let source = match trace.source {
        crate::engine::trace::Source::Measured => "Measured",
        crate::engine::trace::Source::Simulated => "Simulated",
    };
    format!(
        "{source} timeline: {} on {}, wall {:.0} ms{}",
        count(layout.dishes.len(), "dish", "dishes"),
        count(layout.lanes.len(), "chef", "chefs"),
        trace.wall_ms,
        if trace.stopped { ", stopped early" } else { "" }
    )
}

/// Whether `experiment` holds the dishes `trace` measured (so its dependencies and computed
/// figures apply): every dish the trace has is in it, and all of them when the run finished.
pub fn same_dishes(trace: &Trace, experiment: &Experiment) -> bool {
    let ids: HashSet<&str> = experiment.tasks.iter().map(|t| t.id.as_str()).collect();
    let all_there = trace.tasks.iter().all(|t| ids.contains(t.id.as_str()));
    all_there && (trace.stopped || trace.tasks.len() == ids.len())
}

/// A dependency arrow: from where a dish ended to where its dependent started.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub from_ms: f64,
    /// Index into [`Layout::lanes`].
    pub from_lane: usize,
    pub to_ms: f64,
    pub to_lane: usize,
}

/// What becomes of the dependency arrows.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrows {
    Drawn(Vec<Arrow>),
    /// More dishes than [`MAX_ARROW_DISHES`]: left out.
    TooMany(usize),
    /// The composed experiment is not the one this trace measured: its dependencies do not apply.
    OtherExperiment,
}

/// The arrows for `trace`, with `experiment`'s dependencies.
pub fn arrows(trace: &Trace, layout: &Layout, experiment: &Experiment) -> Arrows {
    if layout.dishes.len() > MAX_ARROW_DISHES {
        return Arrows::TooMany(layout.dishes.len());
    }
    if !same_dishes(trace, experiment) {
        return Arrows::OtherExperiment;
    }
    let timing: HashMap<&str, _> = trace.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let lane_index = |lane: usize| layout.lanes.iter().position(|l| l.lane == lane).unwrap_or(0);
    let mut drawn = vec![];
    for spec in &experiment.tasks {
        let Some(task) = timing.get(spec.id.as_str()) else { continue };
        for dep in spec.after.iter().filter_map(|d| timing.get(d.as_str())) {
            if task.start_ms + 0.05 < dep.end_ms {
                return Arrows::OtherExperiment; // started before its dependency ended: not this run
            }
            let from_lane = last_lane(trace, &dep.id).unwrap_or(dep.lane);
            let (from_lane, to_lane) = (lane_index(from_lane), lane_index(task.lane));
            drawn.push(Arrow { from_ms: dep.end_ms, from_lane, to_ms: task.start_ms, to_lane });
        }
    }
    Arrows::Drawn(drawn)
}

/// The lane where dish `id` last worked (a juggling dish may end on another chef).
fn last_lane(trace: &Trace, id: &str) -> Option<usize> {
    trace.spans.iter().filter(|s| s.task == id && s.kind != SpanKind::Wait).max_by(|a, b| a.end_ms.total_cmp(&b.end_ms)).map(|s| s.lane)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{Lane, Span, TaskTiming};
    use crate::engine::Model;

    /// A 100 ms parallel trace on `lanes` (one chef each).
    fn trace(spans: Vec<Span>, tasks: Vec<TaskTiming>, lanes: &[usize]) -> Trace {
        let mut t = Trace::measured(Model::Parallel, lanes.len()).with_tasks(tasks).with_spans(spans).with_wall(100.0);
        t.lanes = lanes.iter().map(|&l| Lane::for_id(l)).collect();
        t
    }

    #[test]
    fn shapes_merge_thin_neighbours_only_in_big_charts() {
        let scale = Scale { px_per_ms: 10.0, x0: 0.0 };
        let small = juggling();
        let layout = Layout::of(&small);
        assert_eq!(shapes(&layout, scale).len(), layout.spans.len(), "a small chart draws every span");
        // 3,000 back-to-back cooks of 0.01 ms (0.1 px each), then one of 50 ms (500 px).
        let n = MERGE_ABOVE_SPANS + 1_000;
        let mut spans: Vec<Span> = (0..n).map(|i| Span::new(&format!("d{i}"), 1, SpanKind::Cook, i as f64 * 0.01, (i + 1) as f64 * 0.01)).collect();
        spans.push(Span::new("wide", 1, SpanKind::Cook, 40.0, 90.0));
        // Many long overlapping waits: their queue rows hold one shape each.
        spans.extend((0..500).map(|i| Span::new(&format!("d{i}"), 1, SpanKind::Wait, 0.0, 95.0 + i as f64 * 0.001)));
        let layout = Layout::of(&trace(spans, vec![], &[1]));
        let drawn = shapes(&layout, scale);
        assert_eq!(drawn.iter().map(|s| s.spans).sum::<usize>(), n + 501, "every span is drawn, merged or not");
        assert!(drawn.len() < 20, "thin neighbours and overlapping waits merge: {} shapes", drawn.len());
        let wide = drawn.iter().find(|s| layout.spans[s.first].start == 40.0).expect("the wide span");
        assert_eq!((wide.spans, wide.x, wide.width), (1, 400.0, 500.0), "a wide span stays alone");
        assert!(drawn.iter().all(|s| s.width >= 1.0));
    }

    /// A juggling main thread: cooks in a row, simmers overlapping them, waits below.
    fn juggling() -> Trace {
        trace(
            vec![
                Span::new("a", 0, SpanKind::Cook, 0.0, 10.0),
                Span::new("a", 0, SpanKind::Simmer, 10.0, 60.0),
                Span::new("b", 0, SpanKind::Wait, 0.0, 10.0),
                Span::new("b", 0, SpanKind::Cook, 10.0, 20.0),
                Span::new("b", 0, SpanKind::Simmer, 20.0, 70.0),
                Span::new("c", 0, SpanKind::Wait, 0.0, 20.0),
                Span::new("c", 0, SpanKind::Cook, 20.0, 30.0),
            ],
            vec![TaskTiming::new("a", 0, 0.0, 0.0, 60.0), TaskTiming::new("b", 0, 0.0, 10.0, 70.0), TaskTiming::new("c", 0, 0.0, 20.0, 30.0)],
            &[0],
        )
    }

    #[test]
    fn cooking_keeps_row_zero_and_overlaps_stack_into_rows() {
        let l = Layout::of(&juggling());
        let rows: Vec<usize> = l.spans.iter().map(|s| s.row).collect();
        // cooks row 0; a's simmer overlaps b's and c's cooking: row 1; b's simmer overlaps a's: row 2;
        // the two waits overlap: thin rows 3 and 4.
        assert_eq!(rows, vec![0, 1, 3, 0, 2, 4, 0]);
        assert_eq!((l.lanes[0].active_rows, l.lanes[0].queue_rows), (3, 2));
        for (i, a) in l.spans.iter().enumerate() {
            for b in &l.spans[i + 1..] {
                let overlap = a.start < b.end && b.start < a.end;
                assert!(!(overlap && a.row == b.row), "{a:?} hides {b:?}");
            }
        }
        assert!(l.spans[2].h < l.spans[0].h, "waits are thinner than cooking");
    }

    #[test]
    fn lanes_are_chefs_and_lane_zero_is_the_main_thread() {
        let t = trace(vec![Span::new("a", 2, SpanKind::Cook, 0.0, 5.0)], vec![TaskTiming::new("a", 2, 0.0, 0.0, 5.0)], &[0, 1]);
        let l = Layout::of(&t);
        let labels: Vec<String> = l.lanes.iter().map(LaneBox::label).collect();
        // Lane 2 is not named by the trace but used by a span: it is shown all the same.
        assert_eq!(labels, ["chef 1 · main thread", "chef 2 · worker 0", "chef 3 · worker 1"]);
        assert!(l.lanes[0].is_main_thread() && !l.lanes[1].is_main_thread());
        assert_eq!(l.lanes[1].y, l.lanes[0].height);
        assert_eq!(l.height, l.lanes.iter().map(|l| l.height).sum::<f64>());
    }

    #[test]
    fn many_simmers_make_thinner_rows_then_share_the_last() {
        let mut spans: Vec<Span> = (0..10).map(|i| Span::new(&format!("d{i}"), 1, SpanKind::Simmer, 0.0, 50.0)).collect();
        spans.extend((0..12).map(|i| Span::new(&format!("d{i}"), 1, SpanKind::Wait, 0.0, 5.0)));
        let l = Layout::of(&trace(spans.clone(), vec![], &[1]));
        let lane = &l.lanes[0];
        assert_eq!((lane.active_rows, lane.queue_rows), (10, MAX_QUEUE_ROWS));
        assert_eq!(lane.height, 2.0 * LANE_PAD + ROW_H + SIMMER_BAND + 2.0 + QUEUE_BAND, "squeezed, not taller");
        let boxes: Vec<(f64, f64)> = (0..lane.active_rows + lane.queue_rows).map(|r| lane.row_box(r)).collect();
        for pair in boxes.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0 + 1e-9, "rows do not overlap: {pair:?}");
        }
        assert!(boxes.last().map_or(0.0, |b| b.0 + b.1) <= lane.y + lane.height);
        assert_eq!(l.dishes.len(), 12, "dishes seen only in spans are listed");
        spans.extend((10..40).map(|i| Span::new(&format!("d{i}"), 1, SpanKind::Simmer, 0.0, 50.0)));
        assert_eq!(Layout::of(&trace(spans, vec![], &[1])).lanes[0].active_rows, MAX_ACTIVE_ROWS);
    }

    #[test]
    fn hit_finds_the_span_under_the_pointer() {
        let l = Layout::of(&juggling());
        let centre = |i: usize| l.spans[i].y + l.spans[i].h / 2.0;
        assert_eq!(l.hit(15.0, centre(3), 0.0), Some(3));
        assert_eq!(l.hit(40.0, centre(1), 0.0), Some(1));
        assert_eq!(l.hit(5.0, centre(2), 0.0), Some(2));
        assert_eq!(l.hit(65.0, centre(0), 0.0), None, "nothing cooks at 65 ms");
        assert_eq!(l.hit(31.0, centre(0), 2.0), Some(6), "near enough to c's cook");
        assert_eq!(l.hit(15.0, -5.0, 1.0), None);
    }

    #[test]
    fn keyboard_steps_along_a_lane_and_between_lanes() {
        let t = trace(
            vec![
                Span::new("a", 1, SpanKind::Cook, 0.0, 50.0),
                Span::new("c", 1, SpanKind::Cook, 50.0, 90.0),
                Span::new("b", 2, SpanKind::Cook, 0.0, 45.0),
                Span::new("c", 2, SpanKind::Wait, 45.0, 50.0),
            ],
            vec![],
            &[1, 2],
        );
        let l = Layout::of(&t);
        assert_eq!(l.step(None, Step::Next), Some(0));
        assert_eq!(l.step(Some(0), Step::Next), Some(1));
        assert_eq!(l.step(Some(1), Step::Next), Some(1), "stays at the lane's end");
        assert_eq!(l.step(Some(0), Step::Prev), Some(0));
        assert_eq!(l.step(Some(1), Step::Down), Some(3), "nearest start on the chef below");
        assert_eq!(l.step(Some(3), Step::Up), Some(1));
        assert_eq!(l.step(Some(0), Step::Up), Some(0), "no chef above");
        assert_eq!(l.step(Some(2), Step::Last), Some(3));
        assert_eq!(l.step(Some(3), Step::First), Some(2));
    }

    #[test]
    fn scale_maps_ms_to_pixels_and_back() {
        let scale = Scale { px_per_ms: 2.0, x0: 4.0 };
        assert_eq!(scale.x(10.0), 24.0);
        assert_eq!(scale.ms(scale.x(37.5)), 37.5);
    }

    #[test]
    fn ticks_are_round_and_readable() {
        assert_eq!(tick_step(612.0, 600.0, 70.0), 100.0);
        assert_eq!(tick_step(612.0, 1200.0, 70.0), 50.0);
        assert_eq!(tick_step(3.0, 600.0, 70.0), 0.5);
        assert_eq!(ticks(612.0, 600.0, 70.0), [0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0]);
        assert_eq!(tick_label(1.5, 0.5), "1.5");
        assert_eq!(tick_label(200.0, 100.0), "200");
    }

    #[test]
    fn texts_name_dish_kind_chef_and_times() {
        let t = juggling();
        let l = Layout::of(&t);
        assert_eq!(describe(&t, &l, 1), "a · simmer (timed wait) · chef 1 (main thread) · start 10.0 ms · duration 50.0 ms");
        assert_eq!(summary(&t, &l), "Measured timeline: 3 dishes on 1 chef, wall 100 ms");
    }

    #[test]
    fn arrows_only_for_the_measured_experiment_and_few_dishes() {
        let t = trace(
            vec![Span::new("stock", 1, SpanKind::Cook, 0.0, 40.0), Span::new("soup", 2, SpanKind::Cook, 41.0, 60.0)],
            vec![TaskTiming::new("stock", 1, 0.0, 0.0, 40.0), TaskTiming::new("soup", 2, 0.0, 41.0, 60.0)],
            &[1, 2],
        );
        let l = Layout::of(&t);
        let mut e: Experiment = serde_json::from_str(
            r#"{"version":1,"model":"parallel","chefs":2,"tasks":[
                {"id":"stock","phases":[{"cook":{"ms":40}}]},
                {"id":"soup","phases":[{"cook":{"ms":20}}],"after":["stock"]}]}"#,
        )
        .unwrap();
        assert_eq!(arrows(&t, &l, &e), Arrows::Drawn(vec![Arrow { from_ms: 40.0, from_lane: 0, to_ms: 41.0, to_lane: 1 }]));
        e.tasks[0].after = vec!["soup".into()];
        e.tasks[1].after = vec![];
        assert_eq!(arrows(&t, &l, &e), Arrows::OtherExperiment, "timings contradict these dependencies");
        e.tasks.pop();
        assert_eq!(arrows(&t, &l, &e), Arrows::OtherExperiment);
        let many = (0..151).map(|i| Span::new(&format!("d{i}"), 1, SpanKind::Cook, i as f64, i as f64 + 1.0)).collect();
        let t = trace(many, vec![], &[1]);
        assert_eq!(arrows(&t, &Layout::of(&t), &e), Arrows::TooMany(151));
    }
}
