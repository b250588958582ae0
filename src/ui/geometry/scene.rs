//! The kitchen scene's state at one moment of a measured trace: which chefs cook and at which
//! stove (a core), who waits for a stove, which pots simmer, which dishes wait on the order
//! rail or for other dishes, and which are done at the pass. Everything is read from the trace
//! — never simulated — so the scene shows what the timeline shows at the replay's cursor.
//!
//! [`SceneModel::of`] indexes a trace once (start and end times sorted per kind of stretch);
//! [`SceneModel::at`] then answers for any time with binary searches plus the few dishes it
//! names, so each replay frame of a 1000-dish run costs microseconds. Crowds are counted, and
//! only [`MAX_SHOWN`] of each are drawn one by one.

use super::timeline::{dish_order, lane_ids};
use crate::engine::trace::{SpanKind, Trace};

/// Most dishes of one kind drawn one by one; beyond, the scene draws a count.
pub const MAX_SHOWN: usize = 12;

/// A stretch of time of one dish (an index into [`SceneModel::dishes`]).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Interval {
    start: f64,
    end: f64,
    dish: usize,
}

/// Intervals sorted by start, with their ends sorted too: how many cover a time is two binary
/// searches (started by then, minus ended by then).
#[derive(Debug, Default, PartialEq)]
struct Intervals {
    by_start: Vec<Interval>,
    ends: Vec<f64>,
}

impl Intervals {
    fn new(mut all: Vec<Interval>) -> Intervals {
        // An empty stretch covers no time.
        all.retain(|i| i.end > i.start);
        all.sort_by(|a, b| a.start.total_cmp(&b.start));
        let mut ends: Vec<f64> = all.iter().map(|i| i.end).collect();
        ends.sort_by(f64::total_cmp);
        Intervals { by_start: all, ends }
    }

    /// Those started by `t`: a prefix of `by_start`.
    fn started(&self, t: f64) -> usize {
        self.by_start.partition_point(|i| i.start <= t)
    }

    /// How many cover `t` (start ≤ t < end). Every interval that ended by `t` had started.
    fn count(&self, t: f64) -> usize {
        self.started(t) - self.ends.partition_point(|&e| e <= t)
    }

    /// The count at `t`, and up to [`MAX_SHOWN`] of those dishes, the latest started first.
    fn group(&self, t: f64) -> Group {
        let count = self.count(t);
        let want = count.min(MAX_SHOWN);
        let mut dishes = Vec::with_capacity(want);
        for i in self.by_start[..self.started(t)].iter().rev() {
            if dishes.len() == want {
                break;
            }
            if i.end > t {
                dishes.push(i.dish);
            }
        }
        Group { count, dishes }
    }

    /// The interval covering `t` when they do not overlap (one chef's cooking).
    fn at(&self, t: f64) -> Option<Interval> {
        let started = self.started(t);
        started.checked_sub(1).map(|k| self.by_start[k]).filter(|i| i.end > t)
    }
}

/// Some dishes in one state: how many, and the first [`MAX_SHOWN`] of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    pub count: usize,
    /// Indices into [`SceneModel::dishes`].
    pub dishes: Vec<usize>,
}

/// One chef (a lane of the trace, a real thread).
#[derive(Clone, Debug, PartialEq)]
pub struct Chef {
    /// 1-based, in lane order: the timeline's chef numbers.
    pub number: usize,
    /// The trace's lane (0 = the page's main thread).
    pub lane: usize,
    /// "main thread" or "worker 0".
    pub thread: String,
}

impl Chef {
    pub fn is_main_thread(&self) -> bool {
        self.lane == 0
    }
}

/// What a chef does at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Doing {
    /// Computing this dish: at a stove, or waiting for one.
    Cooking(usize),
    /// Standing by this dish's pot while it simmers (a chef who does not juggle).
    Watching(usize),
    /// Nothing to do: away from the stoves.
    Idle,
}

/// A chef at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct ChefNow {
    pub doing: Doing,
    /// The stove it cooks at (index into [`SceneState::stoves`]); `None` while it waits for one.
    pub stove: Option<usize>,
    /// Pots this chef put on that simmer on their own (a juggling chef's).
    pub pots: usize,
}

