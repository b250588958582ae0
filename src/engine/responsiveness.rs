//! The responsiveness meter's arithmetic: what a page's main thread did while it was watched —
//! gaps between animation frames, long tasks, and how long taps waited to be handled.
//!
//! Pure: the browser glue (`runtime::meter`) feeds it `performance.now()`-based timestamps
//! from a requestAnimationFrame loop, a `longtask` PerformanceObserver and a button's handler,
//! so the arithmetic is tested natively. The report format is in docs/format.md.

use serde::Serialize;

/// One frame at 60 Hz, the rate a page is expected to draw at.
pub const FRAME_MS: f64 = 1000.0 / 60.0;
/// A task longer than this is a long task (the threshold of the Long Tasks API).
pub const LONG_TASK_MS: f64 = 50.0;

/// Where the long-task figures of a report come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LongTaskSource {
    /// The browser's own record: `PerformanceObserver` entries of type `longtask`.
    PerformanceObserver,
    /// Estimated where the browser has no Long Tasks API: each frame gap over
    /// [`LONG_TASK_MS`] counts as one long task lasting the whole gap.
    FrameGaps,
}

/// What the main thread did while the meter ran. Every figure is measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResponsivenessReport {
    /// How long the meter watched, ms.
    pub duration_ms: f64,
    /// Animation frames the main thread ran its requestAnimationFrame callback in.
    pub frames: u32,
    /// The longest time without a frame, ms (including start → first frame and last frame → stop).
    pub longest_gap_ms: f64,
    /// Frames that should have been drawn at 60 Hz but were not: a gap of n frame intervals
    /// (rounded) misses n − 1 frames.
    pub frames_missed: u32,
    /// Main-thread tasks longer than 50 ms that overlapped the watched time.
    pub long_tasks: u32,
    /// Their total duration within the watched time, ms.
    pub long_task_ms: f64,
    pub long_task_source: LongTaskSource,
    /// Taps on the meter's button made while it ran (also those a freeze kept waiting until
    /// after the stop).
    pub taps: u32,
    /// The longest a tap waited before its handler ran (handler time − event time), ms;
    /// `None` without taps.
    pub worst_input_delay_ms: Option<f64>,
    /// When each frame was drawn (its callback ran), ms on the meter's clock
    /// (`performance.now()`), or on the watched run's clock (ms from its start) once
    /// `runtime::run::run_metered` has moved them there. A run's breakdown reads them to tell
    /// which of a juggling chef's turns drew a frame. Not in the JSON report.
    #[serde(skip)]
    pub frames_drawn_ms: Vec<f64>,
}

/// The meter's observations from its start to its stop, gathered as they happen.
#[derive(Clone, Debug)]
pub struct MeterLog {
    start_ms: f64,
    last_frame_ms: f64,
    frames: u32,
    longest_gap_ms: f64,
    frames_missed: u32,
    /// Gaps over [`LONG_TASK_MS`]: the long-task estimate without the Long Tasks API.
    gap_long_tasks: u32,
    gap_long_task_ms: f64,
    /// `(event_ms, delay_ms)`: when each tap happened and how long it waited.
    taps: Vec<(f64, f64)>,
    /// When each frame's callback ran.
    drawn_ms: Vec<f64>,
}

impl MeterLog {
    /// A log whose first gap starts at `start_ms`.
    pub fn new(start_ms: f64) -> MeterLog {
        MeterLog {
            start_ms,
            last_frame_ms: start_ms,
            frames: 0,
            longest_gap_ms: 0.0,
            frames_missed: 0,
            gap_long_tasks: 0,
            gap_long_task_ms: 0.0,
            taps: Vec::new(),
            drawn_ms: Vec::new(),
        }
    }

    /// A frame's callback ran at `at_ms` (the frame itself began at the timestamp given to
    /// [`MeterLog::frame`], which may be earlier: before a task that delayed the callback).
    pub fn drawn(&mut self, at_ms: f64) {
        self.drawn_ms.push(at_ms);
    }

