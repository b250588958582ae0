//! The replay's state machine: a
//! cursor that moves through the trace at a chosen speed, and seeks backwards or forwards.

/// Slowest and fastest replay, as multiples of the speed the run was measured at.
pub const SPEEDS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];
/// Auto-play only runs up to this long: a minute-long run would leave the chart dimmed for a minute.
pub const AUTOPLAY_MAX_MS: f64 = 10_000.0;
/// A frame longer than this (a background tab, a long task) moves the cursor no further, so the
/// replay does not jump.
pub const MAX_FRAME_MS: f64 = 100.0;

/// A seek this close to the end is the end.
pub const SNAP_MS: f64 = 1e-3;

/// Where the replay is.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// Trace time shown: everything after it is dimmed.
    pub cursor_ms: f64,
    /// The trace's end.
    pub end_ms: f64,
    pub playing: bool,
    /// Trace milliseconds per real millisecond.
    pub speed: f64,
}

/// What can happen to the replay.
#[derive(Clone, Debug, PartialEq)]
pub enum PlaybackAction {
    /// A new trace: from its start, playing, or at its end, still.
    Reset { end_ms: f64, play: bool },
    /// An animation frame: `ms` of real time passed.
    Tick(f64),
    /// The scrubber moved: show up to `ms`, and stop playing.
    Seek(f64),
    /// Play or pause; play from the start again once at the end.
    Toggle,
    Speed(f64),
}

impl Playback {
    /// A replay of a trace ending at `end_ms`: playing from its start when `play`, else at the end.
    pub fn new(end_ms: f64, play: bool) -> Playback {
        Playback { cursor_ms: if play { 0.0 } else { end_ms }, end_ms, playing: play, speed: 1.0 }
    }

    /// Whether to start playing on its own: not when the person prefers reduced motion, nor for a
    /// long trace.
    pub fn autoplays(end_ms: f64, reduced_motion: bool) -> bool {
        !reduced_motion && end_ms > 0.0 && end_ms <= AUTOPLAY_MAX_MS
    }

    /// The state after `action`.
    pub fn apply(&self, action: PlaybackAction) -> Playback {
        let mut next = self.clone();
        match action {
            PlaybackAction::Reset { end_ms, play } => next = Playback { speed: self.speed, ..Playback::new(end_ms, play) },
            PlaybackAction::Tick(ms) if self.playing => {
                next.cursor_ms = (self.cursor_ms + ms.clamp(0.0, MAX_FRAME_MS) * self.speed).min(self.end_ms);
                next.playing = next.cursor_ms < self.end_ms;
            }
            PlaybackAction::Tick(_) => {}
            PlaybackAction::Seek(ms) => {
                // The scrubber's end is the end rounded to its 3 decimals: that is the end.
                let ms = if ms >= self.end_ms - SNAP_MS { self.end_ms } else { ms };
                next.cursor_ms = if ms.is_finite() { ms.clamp(0.0, self.end_ms) } else { self.cursor_ms };
                next.playing = false;
            }
            PlaybackAction::Toggle if self.playing => next.playing = false,
            PlaybackAction::Toggle => {
                if self.cursor_ms >= self.end_ms {
                    next.cursor_ms = 0.0;
                }
                next.playing = self.end_ms > 0.0;
            }
            PlaybackAction::Speed(speed) => next.speed = speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]),
        }
        next
    }

    /// Whether the whole trace is shown (nothing dimmed).
    pub fn at_end(&self) -> bool {
        self.cursor_ms >= self.end_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlaybackAction::*;

    #[test]
    fn plays_at_its_speed_and_stops_at_the_end() {
        let p = Playback::new(100.0, true).apply(Speed(2.0)).apply(Tick(10.0));
        assert_eq!((p.cursor_ms, p.playing), (20.0, true));
        let p = p.apply(Tick(60.0));
        assert_eq!((p.cursor_ms, p.playing), (100.0, false));
        assert!(p.at_end());
        assert_eq!(p.apply(Tick(10.0)), p, "a paused replay ignores frames");
    }

    #[test]
    fn seeks_both_ways_and_pauses() {
        let p = Playback::new(100.0, true).apply(Seek(80.0));
        assert_eq!((p.cursor_ms, p.playing), (80.0, false));
        assert_eq!(p.apply(Seek(30.0)).cursor_ms, 30.0);
        assert_eq!(p.apply(Seek(-5.0)).cursor_ms, 0.0);
        assert_eq!(p.apply(Seek(500.0)).cursor_ms, 100.0);
        assert!(p.apply(Seek(99.9999)).at_end(), "the scrubber's rounded end is the end");
        assert_eq!(p.apply(Seek(f64::NAN)).cursor_ms, 80.0);
    }

    #[test]
    fn toggle_pauses_resumes_and_restarts_at_the_end() {
        let p = Playback::new(100.0, false);
        assert!(p.at_end() && !p.playing);
        let p = p.apply(Toggle);
        assert_eq!((p.cursor_ms, p.playing), (0.0, true));
        let p = p.apply(Tick(50.0)).apply(Toggle);
        assert_eq!((p.cursor_ms, p.playing), (50.0, false));
        assert!(p.apply(Toggle).playing);
    }

    #[test]
    fn long_frames_and_wild_speeds_are_bounded() {
        let p = Playback::new(1000.0, true).apply(Tick(5000.0));
        assert_eq!(p.cursor_ms, MAX_FRAME_MS);
        assert_eq!(p.apply(Speed(100.0)).speed, 4.0);
        assert_eq!(p.apply(Speed(0.0)).speed, 0.25);
        assert_eq!(p.apply(Speed(4.0)).apply(Reset { end_ms: 5.0, play: false }).speed, 4.0, "speed kept");
    }

    #[test]
    fn autoplay_respects_reduced_motion_and_long_traces() {
        assert!(Playback::autoplays(600.0, false));
        assert!(!Playback::autoplays(600.0, true));
        assert!(!Playback::autoplays(60_000.0, false));
        assert!(!Playback::autoplays(0.0, false));
    }
}
