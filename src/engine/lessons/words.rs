//! Numbers in words for verdicts: durations, units of work, ratios, named numbers, and the
//! usual reason a parallel speedup falls short.

/// Milliseconds for people: "2003 ms", "12.5 ms", "200 s", "50 µs", "0.40 µs".
pub(super) fn ms(x: f64) -> String {
    match x {
        x if x.abs() < 0.01 => format!("{:.2} µs", x * 1000.0),
        x if x < 1.0 => format!("{:.0} µs", x * 1000.0),
        x if x >= 100_000.0 => format!("{:.0} s", x / 1000.0),
        x if x >= 10_000.0 => format!("{:.1} s", x / 1000.0),
        x if x >= 100.0 => format!("{x:.0} ms"),
        x => format!("{x:.1} ms"),
    }
}

/// A piece of work for people: "1 unit", "4 units".
pub(super) fn units(n: f64) -> String {
    if n == 1.0 {
        "1 unit".into()
    } else {
        format!("{n} units")
    }
}

/// A ratio for people: "1.93×".
pub(super) fn times(x: f64) -> String {
    format!("{x:.2}×")
}

/// A named number of a verdict.
pub(super) fn num(name: impl Into<String>, value: f64) -> (String, f64) {
    (name.into(), value)
}

/// Why a parallel speedup may fall short on a machine that has the cores for it.
pub(super) const BUSY: &str = "other programs were probably using some of the cores while it ran (or the machine reports \
                               more cores than it lets this page use); try again with nothing else running";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_ratios_read_well() {
        assert_eq!(ms(2003.4), "2003 ms");
        assert_eq!(ms(12.46), "12.5 ms");
        assert_eq!(ms(20_034.0), "20.0 s");
        assert_eq!(ms(200_340.0), "200 s");
        assert_eq!(ms(0.05), "50 µs");
        assert_eq!(ms(0.0004), "0.40 µs");
        assert_eq!(times(1.934), "1.93×");
        assert_eq!((units(1.0), units(4.0)), ("1 unit".to_string(), "4 units".to_string()));
    }
}
