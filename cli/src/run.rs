//! `ember run FILE [--invoke NAME [ARGS...]]`.

use crate::load::compile_file;
use crate::values::{format_val, parse_arg};
use ember::{Func, Linker, Store, Val};

/// Parsed command line of `ember run`.
struct RunArgs<'a> {
    file: &'a str,
    invoke: Option<&'a str>,
    args: &'a [String],
}

fn parse(rest: &[String]) -> Result<RunArgs<'_>, String> {
    let Some((file, rest)) = rest.split_first() else {
        return Err("`ember run` needs a FILE".to_string());
    };
    match rest.split_first() {
        None => Ok(RunArgs {
            file,
            invoke: None,
            args: &[],
        }),
        Some((flag, rest)) if flag == "--invoke" => {
            let Some((name, args)) = rest.split_first() else {
                return Err("--invoke needs a function NAME".to_string());
            };
            Ok(RunArgs {
                file,
                invoke: Some(name),
                args,
            })
        }
        Some((other, _)) => Err(format!(
            "unexpected argument `{other}` (arguments go after --invoke NAME)"
        )),
    }
}

/// Instantiates the module (running its start function), then calls the requested export, or
/// `_start` if exported and nothing was requested, and prints the results one per line.
pub fn command(rest: &[String]) -> Result<(), String> {
    let RunArgs { file, invoke, args } = parse(rest)?;
    let (engine, module) = compile_file(file, ember::CompilationMode::LazyTranslation)?;
    // `ember run` provides no host functions: any import is unresolved.
    if let Some(import) = module.compiled().imports.first() {
        return Err(format!(
            "{file}: unresolved import `{}`.`{}` (ember run provides no imports)",
            import.module, import.name
        ));
    }
    let mut store = Store::new(&engine, ());
    let linker = Linker::<()>::new(&engine);
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| format!("{file}: {e}"))?;
    let func = match invoke {
        Some(name) => instance
            .get_func(&store, name)
            .ok_or_else(|| format!("{file}: no exported function `{name}`"))?,
        None => match instance.get_func(&store, "_start") {
            Some(f) => f,
            None => return Ok(()),
        },
    };
    let name = invoke.unwrap_or("_start");
    for v in call(&mut store, func, name, args)? {
        println!("{}", format_val(&v));
    }
    Ok(())
}

/// Calls `func` with `args` parsed by its parameter types.
fn call(
    store: &mut Store<()>,
    func: Func,
    name: &str,
    args: &[String],
) -> Result<Vec<Val>, String> {
    let ty = func.ty(&*store);
    if args.len() != ty.params().len() {
        return Err(format!(
            "`{name}` has type {ty} and takes {} arguments, {} given",
            ty.params().len(),
            args.len()
        ));
    }
    let params = ty
        .params()
        .iter()
        .zip(args)
        .map(|(&t, a)| parse_arg(a, t))
        .collect::<Result<Vec<Val>, String>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    func.call(&mut *store, &params, &mut results)
        .map_err(|e| format!("`{name}`: {e}"))?;
    Ok(results)
}
