//! The Ember side of the differential check.

use super::host::{self, Item};
use super::values::{Failure, Kind, Trap, Ty, Value};
use ember::{
    Config, Engine, Error, Extern, ExternType, FuncType, Global, GlobalType, Instance, Limits,
    Linker, Memory, MemoryType, Module, Store, Table, TableType, TrapCode, Val,
};

/// An instantiated module in Ember.
pub struct EmberSide {
    store: Store<()>,
    instance: Instance,
    module: Module,
    /// The host's globals, memory and tables, by import name.
    host: Vec<(&'static str, Extern)>,
}

/// Ember's limits: more generous than wasmi's (1000 calls deep), so wasmi runs out first.
fn config() -> Config {
    Config::default()
        .max_call_depth(16 * 1024)
        .max_stack_slots(1 << 22)
}

fn trap(code: TrapCode) -> Option<Trap> {
    Some(match code {
        TrapCode::Unreachable => Trap::Unreachable,
        TrapCode::MemoryOutOfBounds => Trap::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds | TrapCode::UndefinedElement => Trap::TableOutOfBounds,
        TrapCode::UninitializedElement => Trap::UninitializedElement,
        TrapCode::BadSignature => Trap::BadSignature,
        TrapCode::IntegerOverflow => Trap::IntegerOverflow,
        TrapCode::IntegerDivisionByZero => Trap::IntegerDivisionByZero,
        TrapCode::BadConversionToInteger => Trap::BadConversionToInteger,
        TrapCode::StackOverflow => Trap::StackOverflow,
        // Host errors (there are no host functions here) and future codes.
        _ => return None,
    })
}

fn failure(e: Error) -> Failure {
    match e {
        Error::Compile(c) => Failure::Compile(c.to_string()),
        Error::Trap(t) => match trap(t.code()) {
            Some(code) => Failure::Trap(code),
            None => Failure::Other(t.to_string()),
        },
        other => Failure::Other(other.to_string()),
    }
}

fn ty(t: ember::ValType) -> Ty {
    match t {
        ember::ValType::I32 => Ty::I32,
        ember::ValType::I64 => Ty::I64,
        ember::ValType::F32 => Ty::F32,
        ember::ValType::F64 => Ty::F64,
        ember::ValType::FuncRef => Ty::FuncRef,
        ember::ValType::ExternRef => Ty::ExternRef,
    }
}

fn ember_ty(t: Ty) -> ember::ValType {
    match t {
        Ty::I32 => ember::ValType::I32,
        Ty::I64 => ember::ValType::I64,
        Ty::F32 => ember::ValType::F32,
        Ty::F64 => ember::ValType::F64,
        Ty::FuncRef => ember::ValType::FuncRef,
        Ty::ExternRef => ember::ValType::ExternRef,
    }
}

fn ref_type(t: Ty) -> ember::RefType {
    match t {
        Ty::ExternRef => ember::RefType::ExternRef,
        _ => ember::RefType::FuncRef,
    }
}

fn value(v: &Val) -> Value {
    match v {
        Val::I32(x) => Value::I32(*x),
        Val::I64(x) => Value::I64(*x),
        Val::F32(x) => Value::F32(*x),
        Val::F64(x) => Value::F64(*x),
        Val::FuncRef(f) => Value::FuncRef(f.is_some()),
        Val::ExternRef(r) => Value::ExternRef(r.is_some()),
    }
}

fn val(v: &Value) -> Val {
    match *v {
        Value::I32(x) => Val::I32(x),
        Value::I64(x) => Val::I64(x),
        Value::F32(x) => Val::F32(x),
        Value::F64(x) => Val::F64(x),
        Value::FuncRef(_) => Val::FuncRef(None),
        Value::ExternRef(_) => Val::ExternRef(None),
    }
}

impl EmberSide {
    /// Compiles `wasm` and instantiates it with the [`host`] imports, running its start
    /// function.
    pub fn new(wasm: &[u8]) -> Result<EmberSide, Failure> {
        let engine = Engine::new(&config());
        let module = Module::from_binary(&engine, wasm).map_err(failure)?;
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let mut host = Vec::new();
        for &(name, ref item) in host::ITEMS {
            let limits = |min, max| Limits {
                min,
                max: Some(max),
            };
            let ext: Extern = match *item {
                Item::Func(params, results) => {
                    let ty = FuncType::new(
                        params.iter().map(|&t| ember_ty(t)),
                        results.iter().map(|&t| ember_ty(t)),
                    );
                    linker
                        .func_new(host::MODULE, name, ty, move |_, args, out| {
                            let args: Vec<Value> = args.iter().map(value).collect();
                            let res = host::call(name, &args, results)
                                .map_err(|()| ember::Trap::host("host trap"))?;
                            for (slot, v) in out.iter_mut().zip(&res) {
                                *slot = val(v);
                            }
                            Ok(())
                        })
                        .expect("define host function");
                    continue;
                }
                Item::Global(t, mutable, init) => {
                    let ty = GlobalType {
                        content: ember_ty(t),
                        mutable,
                    };
                    Global::new(&mut store, ty, val(&init))
                        .expect("host global")
                        .into()
                }
                Item::Memory(min, max) => {
                    let ty = MemoryType {
                        limits: limits(min, max),
                    };
                    Memory::new(&mut store, ty).expect("host memory").into()
                }
                Item::Table(t, min, max) => {
                    let ty = TableType {
                        element: ref_type(t),
                        limits: limits(min, max),
                    };
                    let init = match t {
                        Ty::ExternRef => Val::ExternRef(None),
                        _ => Val::FuncRef(None),
                    };
                    Table::new(&mut store, ty, init).expect("host table").into()
                }
            };
            linker
                .define(&store, host::MODULE, name, ext)
                .expect("define host item");
            host.push((name, ext));
        }
        let instance = linker.instantiate(&mut store, &module).map_err(failure)?;
        Ok(EmberSide {
            store,
            instance,
            module,
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

    /// The module's exports, in order.
    pub fn exports(&self) -> Vec<(String, Kind)> {
        self.module
            .exports()
            .map(|e| {
                let kind = match e.ty() {
                    ExternType::Func(_) => Kind::Func,
                    ExternType::Global(_) => Kind::Global,
                    ExternType::Memory(_) => Kind::Memory,
                    ExternType::Table(_) => Kind::Table,
                };
                (e.name().to_string(), kind)
            })
            .collect()
    }

    fn func(&self, name: &str) -> ember::Func {
        self.instance
            .get_func(&self.store, name)
            .expect("exported function")
    }

    /// Parameter and result types of an exported function.
    pub fn func_type(&self, name: &str) -> (Vec<Ty>, Vec<Ty>) {
        let ft = self.func(name).ty(&self.store);
        (
            ft.params().iter().map(|&t| ty(t)).collect(),
            ft.results().iter().map(|&t| ty(t)).collect(),
        )
    }

    /// Calls an exported function.
    pub fn call(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, Failure> {
        let func = self.func(name);
        let ft = func.ty(&self.store);
        let args: Vec<Val> = args.iter().map(val).collect();
        let mut results: Vec<Val> = ft.results().iter().map(|&t| Val::default_for(t)).collect();
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
            .map(|i| match t.get(&self.store, i) {
                Some(Val::FuncRef(f)) => f.is_some(),
                Some(Val::ExternRef(r)) => r.is_some(),
                _ => false,
            })
            .collect()
    }
}
