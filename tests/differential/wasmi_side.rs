//! The wasmi side of the differential check (wasmi 2.0.0, configured for WebAssembly 2.0).

use super::host::{self, Item};
use super::values::{Failure, Trap, Ty, Value};
use wasmi::{
    Config, Engine, Extern, FuncType, Global, Instance, Linker, Memory, MemoryType, Module,
    Mutability, Nullable, Ref, RefType, Store, Table, TableType, TrapCode, Val,
};

/// An instantiated module in wasmi.
pub struct WasmiSide {
    store: Store<()>,
    instance: Instance,
    /// The host's globals, memory and tables, by import name.
    host: Vec<(&'static str, Extern)>,
}

/// Exactly the WebAssembly 2.0 proposals, and wasmi's default (tighter) stack limits.
fn config() -> Config {
    let mut c = Config::default();
    c.wasm_multi_memory(false)
        .wasm_tail_call(false)
        .wasm_extended_const(false)
        .wasm_custom_page_sizes(false)
        .wasm_wide_arithmetic(false)
        .set_max_recursion_depth(1000);
    c
}

fn trap(code: TrapCode) -> Option<Trap> {
    Some(match code {
        TrapCode::UnreachableCodeReached => Trap::Unreachable,
        TrapCode::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds => Trap::TableOutOfBounds,
        TrapCode::IndirectCallToNull => Trap::UninitializedElement,
        TrapCode::BadSignature => Trap::BadSignature,
        TrapCode::IntegerOverflow => Trap::IntegerOverflow,
        TrapCode::IntegerDivisionByZero => Trap::IntegerDivisionByZero,
        TrapCode::BadConversionToInteger => Trap::BadConversionToInteger,
        TrapCode::StackOverflow => Trap::StackOverflow,
        TrapCode::OutOfFuel | TrapCode::GrowthOperationLimited | TrapCode::OutOfSystemMemory => {
            return None;
        }
    })
}

fn failure(e: wasmi::Error) -> Failure {
    match e.as_trap_code().and_then(trap) {
        Some(t) => Failure::Trap(t),
        None => Failure::Other(e.to_string()),
    }
}

fn wasmi_ty(t: Ty) -> wasmi::ValType {
    match t {
        Ty::I32 => wasmi::ValType::I32,
        Ty::I64 => wasmi::ValType::I64,
        Ty::F32 => wasmi::ValType::F32,
        Ty::F64 => wasmi::ValType::F64,
        Ty::FuncRef => wasmi::ValType::FuncRef,
        Ty::ExternRef => wasmi::ValType::ExternRef,
    }
}

fn value(v: &Val) -> Value {
    match v {
        Val::I32(x) => Value::I32(*x),
        Val::I64(x) => Value::I64(*x),
        Val::F32(x) => Value::F32(x.to_bits()),
        Val::F64(x) => Value::F64(x.to_bits()),
        Val::FuncRef(f) => Value::FuncRef(!f.is_null()),
        Val::ExternRef(r) => Value::ExternRef(!r.is_null()),
        #[allow(unreachable_patterns)]
        other => panic!("unexpected wasmi value {other:?}"),
    }
}

fn val(v: &Value) -> Val {
    match *v {
        Value::I32(x) => Val::I32(x),
        Value::I64(x) => Val::I64(x),
        Value::F32(x) => Val::F32(wasmi::F32::from_bits(x)),
        Value::F64(x) => Val::F64(wasmi::F64::from_bits(x)),
        Value::FuncRef(_) => Val::default_for_ty(wasmi::ValType::FuncRef),
        Value::ExternRef(_) => Val::default_for_ty(wasmi::ValType::ExternRef),
    }
}

impl WasmiSide {
    /// Compiles `wasm` and instantiates it with the [`host`] imports, running its start
    /// function.
    pub fn new(wasm: &[u8]) -> Result<WasmiSide, Failure> {
        let engine = Engine::new(&config());
        let module = Module::new(&engine, wasm).map_err(|e| Failure::Compile(e.to_string()))?;
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let mut host = Vec::new();
        for &(name, ref item) in host::ITEMS {
            let ext: Extern = match *item {
                Item::Func(params, results) => {
                    let ty = FuncType::new(
                        params.iter().map(|&t| wasmi_ty(t)),
                        results.iter().map(|&t| wasmi_ty(t)),
                    );
                    linker
                        .func_new(host::MODULE, name, ty, move |_, args, out| {
                            let args: Vec<Value> = args.iter().map(value).collect();
                            let res = host::call(name, &args, results)
                                .map_err(|()| wasmi::Error::new("host trap"))?;
                            for (slot, v) in out.iter_mut().zip(&res) {
                                *slot = val(v);
                            }
                            Ok(())
                        })
                        .expect("define host function");
                    continue;
                }
                Item::Global(_, mutable, init) => {
                    let m = if mutable {
                        Mutability::Var
                    } else {
                        Mutability::Const
                    };
                    Global::new(&mut store, val(&init), m).into()
                }
                Item::Memory(min, max) => {
                    let ty = MemoryType::new(min, Some(max));
                    Memory::new(&mut store, ty).expect("host memory").into()
                }
                Item::Table(t, min, max) => {
                    let (rt, init) = match t {
                        Ty::ExternRef => (RefType::Extern, Ref::Extern(Nullable::Null)),
                        _ => (RefType::Func, Ref::Func(Nullable::Null)),
                    };
                    let ty = TableType::new(rt, min, Some(max));
                    Table::new(&mut store, ty, init).expect("host table").into()
                }
            };
            linker
                .define(host::MODULE, name, ext)
                .expect("define host item");
            host.push((name, ext));
        }
        let instance = linker
            .instantiate_and_start(&mut store, &module)
            .map_err(failure)?;
        Ok(WasmiSide {
            store,
            instance,
            host,
        })
    }

    fn host(&self, name: &str) -> Extern {
        let (_, ext) = self
            .host
            .iter()
            .find(|(n, _)| *n == name)
            .expect("host item");
        *ext
    }

    /// Calls an exported function.
    pub fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, Failure> {
        let func = self
            .instance
            .get_func(&self.store, name)
            .expect("exported function");
        let ty = func.ty(&self.store);
        let args: Vec<Val> = args.iter().map(val).collect();
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|&t| Val::default_for_ty(t))
            .collect();
        func.call(&mut self.store, &args, &mut results)
            .map_err(failure)?;
        Ok(results.iter().map(value).collect())
    }

    /// An exported (or, with `host`, imported) global's value.
    pub fn global(&self, name: &str, host: bool) -> Value {
        let g = match host {
            true => self.host(name).into_global(),
            false => self.instance.get_global(&self.store, name),
        };
        value(&g.expect("global").get(&self.store))
    }

    /// An exported (or imported) memory's bytes.
    pub fn memory(&self, name: &str, host: bool) -> Vec<u8> {
        let m = match host {
            true => self.host(name).into_memory(),
            false => self.instance.get_memory(&self.store, name),
        };
        m.expect("memory").data(&self.store).to_vec()
    }

    /// An exported (or imported) table's non-null pattern.
    pub fn table(&self, name: &str, host: bool) -> Vec<bool> {
        let t = match host {
            true => self.host(name).into_table(),
            false => self.instance.get_table(&self.store, name),
        };
        let t = t.expect("table");
        (0..t.size(&self.store))
            .map(|i| t.get(&self.store, i).is_some_and(|r| !r.is_null()))
            .collect()
    }
}
