//! `ember-bench compare [--quick] [--reps N] [--only NAME] [--svg FILE]`: runs every workload on
//! Ember and wasmi 2.0 alternately and prints markdown tables.
//! `ember-bench run ember|wasmi WORKLOAD [N]`: runs one workload once (for profilers; built with
//! `--features op-stats`, also prints the most executed instructions and pairs).
//! `ember-bench translate ember|ember-lazy|wasmi-eager|wasmi-lazy MODULE [REPS]`: compiles one module.

use ember_bench::engines::{self, Mode};
use ember_bench::report::{self, CompileRow, ExecRow};
use ember_bench::stats::{median, time};
use ember_bench::workloads::{MODULES, WORKLOADS, WasmModule, code_section_size};
use std::process::ExitCode;

struct Opts {
    quick: bool,
    reps: usize,
    only: Option<String>,
    svg: Option<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("compare") => parse_opts(&args[1..]).and_then(|o| compare(&o)),
        Some("run") => run_one(&args[1..]),
        Some("translate") => translate_one(&args[1..]),
        _ => Err("usage: ember-bench compare [--quick] [--reps N] [--only NAME] [--svg FILE]\n       ember-bench run ember|wasmi WORKLOAD [N]\n       ember-bench translate ember|ember-lazy|wasmi-eager|wasmi-lazy MODULE [REPS]".into()),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_opts(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        quick: false,
        reps: 0,
        only: None,
        svg: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--reps" => {
                o.reps = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--reps needs a number")?
            }
            "--only" => o.only = Some(it.next().ok_or("--only needs a name")?.clone()),
            "--svg" => o.svg = Some(it.next().ok_or("--svg needs a file")?.clone()),
            _ => return Err(format!("unknown option {a}")),
        }
    }
    if o.reps == 0 {
        o.reps = if o.quick { 3 } else { 7 };
    }
    Ok(o)
}