    /// An animation frame ran at `at_ms`.
    pub fn frame(&mut self, at_ms: f64) {
        self.gap_until(at_ms);
        self.frames += 1;
    }

    /// A tap at `event_ms` waited `delay_ms` before its handler ran. Taps are often handled
    /// only after the stop — the freeze that made them wait is what ended — so they are kept
    /// by when they happened.
    pub fn tap(&mut self, event_ms: f64, delay_ms: f64) {
        self.taps.push((event_ms, delay_ms.max(0.0)));
    }

    /// The report at `end_ms`. `long_tasks` are the browser's `(start_ms, duration_ms)` long
    /// task entries, or `None` where it has no Long Tasks API (then frame gaps stand in).
    pub fn finish(mut self, end_ms: f64, long_tasks: Option<&[(f64, f64)]>) -> ResponsivenessReport {
        // The last gap counts too: a run that froze the page until the end drew no frame after.
        self.gap_until(end_ms);
        let (long_tasks, long_task_ms, long_task_source) = match long_tasks {
            Some(entries) => {
                let clipped = clip_to(entries, self.start_ms, end_ms);
                // Folded from +0.0: an empty f64 sum is −0.0, which would print as "-0".
                (clipped.len() as u32, clipped.iter().fold(0.0, |a, b| a + b), LongTaskSource::PerformanceObserver)
            }
            None => (self.gap_long_tasks, self.gap_long_task_ms, LongTaskSource::FrameGaps),
        };
        let delays: Vec<f64> = self.taps.iter().filter(|&&(at, _)| (self.start_ms..=end_ms).contains(&at)).map(|&(_, delay)| delay).collect();
        ResponsivenessReport {
            duration_ms: (end_ms - self.start_ms).max(0.0),
            frames: self.frames,
            longest_gap_ms: self.longest_gap_ms,
            frames_missed: self.frames_missed,
            long_tasks,
            long_task_ms,
            long_task_source,
            taps: delays.len() as u32,
            worst_input_delay_ms: delays.into_iter().reduce(f64::max),
            frames_drawn_ms: self.drawn_ms.into_iter().filter(|&t| t <= end_ms).collect(),
        }
    }

    fn gap_until(&mut self, at_ms: f64) {
        // A frame's timestamp is when the frame began, which may precede the start by a little.
        let gap = (at_ms - self.last_frame_ms).max(0.0);
        self.last_frame_ms = self.last_frame_ms.max(at_ms);
        self.longest_gap_ms = self.longest_gap_ms.max(gap);
        self.frames_missed += frames_missed_in(gap);
        if gap > LONG_TASK_MS {
            self.gap_long_tasks += 1;
            self.gap_long_task_ms += gap;
        }
    }
}

/// Frames a gap of `gap_ms` between two drawn frames missed at 60 Hz. Rounded, not floored:
/// frames land on vsync, so a gap is a whole number of intervals give or take jitter.
pub fn frames_missed_in(gap_ms: f64) -> u32 {
    ((gap_ms / FRAME_MS).round() - 1.0).max(0.0) as u32
}

