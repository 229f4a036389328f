//! Executes the directives of a `.wast` script against Ember.

use crate::panic::catch_panic;
use crate::report::{FileReport, Summary};
use crate::spectest;
use crate::values::{HostRefs, arg_to_val, match_results, show_vals};
use ember::{CompilationMode, Engine, Error, Instance, Linker, Module, Store, TrapCode, Val};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use wast::core::WastRetCore;
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// Whether modules are compiled through a precompiled blob (see [`set_round_trip`]).
static ROUND_TRIP: AtomicBool = AtomicBool::new(false);

/// Makes every module the runner compiles (in this process) go through
/// `Module::serialize` and `Module::deserialize` before it is instantiated, so scripts test the
/// precompiled format and the verifier as well as the translator.
pub fn set_round_trip(on: bool) {
    ROUND_TRIP.store(on, Ordering::Relaxed);
}

/// Runs one script with [`run_wast_with_engine`] (a panic escaping the runner becomes a failure
/// of the file), prints its line and up to `max_details` failures, and adds it to `summary`.
pub fn run_and_print(
    engine: &Engine,
    name: &str,
    source: &str,
    max_details: usize,
    summary: &mut Summary,
) {
    let report =
        catch_panic(|| run_wast_with_engine(engine, name, source)).unwrap_or_else(|panic| {
            let mut r = FileReport::new(name);
            r.fail(0, 0, "script", format!("PANIC: {panic}"));
            r
        });
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = report.write_details(&mut text, max_details);
    print!("{text}");
    summary.add(&report);
}

/// Runs the script `source` (named `name` in the report) on a fresh engine.
pub fn run_wast(name: &str, source: &str) -> FileReport {
    run_wast_with_engine(&Engine::default(), name, source)
}

/// Runs the script `source` (named `name` in the report) with `engine`, in a fresh store and
/// linker. Each directive counts once, as passed or failed; a directive that panics Ember is a
/// failure carrying the panic message, and the script goes on with the next directive.
pub fn run_wast_with_engine(engine: &Engine, name: &str, source: &str) -> FileReport {
    let mut report = FileReport::new(name);
    let mut lexer = Lexer::new(source);
    lexer.allow_confusing_unicode(true);
    let buffer = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            report.fail(
                1,
                1,
                "script",
                format!("cannot lex script: {}", e.message()),
            );
            return report;
        }
    };
    let directives = match parser::parse::<Wast<'_>>(&buffer) {
        Ok(w) => w.directives,
        Err(e) => {
            let (line, col) = e.span().linecol_in(source);
            let reason = format!("cannot parse script: {}", e.message());
            report.fail(line + 1, col + 1, "script", reason);
            return report;
        }
    };
    let mut runner = match Runner::new(engine) {
        Ok(r) => r,
        Err(e) => {
            report.fail(1, 1, "script", format!("cannot define spectest: {e}"));
            return report;
        }
    };
    for directive in directives {
        let (line, col) = directive.span().linecol_in(source);
        let kind = kind_name(&directive);
        match catch_panic(|| runner.run(directive)) {
            Ok(Ok(())) => report.pass(),
            Ok(Err(reason)) => report.fail(line + 1, col + 1, kind, reason),
            Err(panic) => report.fail(line + 1, col + 1, kind, format!("PANIC: {panic}")),
        }
    }
    report
}

