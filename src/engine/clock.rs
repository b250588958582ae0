//! Where time comes from: a trait so the engine runs with the browser's clock or the OS's.

/// A monotonic clock in milliseconds, shared by every chef of a run so their spans line up.
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> f64;
}

/// Native clock: milliseconds since this clock was created.
#[cfg(not(target_arch = "wasm32"))]
pub struct SystemClock {
    epoch: std::time::Instant,
}

#[cfg(not(target_arch = "wasm32"))]
impl SystemClock {
    pub fn new() -> Self {
        SystemClock { epoch: std::time::Instant::now() }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_ms(&self) -> f64 {
        self.epoch.elapsed().as_secs_f64() * 1000.0
    }
}