/// The whole scene at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneState {
    pub at_ms: f64,
    /// Per chef, in [`SceneModel::chefs`] order.
    pub chefs: Vec<ChefNow>,
    /// Per stove (a core the machine reports), the chef cooking there (index into `chefs`).
    pub stoves: Vec<Option<usize>>,
    /// Chefs cooking with every stove taken: more chefs than cores take turns on them.
    pub queued: Vec<usize>,
    /// Pots simmering (timed waits under way).
    pub simmering: Group,
    /// On the order rail: eligible dishes no chef has taken up yet.
    pub waiting: Group,
    /// Also on the rail: started dishes set aside while their juggling chef does another.
    pub set_aside: Group,
    /// Waiting for the dishes they come after.
    pub blocked: Group,
    /// Done, at the pass; the latest first.
    pub done: Group,
}

impl SceneState {
    /// The chefs cooking (indices into `chefs`), at a stove or waiting for one.
    pub fn cooking(&self) -> Vec<usize> {
        (0..self.chefs.len()).filter(|&c| matches!(self.chefs[c].doing, Doing::Cooking(_))).collect()
    }
}

/// A trace indexed for the scene.
#[derive(Debug, PartialEq)]
pub struct SceneModel {
    pub chefs: Vec<Chef>,
    /// Dish names in the timeline's order (so the index picks the same colour there and here).
    pub dishes: Vec<String>,
    /// Stoves: the cores the machine reports (at least one).
    pub stoves: usize,
    /// Whether the chefs juggle (then a simmering pot does not keep its chef).
    pub juggles: bool,
    pub end_ms: f64,
    /// Per chef: its cooking, and the simmers it started.
    cooks: Vec<Intervals>,
    pots: Vec<Intervals>,
    simmers: Intervals,
    waits: Intervals,
    ready: Intervals,
    /// Per dish with dependencies: from the run's start until they were all done.
    blocked: Intervals,
    /// When each dish ended, sorted, with the dish.
    ends: Vec<(f64, usize)>,
}

impl SceneModel {
    /// Indexes `trace` for a kitchen of `cores` stoves.
    pub fn of(trace: &Trace, cores: usize) -> SceneModel {
        let dishes = dish_order(trace);
        let dish_of: std::collections::HashMap<&str, usize> = dishes.iter().enumerate().map(|(i, d)| (d.as_str(), i)).collect();
        let lanes = lane_ids(trace);
        let chef_of: std::collections::HashMap<usize, usize> = lanes.iter().enumerate().map(|(c, l)| (l.0, c)).collect();
        let spans = |kind: SpanKind, lane: Option<usize>| {
            let spans = trace.spans.iter().filter(|s| s.kind == kind && lane.is_none_or(|c| chef_of[&s.lane] == c));
            Intervals::new(spans.map(|s| Interval { start: s.start_ms, end: s.end_ms, dish: dish_of[s.task.as_str()] }).collect())
        };
        let tasks = |from: fn(&crate::engine::trace::TaskTiming) -> (f64, f64)| {
            let all = trace.tasks.iter().map(|t| (from(t), dish_of[t.id.as_str()]));
            Intervals::new(all.map(|((start, end), dish)| Interval { start, end, dish }).collect())
        };
        let mut ends: Vec<(f64, usize)> = trace.tasks.iter().map(|t| (t.end_ms, dish_of[t.id.as_str()])).collect();
        ends.sort_by(|a, b| a.0.total_cmp(&b.0));
        SceneModel {
            cooks: (0..lanes.len()).map(|c| spans(SpanKind::Cook, Some(c))).collect(),
            pots: (0..lanes.len()).map(|c| spans(SpanKind::Simmer, Some(c))).collect(),
            simmers: spans(SpanKind::Simmer, None),
            ready: spans(SpanKind::Ready, None),
            waits: tasks(|t| (t.eligible_ms, t.start_ms)),
            // Blocked from the start until eligible; a dish with no dependencies never is.
            blocked: tasks(|t| (0.0, t.eligible_ms)),
            ends,
            chefs: lanes
                .into_iter()
                .enumerate()
                .map(|(i, (lane, thread))| Chef {
                    number: i + 1,
                    lane,
                    thread: if lane == 0 { "main thread".to_string() } else { thread },
                })
                .collect(),
            dishes,
            stoves: cores.max(1),
            juggles: trace.model.juggles(),
            end_ms: super::timeline::end_ms(trace),
        }
    }

