//! Markdown tables and the SVG ratio plot.

use crate::stats::{fmt_secs, geomean};
use std::fmt::Write;

/// One execution row: median seconds on each engine.
#[derive(Debug, Clone)]
pub struct ExecRow {
    /// Workload name.
    pub name: String,
    /// The argument it ran with.
    pub n: i32,
    /// Median seconds on Ember.
    pub ember: f64,
    /// Median seconds on wasmi.
    pub wasmi: f64,
}

impl ExecRow {
    /// wasmi time / Ember time (> 1: Ember is faster).
    pub fn ratio(&self) -> f64 {
        self.wasmi / self.ember
    }
}

/// One translation row for a module.
#[derive(Debug, Clone)]
pub struct CompileRow {
    /// Module name.
    pub name: String,
    /// Code section bytes.
    pub code_bytes: usize,
    /// Ember bytecode bytes.
    pub bytecode_bytes: usize,
    /// Median seconds: Ember eager, wasmi eager, wasmi lazy.
    pub ember_eager: f64,
    /// wasmi, `CompilationMode::Eager`.
    pub wasmi_eager: f64,
    /// wasmi, default `CompilationMode::LazyTranslation`.
    pub wasmi_lazy: f64,
    /// Ember, `CompilationMode::LazyTranslation` (validates everything, translates nothing).
    pub ember_lazy: f64,
    /// Median instantiation seconds (Ember, wasmi).
    pub ember_inst: f64,
    /// wasmi instantiation.
    pub wasmi_inst: f64,
}

fn mbps(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / secs / 1e6
}

/// The execution table with its geomean line.
pub fn exec_table(rows: &[ExecRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| workload | n | Ember | wasmi 2.0 | wasmi / Ember |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} |",
            r.name,
            r.n,
            fmt_secs(r.ember),
            fmt_secs(r.wasmi),
            r.ratio()
        );
    }
    let g = geomean(&rows.iter().map(ExecRow::ratio).collect::<Vec<_>>());
    let _ = writeln!(s, "| **geomean** | | | | **{g:.2}** |");
    s
}

/// The translation / instantiation / density table.
pub fn compile_table(rows: &[CompileRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| module | code section | Ember eager | wasmi eager | wasmi / Ember | Ember lazy | wasmi lazy | wasmi / Ember | inst. Ember | inst. wasmi | bytecode / wasm |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} B | {} ({:.1} MB/s) | {} ({:.1} MB/s) | {:.2} | {} ({:.1} MB/s) | {} ({:.1} MB/s) | {:.2} | {} | {} | {:.2} |",
            r.name,
            r.code_bytes,
            fmt_secs(r.ember_eager),
            mbps(r.code_bytes, r.ember_eager),
            fmt_secs(r.wasmi_eager),
            mbps(r.code_bytes, r.wasmi_eager),
            r.wasmi_eager / r.ember_eager,
            fmt_secs(r.ember_lazy),
            mbps(r.code_bytes, r.ember_lazy),
            fmt_secs(r.wasmi_lazy),
            mbps(r.code_bytes, r.wasmi_lazy),
            r.wasmi_lazy / r.ember_lazy,
            fmt_secs(r.ember_inst),
            fmt_secs(r.wasmi_inst),
            r.bytecode_bytes as f64 / r.code_bytes as f64,
        );
    }
    s
}

/// A horizontal bar chart of the per-workload ratios (log scale), as standalone SVG.
pub fn ratio_svg(rows: &[ExecRow]) -> String {
    let (w, bar_h, left, top) = (640.0, 22.0, 110.0, 30.0);
    let h = top + bar_h * rows.len() as f64 + 30.0;
    let (lo, hi) = (0.25f64.ln(), 4.0f64.ln());
    let x = |r: f64| left + (r.ln().clamp(lo, hi) - lo) / (hi - lo) * (w - left - 20.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{left}" y="18">wasmi 2.0 time / Ember time (log scale; right of 1 = Ember faster)</text>"#
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + bar_h * i as f64;
        let (x0, x1) = (x(1.0), x(r.ratio()));
        let (a, b) = if x1 < x0 { (x1, x0) } else { (x0, x1) };
        let color = if r.ratio() >= 1.0 { "#2a7" } else { "#c44" };
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text><rect x="{a:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}">{:.2}</text>"#,
            left - 6.0,
            y + 15.0,
            r.name,
            y + 3.0,
            (b - a).max(1.0),
            bar_h - 6.0,
            b + 4.0,
            y + 15.0,
            r.ratio()
        );
    }
    for t in [0.25, 0.5, 1.0, 2.0, 4.0] {
        let _ = writeln!(
            s,
            r##"<line x1="{0:.1}" x2="{0:.1}" y1="{1}" y2="{2}" stroke="#888" stroke-dasharray="2,3"/><text x="{0:.1}" y="{3}" text-anchor="middle">{4}</text>"##,
            x(t),
            top,
            h - 25.0,
            h - 10.0,
            t
        );
    }
    s.push_str("</svg>\n");
    s
}