/// The directive's name as written in scripts.
fn kind_name(d: &WastDirective<'_>) -> &'static str {
    match d {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}

/// What executing an action produced.
enum Outcome {
    /// The action completed with these values.
    Values(Vec<Val>),
    /// Ember returned an error (a trap, a link error, ...).
    Error(Error),
}

/// The state of one script: a store, a linker with `spectest` and registered modules, and the
/// modules instantiated so far.
struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The most recent module; `None` if it failed (so later actions do not silently use an
    /// older module).
    current: Option<Instance>,
    /// Modules named with `$id`.
    named: HashMap<String, Instance>,
    /// Modules from `(module definition ...)`, by name; the last one under `""` too.
    definitions: HashMap<String, Module>,
    host_refs: HostRefs,
}

type Res = Result<(), String>;

impl Runner {
    fn new(engine: &Engine) -> Result<Runner, Error> {
        let mut store = Store::new(engine, ());
        let mut linker = Linker::new(engine);
        spectest::define(&mut store, &mut linker)?;
        Ok(Runner {
            engine: engine.clone(),
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
            host_refs: HostRefs::default(),
        })
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Res {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                self.current = None;
                let compiled = self.compile(&mut module)?;
                let instance = self.instantiate(&compiled)?;
                self.current = Some(instance);
                if let Some(name) = name {
                    self.named.insert(name, instance);
                }
                Ok(())
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let compiled = self.compile(&mut module)?;
                if let Some(name) = name {
                    self.definitions.insert(name, compiled.clone());
                }
                self.definitions.insert(String::new(), compiled);
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                self.current = None;
                let key = module.map(|id| id.name().to_string()).unwrap_or_default();
                let compiled = self
                    .definitions
                    .get(&key)
                    .cloned()
                    .ok_or_else(|| format!("no module definition named {key:?}"))?;
                let inst = self.instantiate(&compiled)?;
                self.current = Some(inst);
                if let Some(id) = instance {
                    self.named.insert(id.name().to_string(), inst);
                }
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.linker
                    .instance(&mut self.store, name, instance)
                    .map_err(|e| format!("cannot register {name:?}: {e}"))?;
                Ok(())
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke)? {
                Outcome::Values(_) => Ok(()),
                Outcome::Error(e) => Err(format!("invoke {:?} failed: {e}", invoke.name)),
            },
            WastDirective::AssertReturn { exec, results, .. } => self.assert_return(exec, &results),
            WastDirective::AssertTrap { exec, message, .. } => self.assert_trap(exec, message),
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Outcome::Error(Error::Trap(t)) if t.code() == TrapCode::StackOverflow => Ok(()),
                Outcome::Error(e) => Err(format!("expected {message:?}, got error: {e}")),
                Outcome::Values(v) => Err(format!(
                    "expected {message:?}, got results {}",
                    show_vals(&v, &self.store)
                )),
            },
            WastDirective::AssertInvalid {
                module, message, ..
            } => self.assert_rejected(module, message, false),
            WastDirective::AssertMalformed {
                module, message, ..
            } => self.assert_rejected(module, message, true),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.assert_unlinkable(module, message),
            other => Err(format!(
                "directive {} is not supported by the runner",
                kind_name(&other)
            )),
        }
    }

    /// Encodes a module from the script and compiles it with Ember.
    fn compile(&self, module: &mut QuoteWat<'_>) -> Result<Module, String> {
        if let QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..) = module {
            return Err("components are not supported".to_string());
        }
        let bytes = module
            .encode()
            .map_err(|e| format!("cannot encode module: {}", e.message()))?;
        let module =
            Module::new(&self.engine, &bytes).map_err(|e| format!("compile error: {e}"))?;
        if !ROUND_TRIP.load(Ordering::Relaxed) {
            return Ok(module);
        }
        let blob = module
            .serialize()
            .map_err(|e| format!("serializing failed: {e}"))?;
        Module::deserialize(&self.engine, &blob)
            .map_err(|e| format!("round trip through a precompiled blob failed: {e}"))
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, String> {
        self.linker
            .instantiate(&mut self.store, module)
            .map_err(|e| format!("instantiation failed: {e}"))
    }

    /// The instance named `id`, or the current one.
    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("no module named ${}", id.name())),
            None => self
                .current
                .ok_or_else(|| "no current module (the last module failed)".to_string()),
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Outcome, String> {
        let instance = self.instance(invoke.module)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| format!("no exported function {:?}", invoke.name))?;
        let mut args = Vec::with_capacity(invoke.args.len());
        for arg in &invoke.args {
            args.push(arg_to_val(arg, &mut self.store, &mut self.host_refs)?);
        }
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        Ok(match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Values(results),
            Err(e) => Outcome::Error(e),
        })
    }

    /// Runs an action (`invoke` or `get`); a module in `exec` is instantiated.
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Outcome, String> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| format!("no exported global {global:?}"))?;
                Ok(Outcome::Values(vec![g.get(&self.store)]))
            }
            WastExecute::Wat(wat) => {
                let mut module = QuoteWat::Wat(wat);
                let compiled = self.compile(&mut module)?;
                Ok(match self.linker.instantiate(&mut self.store, &compiled) {
                    Ok(_) => Outcome::Values(Vec::new()),
                    Err(e) => Outcome::Error(e),
                })
            }
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Res {
        match self.execute(exec)? {
            Outcome::Values(v) => match_results(&v, expected, &self.store),
            Outcome::Error(e) => Err(format!(
                "expected {}, got error: {e}",
                expected_text(expected)
            )),
        }
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Res {
        match self.execute(exec)? {
            Outcome::Error(Error::Trap(t)) => {
                let actual = t.code().message();
                if actual.starts_with(message) || message.starts_with(actual) {
                    Ok(())
                } else {
                    Err(format!("expected trap {message:?}, got trap {actual:?}"))
                }
            }
            Outcome::Error(e) => Err(format!("expected trap {message:?}, got error: {e}")),
            Outcome::Values(v) => Err(format!(
                "expected trap {message:?}, got results {}",
                show_vals(&v, &self.store)
            )),
        }
    }

    /// `assert_invalid` / `assert_malformed`: the module must be rejected. For malformed text a
    /// parse error from the text parser is the expected rejection.
    fn assert_rejected(&mut self, mut module: QuoteWat<'_>, message: &str, malformed: bool) -> Res {
        let bytes = match module.encode() {
            Ok(b) => b,
            // The text or binary encoder already rejects it.
            Err(_) => return Ok(()),
        };
        match Module::new(&self.engine, &bytes) {
            Err(Error::Compile(e)) if e.message.is_empty() => Err(format!(
                "rejected ({message:?}) but the error has no message"
            )),
            Err(_) => Ok(()),
            // `CompilationMode::Lazy` validates function bodies only when they are translated.
            Ok(m)
                if self.engine.config().compilation_mode == CompilationMode::Lazy
                    && m.translate_all().is_err() =>
            {
                Ok(())
            }
            Ok(_) => {
                let what = if malformed { "malformed" } else { "invalid" };
                Err(format!("module accepted, expected {what}: {message:?}"))
            }
        }
    }

    fn assert_unlinkable(&mut self, wat: Wat<'_>, message: &str) -> Res {
        let mut module = QuoteWat::Wat(wat);
        let compiled = self.compile(&mut module)?;
        match self.linker.instantiate(&mut self.store, &compiled) {
            Err(Error::Link(_)) => Ok(()),
            Err(e) => Err(format!("expected link error {message:?}, got: {e}")),
            Ok(_) => Err(format!(
                "expected link error {message:?}, instantiation succeeded"
            )),
        }
    }
}

/// Expected results as text (for failure messages).
fn expected_text(expected: &[WastRet<'_>]) -> String {
    let parts: Vec<String> = expected
        .iter()
        .map(|r| match r {
            WastRet::Core(WastRetCore::I32(v)) => format!("i32:{v}"),
            WastRet::Core(WastRetCore::I64(v)) => format!("i64:{v}"),
            WastRet::Core(other) => format!("{other:?}"),
            _ => "component value".to_string(),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}