    /// The scene at `t` ms from the run's start.
    pub fn at(&self, t: f64) -> SceneState {
        let mut chefs: Vec<ChefNow> = (0..self.chefs.len())
            .map(|c| {
                let cooking = self.cooks[c].at(t).map(|i| Doing::Cooking(i.dish));
                // A chef who does not juggle stays by its pot; a juggling chef's pots simmer alone.
                let watching = (!self.juggles).then(|| self.pots[c].at(t)).flatten().map(|i| Doing::Watching(i.dish));
                let pots = if self.juggles { self.pots[c].count(t) } else { 0 };
                ChefNow { doing: cooking.or(watching).unwrap_or(Doing::Idle), stove: None, pots }
            })
            .collect();
        let (stoves, queued) = self.assign_stoves(&mut chefs);
        let done = self.ends.partition_point(|e| e.0 <= t);
        SceneState {
            at_ms: t,
            chefs,
            stoves,
            queued,
            simmering: self.simmers.group(t),
            waiting: self.waits.group(t),
            set_aside: self.ready.group(t),
            blocked: self.blocked.group(t),
            done: Group { count: done, dishes: self.ends[done.saturating_sub(MAX_SHOWN)..done].iter().rev().map(|e| e.1).collect() },
        }
    }

    /// Cooking chefs take stoves: chef `c` the stove `c mod stoves` if it is free, else any free
    /// one (so a chef keeps its stove while the others come and go); the rest queue.
    fn assign_stoves(&self, chefs: &mut [ChefNow]) -> (Vec<Option<usize>>, Vec<usize>) {
        let mut stoves = vec![None; self.stoves];
        let mut waiting = vec![];
        let cooking: Vec<usize> = (0..chefs.len()).filter(|&c| matches!(chefs[c].doing, Doing::Cooking(_))).collect();
        for &c in &cooking {
            let own = c % self.stoves;
            if stoves[own].is_none() {
                stoves[own] = Some(c);
                chefs[c].stove = Some(own);
            } else {
                waiting.push(c);
            }
        }
        let mut queued = vec![];
        for c in waiting {
            match stoves.iter().position(Option::is_none) {
                Some(free) => {
                    stoves[free] = Some(c);
                    chefs[c].stove = Some(free);
                }
                None => queued.push(c),
            }
        }
        (stoves, queued)
    }

    /// One paragraph saying what the scene shows at `s`: the text alternative.
    pub fn describe(&self, s: &SceneState) -> String {
        let mut parts = vec![];
        let cooking = s.cooking();
        let named = |c: usize| {
            let chef = &self.chefs[c];
            format!("chef {} ({})", chef.number, chef.thread)
        };
        for &c in cooking.iter().filter(|&&c| s.chefs[c].stove.is_some()).take(8) {
            let Doing::Cooking(dish) = s.chefs[c].doing else { continue };
            parts.push(format!("{} cooks {} at stove {}", named(c), self.dishes[dish], s.chefs[c].stove.unwrap_or(0) + 1));
        }
        let at_stoves = cooking.len() - s.queued.len();
        if at_stoves > 8 {
            parts.push(format!("{} more chefs cook", at_stoves - 8));
        }
        if !s.queued.is_empty() {
            parts.push(format!(
                "{} waiting for a stove (more chefs cooking than the {} cores: they take turns)",
                count(s.queued.len(), "chef", "chefs"),
                self.stoves
            ));
        }
        let watching = s.chefs.iter().filter(|c| matches!(c.doing, Doing::Watching(_))).count();
        if watching > 0 {
            parts.push(format!("{} standing by a simmering pot", count(watching, "chef", "chefs")));
        }
        let idle = s.chefs.iter().filter(|c| c.doing == Doing::Idle).count();
        if idle > 0 {
            parts.push(format!("{} with nothing to do", count(idle, "chef", "chefs")));
        }
        let alone = if self.juggles && s.simmering.count > 0 { " on their own" } else { "" };
        parts.push(format!("{} simmering{alone}", count(s.simmering.count, "pot", "pots")));
        parts.push(format!("{} on the order rail", count(s.waiting.count + s.set_aside.count, "dish", "dishes")));
        if s.set_aside.count > 0 {
            parts.push(format!("{} of them set aside by a juggling chef", s.set_aside.count));
        }
        if s.blocked.count > 0 {
            parts.push(format!("{} waiting for the dishes they come after", count(s.blocked.count, "dish", "dishes")));
        }
        parts.push(format!("{} done", count(s.done.count, "dish", "dishes")));
        format!("At {:.0} of {:.0} ms: {}.", s.at_ms, self.end_ms, parts.join("; "))
    }
}

