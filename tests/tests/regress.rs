//! Regression scripts found by fuzzing: every `tests/regress/*.wast` must pass completely.

use ember_tests::run_wast;
use std::path::Path;

#[test]
fn regress_scripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("regress");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/regress exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scripts in {}", dir.display());
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("readable script");
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let report = run_wast(&name, &source);
        let mut details = String::new();
        let _ = report.write_details(&mut details, 10);
        if report.failed > 0 || report.passed == 0 {
            failures.push(format!("{}\n{details}", report.summary_line()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