fn compare(o: &Opts) -> Result<(), String> {
    // Execution and the eager column: both engines eager; the lazy column: both lazy.
    let ember_engine = engines::ember_engine(ember::CompilationMode::Eager);
    let ember_lazy = engines::ember_engine(ember::CompilationMode::LazyTranslation);
    let wasmi_eager = engines::wasmi_engine(Mode::Eager);
    let wasmi_lazy = engines::wasmi_engine(Mode::Lazy);

    println!(
        "## Translation and instantiation ({} reps, median)\n",
        o.reps
    );
    let mut rows = Vec::new();
    for m in MODULES {
        rows.push(compile_row(
            m,
            o.reps,
            &ember_engine,
            &ember_lazy,
            &wasmi_eager,
            &wasmi_lazy,
        )?);
    }
    println!("{}", report::compile_table(&rows));

    println!(
        "## Execution ({} reps, median; {} n)\n",
        o.reps,
        if o.quick { "quick" } else { "full" }
    );
    let mut ember_inst = Vec::new();
    let mut wasmi_inst = Vec::new();
    for m in MODULES {
        let em = engines::ember_compile(&ember_engine, m.bytes)?;
        ember_inst.push(engines::ember_instantiate(&ember_engine, &em)?);
        let wm = engines::wasmi_compile(&wasmi_eager, m.bytes)?;
        wasmi_inst.push(engines::wasmi_instantiate(&wasmi_eager, &wm)?);
    }
    let mut exec = Vec::new();
    for w in WORKLOADS {
        if o.only.as_deref().is_some_and(|n| n != w.export) {
            continue;
        }
        let k = MODULES
            .iter()
            .position(|m| m.name == w.module.name)
            .unwrap_or(0);
        let (e, v) = (&mut ember_inst[k], &mut wasmi_inst[k]);
        let n = if o.quick { w.n_quick } else { w.n };
        // Warm-up (also checks both engines agree).
        let (a, b) = (e.call(w.export, n)?, v.call(w.export, n)?);
        if a != b {
            return Err(format!("{}: Ember returned {a}, wasmi {b}", w.export));
        }
        let (mut te, mut tw) = (Vec::new(), Vec::new());
        for rep in 0..o.reps {
            let mut run_e = || time(|| e.call(w.export, n));
            let mut run_w = || time(|| v.call(w.export, n));
            let ((re, se), (rw, sw)) = if rep % 2 == 0 {
                let x = run_e();
                (x, run_w())
            } else {
                let y = run_w();
                (run_e(), y)
            };
            if re? != a || rw? != a {
                return Err(format!("{}: result changed between runs", w.export));
            }
            te.push(se);
            tw.push(sw);
        }
        let row = ExecRow {
            name: w.export.to_string(),
            n,
            ember: median(&mut te),
            wasmi: median(&mut tw),
        };
        eprintln!("{}: {:.2}", row.name, row.ratio());
        exec.push(row);
    }
    println!("{}", report::exec_table(&exec));
    if let Some(path) = &o.svg {
        std::fs::write(path, report::ratio_svg(&exec)).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

fn compile_row(
    m: WasmModule,
    reps: usize,
    ember_engine: &ember::Engine,
    ember_lazy: &ember::Engine,
    wasmi_eager: &wasmi::Engine,
    wasmi_lazy: &wasmi::Engine,
) -> Result<CompileRow, String> {
    let (mut ee, mut we, mut wl, mut ei, mut wi) = (vec![], vec![], vec![], vec![], vec![]);
    let mut el = vec![];
    let mut bytecode_bytes = 0;
    for _ in 0..reps {
        let (em, t) = time(|| engines::ember_compile(ember_engine, m.bytes));
        let em = em?;
        ee.push(t);
        bytecode_bytes = em.compiled().code.len();
        let (wm, t) = time(|| engines::wasmi_compile(wasmi_eager, m.bytes));
        let wm = wm?;
        we.push(t);
        let (r, t) = time(|| engines::wasmi_compile(wasmi_lazy, m.bytes));
        r?;
        wl.push(t);
        let (r, t) = time(|| engines::ember_compile(ember_lazy, m.bytes));
        r?;
        el.push(t);
        let (r, t) = time(|| engines::ember_instantiate(ember_engine, &em));
        r?;
        ei.push(t);
        let (r, t) = time(|| engines::wasmi_instantiate(wasmi_eager, &wm));
        r?;
        wi.push(t);
    }
    Ok(CompileRow {
        name: m.name.to_string(),
        code_bytes: code_section_size(m.bytes),
        bytecode_bytes,
        ember_eager: median(&mut ee),
        wasmi_eager: median(&mut we),
        wasmi_lazy: median(&mut wl),
        ember_lazy: median(&mut el),
        ember_inst: median(&mut ei),
        wasmi_inst: median(&mut wi),
    })
}

fn run_one(args: &[String]) -> Result<(), String> {
    let (engine, name) = match args {
        [e, n, ..] => (e.as_str(), n.as_str()),
        _ => return Err("run ember|wasmi WORKLOAD [N]".into()),
    };
    let w = WORKLOADS
        .iter()
        .find(|w| w.export == name)
        .ok_or_else(|| format!("no workload {name}"))?;
    let n = match args.get(2) {
        Some(s) => s.parse().map_err(|_| "N must be a number")?,
        None => w.n,
    };
    let (r, t) = match engine {
        "ember" => {
            let en = engines::ember_engine(ember::CompilationMode::Eager);
            let m = engines::ember_compile(&en, w.module.bytes)?;
            let mut i = engines::ember_instantiate(&en, &m)?;
            time(|| i.call(w.export, n))
        }
        "wasmi" => {
            let en = engines::wasmi_engine(Mode::Eager);
            let m = engines::wasmi_compile(&en, w.module.bytes)?;
            let mut i = engines::wasmi_instantiate(&en, &m)?;
            time(|| i.call(w.export, n))
        }
        _ => return Err(format!("unknown engine {engine}")),
    };
    println!("{name}({n}) = {} in {:.3} s", r?, t);
    print_op_stats();
    Ok(())
}

/// With the `op-stats` feature: the most executed instructions and instruction pairs of the
/// last `run ember` (how superinstructions are chosen).
#[cfg(feature = "op-stats")]
fn print_op_stats() {
    let singles = ember::op_stats::singles();
    let total: u64 = singles.iter().map(|s| s.1).sum();
    let pct = |n: u64| 100.0 * n as f64 / total.max(1) as f64;
    println!("\nexecuted instructions: {total}");
    for (name, n) in singles.iter().take(40) {
        println!("{:6.2}%  {n:>12}  {name}", pct(*n));
    }
    println!("\npairs:");
    for (a, b, n) in ember::op_stats::pairs().iter().take(40) {
        println!("{:6.2}%  {n:>12}  {a} -> {b}", pct(*n));
    }
}

#[cfg(not(feature = "op-stats"))]
fn print_op_stats() {}

fn translate_one(args: &[String]) -> Result<(), String> {
    let (engine, name) = match args {
        [e, n, ..] => (e.as_str(), n.as_str()),
        _ => return Err("translate ember|ember-lazy|wasmi-eager|wasmi-lazy MODULE [REPS]".into()),
    };
    let m = MODULES
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("no module {name}"))?;
    let reps: usize = match args.get(2) {
        Some(s) => s.parse().map_err(|_| "REPS must be a number")?,
        None => 1,
    };
    let mut ts = Vec::new();
    for _ in 0..reps {
        let t = match engine {
            "ember" | "ember-lazy" => {
                let mode = if engine == "ember" {
                    ember::CompilationMode::Eager
                } else {
                    ember::CompilationMode::LazyTranslation
                };
                let en = engines::ember_engine(mode);
                let (r, t) = time(|| engines::ember_compile(&en, m.bytes));
                r?;
                t
            }
            "wasmi-eager" | "wasmi-lazy" => {
                let mode = if engine == "wasmi-eager" {
                    Mode::Eager
                } else {
                    Mode::Lazy
                };
                let en = engines::wasmi_engine(mode);
                let (r, t) = time(|| engines::wasmi_compile(&en, m.bytes));
                r?;
                t
            }
            _ => return Err(format!("unknown engine {engine}")),
        };
        ts.push(t);
    }
    let code = code_section_size(m.bytes);
    let t = median(&mut ts);
    println!(
        "{name} on {engine}: {:.3} ms, {:.1} MB/s of code section",
        t * 1e3,
        code as f64 / t / 1e6
    );
    Ok(())
}