/// The drawing's coordinates: a fixed viewBox, scaled to the width the scene gets. The left
/// part holds the order rail, the stoves and the chefs away from them; the right part the
/// dishes waiting for others, the simmering pots and the pass.
pub mod spot {
    pub const VIEW_W: f64 = 600.0;
    pub const VIEW_H: f64 = 282.0;
    pub const LEFT_X: f64 = 8.0;
    pub const LEFT_W: f64 = 392.0;
    pub const RIGHT_X: f64 = 416.0;
    pub const RIGHT_W: f64 = 176.0;
    /// The order rail's bar (its tickets hang below it).
    pub const RAIL_Y: f64 = 20.0;
    /// The stoves' caption, where a chef at a stove stands (the stove hides its legs), and
    /// the stoves' top and height.
    pub const STOVES_LABEL_Y: f64 = 64.0;
    pub const AT_STOVE_Y: f64 = 120.0;
    pub const STOVE_TOP: f64 = 136.0;
    pub const STOVE_H: f64 = 34.0;
    /// The captions of the chefs away from the stoves, and where they stand.
    pub const AWAY_LABEL_Y: f64 = 194.0;
    pub const AWAY_Y: f64 = 244.0;
    /// Widest a stove is drawn, and a chef away from the stoves.
    pub const MAX_STOVE_W: f64 = 84.0;
    pub const CHEF_W: f64 = 30.0;
    /// Space between groups of chefs away from the stoves.
    pub const GROUP_GAP: f64 = 14.0;
}

/// Where things are drawn at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Spots {
    /// Each stove's width and centre.
    pub stove_w: f64,
    pub stoves: Vec<f64>,
    /// Each chef's position (its body's centre).
    pub chefs: Vec<(f64, f64)>,
    /// How much the chefs away from the stoves are shrunk so that all of them fit.
    pub away_scale: f64,
    /// The groups of chefs away from the stoves: where each starts, and what it is.
    pub groups: Vec<(f64, &'static str)>,
}

