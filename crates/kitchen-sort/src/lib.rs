//! The sort kernel's sort, compiled apart from the app.
//!
//! `<[u32]>::sort_unstable` is generic, so its code is made in the crate that calls it, at that
//! crate's opt-level. The web build optimises the app for size (`opt-level = "z"`), which made
//! this sort 31 % slower per unit (its small-sort networks are no longer inlined); called from
//! here, it is made at this crate's own opt-level (issue 12). Nothing else belongs here.

#![no_std]

/// Sorts `buf` ascending with std's unstable sort. Not inlined: the sort is made here, not in
/// the caller.
#[inline(never)]
pub fn sort_unstable(buf: &mut [u32]) {
    buf.sort_unstable();
}