/// The durations of `(start, duration)` entries within `[from, to]`, leaving out those outside.
fn clip_to(entries: &[(f64, f64)], from: f64, to: f64) -> Vec<f64> {
    entries
        .iter()
        .map(|&(start, duration)| (start + duration).min(to) - start.max(from))
        .filter(|&inside| inside > 0.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady(log: &mut MeterLog, from: f64, frames: u32) -> f64 {
        (1..=frames).map(|i| from + i as f64 * FRAME_MS).inspect(|&t| log.frame(t)).last().unwrap_or(from)
    }

    #[test]
    fn steady_frames_miss_nothing_and_have_no_long_tasks() {
        let mut log = MeterLog::new(1000.0);
        let last = steady(&mut log, 1000.0, 60);
        let r = log.finish(last + 5.0, None);
        assert_eq!((r.frames, r.frames_missed, r.long_tasks), (60, 0, 0));
        assert!((r.longest_gap_ms - FRAME_MS).abs() < 1e-9, "{}", r.longest_gap_ms);
        assert!((r.duration_ms - (1000.0 + 5.0)).abs() < 1e-9);
        assert_eq!(r.long_task_source, LongTaskSource::FrameGaps);
        assert_eq!((r.taps, r.worst_input_delay_ms), (0, None));
    }

    #[test]
    fn a_300_ms_freeze_misses_17_frames_and_is_one_long_task_by_its_gap() {
        let mut log = MeterLog::new(0.0);
        let last = steady(&mut log, 0.0, 3);
        log.frame(last + 300.0);
        let r = log.finish(last + 300.0, None);
        assert_eq!(r.longest_gap_ms, 300.0);
        assert_eq!(r.frames_missed, 17, "18 intervals, one of them drawn");
        assert_eq!((r.long_tasks, r.long_task_ms), (1, 300.0));
    }

    #[test]
    fn jittered_gaps_round_to_whole_frames() {
        assert_eq!(frames_missed_in(15.9), 0);
        assert_eq!(frames_missed_in(17.6), 0);
        assert_eq!(frames_missed_in(32.9), 1);
        assert_eq!(frames_missed_in(0.0), 0);
    }

    #[test]
    fn a_freeze_until_the_stop_counts_as_a_gap() {
        let mut log = MeterLog::new(0.0);
        log.frame(10.0);
        let r = log.finish(910.0, None);
        assert_eq!(r.longest_gap_ms, 900.0);
        assert_eq!(r.frames, 1);
    }

    #[test]
    fn long_task_entries_are_clipped_to_the_watched_time() {
        let log = MeterLog::new(100.0);
        // Before the start, straddling the start, inside, straddling the stop, after the stop.
        let entries = [(0.0, 60.0), (80.0, 70.0), (200.0, 55.0), (950.0, 100.0), (1200.0, 80.0)];
        let r = log.finish(1000.0, Some(&entries));
        assert_eq!(r.long_task_source, LongTaskSource::PerformanceObserver);
        assert_eq!(r.long_tasks, 3);
        assert!((r.long_task_ms - (50.0 + 55.0 + 50.0)).abs() < 1e-9, "{}", r.long_task_ms);
    }

    #[test]
    fn taps_before_the_stop_report_their_count_and_the_worst_delay() {
        let mut log = MeterLog::new(0.0);
        // The last one happened after the stop: not this run's.
        for (at, delay) in [(10.0, 3.0), (50.0, 412.5), (480.0, 20.0), (490.0, -0.01), (501.0, 900.0)] {
            log.tap(at, delay);
        }
        let r = log.finish(500.0, Some(&[]));
        assert_eq!((r.taps, r.worst_input_delay_ms), (4, Some(412.5)));
        assert_eq!((r.long_tasks, r.long_task_ms), (0, 0.0));
        assert!(r.long_task_ms.is_sign_positive(), "no long tasks is 0 ms, not −0");
    }

    #[test]
    fn frames_drawn_before_the_stop_are_kept_but_not_serialised() {
        let mut log = MeterLog::new(0.0);
        for at in [16.0, 33.5, 51.0] {
            log.frame(at - 0.5);
            log.drawn(at);
        }
        let r = log.finish(40.0, None);
        assert_eq!(r.frames_drawn_ms, [16.0, 33.5]);
        assert!(serde_json::to_value(&r).unwrap().get("frames_drawn_ms").is_none());
    }

    #[test]
    fn the_report_serialises_with_snake_case_fields() {
        let json = serde_json::to_value(MeterLog::new(0.0).finish(20.0, None)).unwrap();
        for key in ["duration_ms", "longest_gap_ms", "frames_missed", "long_task_ms", "worst_input_delay_ms"] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        assert_eq!(json["long_task_source"], "frame_gaps");
    }
}