impl SceneModel {
    /// Where the stoves and the chefs go in `s`: a cooking chef at its stove; the others in
    /// groups beside each other — waiting for a stove, standing by a pot, nothing to do.
    pub fn spots(&self, s: &SceneState) -> Spots {
        use spot::*;
        let stove_w = (LEFT_W / self.stoves as f64).min(MAX_STOVE_W);
        let stoves: Vec<f64> = (0..self.stoves).map(|i| LEFT_X + stove_w * (i as f64 + 0.5)).collect();
        let groups_of: [(&'static str, Vec<usize>); 3] = [
            ("waiting for a stove", s.queued.clone()),
            ("by their pots", (0..s.chefs.len()).filter(|&c| matches!(s.chefs[c].doing, Doing::Watching(_))).collect()),
            ("nothing to do", (0..s.chefs.len()).filter(|&c| s.chefs[c].doing == Doing::Idle).collect()),
        ];
        let away: usize = groups_of.iter().map(|g| g.1.len()).sum();
        let used = groups_of.iter().filter(|g| !g.1.is_empty()).count();
        let room = LEFT_W - GROUP_GAP * used.saturating_sub(1) as f64;
        let chef_w = (room / away.max(1) as f64).min(CHEF_W);
        let mut chefs = vec![(0.0, 0.0); s.chefs.len()];
        for (c, now) in s.chefs.iter().enumerate() {
            if let Some(stove) = now.stove {
                chefs[c] = (stoves[stove], AT_STOVE_Y);
            }
        }
        let mut groups = vec![];
        let mut x = LEFT_X;
        for (label, members) in groups_of.into_iter().filter(|g| !g.1.is_empty()) {
            groups.push((x, label));
            for c in members {
                chefs[c] = (x + chef_w / 2.0, AWAY_Y);
                x += chef_w;
            }
            x += GROUP_GAP;
        }
        Spots { stove_w, stoves, chefs, away_scale: chef_w / CHEF_W, groups }
    }
}

/// "1 dish", "3 dishes".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{Lane, Span, TaskTiming};
    use crate::engine::Model;

    /// A measured trace on `lanes` (one chef each) that ends when its last dish does.
    fn trace(model: Model, lanes: &[usize], tasks: Vec<TaskTiming>, spans: Vec<Span>) -> Trace {
        let mut t = Trace::measured(model, lanes.len()).with_spans(spans);
        t.lanes = lanes.iter().map(|&l| Lane::for_id(l)).collect();
        t.with_wall(0.0).with_tasks(tasks)
    }

    /// One sequential chef: soup cooks 0–10 then simmers 10–30 (the chef stands by it); bread
    /// waits on the rail until 30 and cooks 30–40; pie comes after bread.
    fn sequential() -> Trace {
        use SpanKind::*;
        trace(
            Model::Sequential,
            &[1],
            vec![TaskTiming::new("soup", 1, 0.0, 0.0, 30.0), TaskTiming::new("bread", 1, 0.0, 30.0, 40.0), TaskTiming::new("pie", 1, 40.0, 40.0, 45.0)],
            vec![
                Span::new("soup", 1, Cook, 0.0, 10.0),
                Span::new("soup", 1, Simmer, 10.0, 30.0),
                Span::new("bread", 1, Wait, 0.0, 30.0),
                Span::new("bread", 1, Cook, 30.0, 40.0),
                Span::new("pie", 1, Cook, 40.0, 45.0),
            ],
        )
    }

    #[test]
    fn a_sequential_chef_cooks_then_stands_by_its_pot() {
        let model = SceneModel::of(&sequential(), 2);
        assert_eq!(model.dishes, ["soup", "bread", "pie"]);
        let s = model.at(5.0);
        assert_eq!(s.chefs[0].doing, Doing::Cooking(0));
        assert_eq!(s.stoves, [Some(0), None]);
        assert_eq!((s.waiting.count, s.waiting.dishes.clone()), (1, vec![1]), "bread waits on the rail");
        assert_eq!((s.blocked.count, s.blocked.dishes.clone()), (1, vec![2]), "pie waits for bread");
        let s = model.at(20.0);
        assert_eq!(s.chefs[0].doing, Doing::Watching(0), "no juggling: the chef stays by the pot");
        assert_eq!(s.chefs[0].stove, None);
        assert_eq!(s.stoves, [None, None]);
        assert_eq!(s.simmering.count, 1);
        assert_eq!(s.chefs[0].pots, 0, "its pot is not simmering on its own");
        let s = model.at(35.0);
        assert_eq!((s.chefs[0].doing, s.waiting.count, s.done.dishes.clone()), (Doing::Cooking(1), 0, vec![0]));
        let end = model.at(45.0);
        assert_eq!((end.done.count, end.blocked.count, end.chefs[0].doing), (3, 0, Doing::Idle));
        assert_eq!(end.done.dishes, [2, 1, 0], "the latest done first");
    }

