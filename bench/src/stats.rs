//! Medians, geomeans and timing helpers.

use std::time::{Duration, Instant};

/// Median of `xs` (0 if empty); sorts `xs`.
pub fn median(xs: &mut [f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    }
}

/// Geometric mean of positive `xs` (1 if empty).
pub fn geomean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 1.0;
    }
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

/// Runs `f` once and returns its result and the elapsed seconds.
pub fn time<R>(f: impl FnOnce() -> R) -> (R, f64) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed().as_secs_f64())
}

/// Formats seconds for a table (µs / ms / s).
pub fn fmt_secs(s: f64) -> String {
    let d = Duration::from_secs_f64(s.max(0.0));
    if d < Duration::from_millis(1) {
        format!("{:.1} µs", s * 1e6)
    } else if d < Duration::from_secs(1) {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.3} s")
    }
}
