//! `ember`: run, validate and inspect WebAssembly modules, and run `.wast` scripts.
//!
//! ```text
//! ember run FILE [--invoke NAME [ARGS...]]
//! ember wast FILE.wast...
//! ember validate FILE
//! ember inspect FILE
//! ember compile IN -o OUT.ember
//! ```
//! `FILE` is a binary module (`.wasm`), WebAssembly text (`.wat`) or a precompiled module
//! written by `ember compile` (detected by its magic number; verified when loaded). Errors are printed as one
//! line, `error: ...`, on stderr, and the exit status is non-zero.

mod inspect;
mod load;
mod run;
mod values;
mod wast_cmd;

use std::process::ExitCode;

const USAGE: &str = "usage:
  ember run FILE [--invoke NAME [ARGS...]]   instantiate FILE and call NAME (default: start / _start)
  ember wast FILE.wast...                    run spec-test scripts
  ember validate FILE                        check FILE is a valid module
  ember inspect FILE                         show the translated bytecode of every function
  ember compile IN -o OUT.ember              translate IN and write a precompiled module
                                             (with --no-float-superinstructions first: for a
                                             runtime without that feature, such as a firmware)
FILE may also be a precompiled module (from `ember compile`).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command in `args`; `Err` is the message of a failure.
fn dispatch(args: &[String]) -> Result<ExitCode, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "run" => run::command(rest).map(|()| ExitCode::SUCCESS),
        "compile" => load::compile_command(rest).map(|()| ExitCode::SUCCESS),
        "wast" => wast_cmd::command(rest),
        "validate" => {
            let [file] = rest else {
                return Err("`ember validate` takes exactly one FILE".to_string());
            };
            load::compile_file(file, ember::CompilationMode::Eager)?;
            println!("valid");
            Ok(ExitCode::SUCCESS)
        }
        "inspect" => {
            let [file] = rest else {
                return Err("`ember inspect` takes exactly one FILE".to_string());
            };
            inspect::command(file).map(|()| ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}