    #[test]
    fn a_juggling_chef_cooks_while_its_pots_simmer_alone() {
        use SpanKind::*;
        let t = trace(
            Model::Concurrent,
            &[0],
            vec![TaskTiming::new("a", 0, 0.0, 0.0, 60.0), TaskTiming::new("b", 0, 0.0, 5.0, 70.0), TaskTiming::new("c", 0, 0.0, 10.0, 30.0)],
            vec![
                Span::new("a", 0, Cook, 0.0, 5.0),
                Span::new("a", 0, Simmer, 5.0, 55.0),
                Span::new("b", 0, Wait, 0.0, 5.0),
                Span::new("b", 0, Cook, 5.0, 10.0),
                Span::new("b", 0, Simmer, 10.0, 60.0),
                Span::new("c", 0, Wait, 0.0, 10.0),
                Span::new("c", 0, Cook, 10.0, 30.0),
                Span::new("a", 0, Ready, 55.0, 58.0),
                Span::new("a", 0, Cook, 58.0, 60.0),
                Span::new("b", 0, Cook, 60.0, 70.0),
            ],
        );
        let model = SceneModel::of(&t, 1);
        assert!(model.chefs[0].is_main_thread());
        let s = model.at(20.0);
        assert_eq!(s.chefs[0].doing, Doing::Cooking(2));
        assert_eq!((s.simmering.count, s.chefs[0].pots), (2, 2), "two pots simmer while the chef cooks c");
        assert_eq!(s.simmering.dishes, [1, 0], "the latest put on first");
        let s = model.at(56.0);
        assert_eq!((s.chefs[0].doing, s.set_aside.count, s.simmering.count), (Doing::Idle, 1, 1));
        let text = model.describe(&model.at(20.0));
        assert!(text.contains("chef 1 (main thread) cooks c at stove 1"), "{text}");
        assert!(text.contains("2 pots simmering on their own"), "{text}");
    }

    #[test]
    fn more_chefs_than_stoves_queue_and_keep_their_stoves() {
        use SpanKind::*;
        let t = trace(
            Model::Parallel,
            &[1, 2, 3],
            vec![TaskTiming::new("a", 1, 0.0, 0.0, 10.0), TaskTiming::new("b", 2, 0.0, 0.0, 20.0), TaskTiming::new("c", 3, 0.0, 0.0, 20.0)],
            vec![Span::new("a", 1, Cook, 0.0, 10.0), Span::new("b", 2, Cook, 0.0, 20.0), Span::new("c", 3, Cook, 0.0, 20.0)],
        );
        let model = SceneModel::of(&t, 2);
        let s = model.at(5.0);
        assert_eq!(s.cooking(), [0, 1, 2]);
        assert_eq!(s.stoves, [Some(0), Some(1)]);
        assert_eq!(s.queued, [2], "chef 3 waits for a stove");
        assert_eq!(s.chefs[2].stove, None);
        let s = model.at(15.0);
        assert_eq!(s.stoves, [Some(2), Some(1)], "chef 3 takes the stove chef 1 left; chef 2 keeps its own");
        assert!(s.queued.is_empty());
        assert!(model.describe(&model.at(5.0)).contains("1 chef waiting for a stove"));
    }

    #[test]
    fn a_thousand_pots_are_counted_and_a_few_drawn() {
        let tasks = (0..1000).map(|i| TaskTiming::new(format!("order-{i}"), 0, 0.0, 0.0, 200.0 + i as f64 / 10.0)).collect();
        let spans = (0..1000).map(|i| Span::new(format!("order-{i}"), 0, SpanKind::Simmer, i as f64 / 100.0, 200.0 + i as f64 / 10.0)).collect();
        let model = SceneModel::of(&trace(Model::Concurrent, &[0], tasks, spans), 2);
        let s = model.at(150.0);
        assert_eq!((s.simmering.count, s.simmering.dishes.len()), (1000, MAX_SHOWN));
        let s = model.at(249.95); // orders 0..=499 are done (each ends at 200 + i/10 ms)
        assert_eq!((s.simmering.count, s.done.count, s.done.dishes.len()), (500, 500, MAX_SHOWN));
        assert!(model.describe(&s).contains("500 pots simmering on their own"));
    }

