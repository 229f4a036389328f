//! Per-file results and their text form.

use std::fmt;

/// A directive that did not behave as the script expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1-based line of the directive in the script.
    pub line: usize,
    /// 1-based column of the directive in the script.
    pub col: usize,
    /// The directive's kind (`assert_return`, `module`, ...).
    pub kind: &'static str,
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.col, self.kind, self.reason
        )
    }
}

/// A directive deliberately not executed, with the reason. Skips are listed, never hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// 1-based line of the directive.
    pub line: usize,
    /// Why it was skipped.
    pub reason: String,
}

/// The outcome of running one `.wast` script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// The script's name as given to the runner (e.g. `wasm-v1/address.wast`).
    pub name: String,
    /// Directives that behaved as expected.
    pub passed: usize,
    /// Directives that did not (each has an entry in `failures`).
    pub failed: usize,
    /// Details of every failed directive, in script order.
    pub failures: Vec<Failure>,
    /// Directives that were not executed, with reasons (not counted as passed).
    pub skipped: Vec<Skip>,
}

impl FileReport {
    /// An empty report for `name`.
    pub fn new(name: &str) -> Self {
        FileReport {
            name: name.to_string(),
            ..FileReport::default()
        }
    }

    /// Records a passed directive.
    pub fn pass(&mut self) {
        self.passed += 1;
    }

    /// Records a failed directive.
    pub fn fail(&mut self, line: usize, col: usize, kind: &'static str, reason: String) {
        self.failed += 1;
        self.failures.push(Failure {
            line,
            col,
            kind,
            reason,
        });
    }

    /// The one-line summary: `NAME: P passed, F failed` (plus skips, if any).
    pub fn summary_line(&self) -> String {
        let mut s = format!(
            "{}: {} passed, {} failed",
            self.name, self.passed, self.failed
        );
        if !self.skipped.is_empty() {
            s.push_str(&format!(", {} skipped", self.skipped.len()));
        }
        s
    }

    /// Writes the summary line, then up to `max_details` failures and every skip, indented.
    pub fn write_details(&self, out: &mut impl fmt::Write, max_details: usize) -> fmt::Result {
        writeln!(out, "{}", self.summary_line())?;
        for failure in self.failures.iter().take(max_details) {
            writeln!(out, "    {}:{failure}", self.name)?;
        }
        if self.failures.len() > max_details {
            writeln!(
                out,
                "    ... and {} more failures",
                self.failures.len() - max_details
            )?;
        }
        for skip in &self.skipped {
            writeln!(
                out,
                "    {}:{}: skipped: {}",
                self.name, skip.line, skip.reason
            )?;
        }
        Ok(())
    }
}

/// Totals over many files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Passed directives.
    pub passed: usize,
    /// Failed directives.
    pub failed: usize,
    /// Skipped directives.
    pub skipped: usize,
}

impl Summary {
    /// Adds a file's counts.
    pub fn add(&mut self, report: &FileReport) {
        self.passed += report.passed;
        self.failed += report.failed;
        self.skipped += report.skipped.len();
    }

    /// The final line: `spec: N passed, M failed`.
    pub fn line(&self, label: &str) -> String {
        format!("{label}: {} passed, {} failed", self.passed, self.failed)
    }
}