    #[test]
    fn spots_put_cooks_at_their_stoves_and_the_rest_in_groups_that_fit() {
        use spot::*;
        use SpanKind::*;
        // Twelve chefs on four stoves: six cook (four at stoves, two queue), six idle.
        let lanes: Vec<usize> = (1..=12).collect();
        let names: Vec<String> = (0..12).map(|i| format!("d{i}")).collect();
        let tasks = names.iter().enumerate().map(|(i, n)| TaskTiming::new(n.as_str(), i + 1, 0.0, 0.0, if i < 6 { 20.0 } else { 1.0 })).collect();
        let spans = names.iter().enumerate().map(|(i, n)| Span::new(n, i + 1, Cook, 0.0, if i < 6 { 20.0 } else { 1.0 })).collect();
        let model = SceneModel::of(&trace(Model::Parallel, &lanes, tasks, spans), 4);
        let s = model.at(10.0);
        let p = model.spots(&s);
        assert_eq!((p.stoves.len(), s.queued.len()), (4, 2));
        for (c, now) in s.chefs.iter().enumerate() {
            match now.stove {
                Some(stove) => assert_eq!(p.chefs[c], (p.stoves[stove], AT_STOVE_Y)),
                None => assert_eq!(p.chefs[c].1, AWAY_Y),
            }
        }
        assert_eq!(p.groups.iter().map(|g| g.1).collect::<Vec<_>>(), ["waiting for a stove", "nothing to do"]);
        let mut away: Vec<f64> = (0..12).filter(|&c| s.chefs[c].stove.is_none()).map(|c| p.chefs[c].0).collect();
        away.sort_by(f64::total_cmp);
        assert!(away.windows(2).all(|w| w[1] - w[0] >= CHEF_W * p.away_scale - 1e-9), "no two chefs on one spot");
        assert!(away.iter().all(|&x| x > LEFT_X && x < LEFT_X + LEFT_W), "{away:?}");
        assert!(p.stoves.iter().all(|&x| x - p.stove_w / 2.0 >= LEFT_X - 1e-9 && x + p.stove_w / 2.0 <= LEFT_X + LEFT_W + 1e-9));
        // Sixty-four chefs with nothing to do still fit, smaller.
        let lanes: Vec<usize> = (1..=64).collect();
        let model = SceneModel::of(&trace(Model::Parallel, &lanes, vec![], vec![]), 2);
        let p = model.spots(&model.at(0.0));
        assert!(p.away_scale < 0.25 && p.chefs.iter().all(|&(x, _)| x < LEFT_X + LEFT_W));
    }

    /// Counting by binary search agrees with looking at every stretch, at every time.
    #[test]
    fn counts_agree_with_a_plain_scan() {
        let mut x = 0x2545_f491u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            f64::from(x % 1000)
        };
        let spans: Vec<Span> = (0..300)
            .map(|i| {
                let (a, b) = (next(), next());
                Span::new(&format!("d{}", i % 40), 1 + i % 3, [SpanKind::Simmer, SpanKind::Ready][i % 2], a.min(b), a.max(b))
            })
            .collect();
        let model = SceneModel::of(&trace(Model::ConcurrentParallel, &[1, 2, 3], vec![], spans.clone()), 4);
        for t in (0..1000).map(|t| t as f64 + 0.5).chain([0.0, 999.0]) {
            let covering = |kind| spans.iter().filter(|s| s.kind == kind && s.start_ms <= t && t < s.end_ms).count();
            let s = model.at(t);
            assert_eq!(s.simmering.count, covering(SpanKind::Simmer), "at {t}");
            assert_eq!(s.set_aside.count, covering(SpanKind::Ready), "at {t}");
            assert_eq!(s.simmering.dishes.len(), s.simmering.count.min(MAX_SHOWN));
            assert_eq!(s.chefs.iter().map(|c| c.pots).sum::<usize>(), s.simmering.count);
        }
    }
}
