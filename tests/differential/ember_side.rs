//! The Ember side of the differential check.

use super::values::{Failure, Kind, Trap, Ty, Value};
use ember::{Config, Engine, Error, ExternType, Instance, Module, Store, TrapCode, Val};

/// An instantiated module in Ember.
pub struct EmberSide {
    store: Store<()>,
    instance: Instance,
    module: Module,
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
    /// Compiles and instantiates `wasm` (no imports), running its start function.
    pub fn new(wasm: &[u8]) -> Result<EmberSide, Failure> {
        let engine = Engine::new(&config());
        let module = Module::from_binary(&engine, wasm).map_err(failure)?;
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).map_err(failure)?;
        Ok(EmberSide {
            store,
            instance,
            module,
        })
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

    /// An exported global's value.
    pub fn global(&self, name: &str) -> Value {
        let g = self.instance.get_global(&self.store, name).expect("global");
        value(&g.get(&self.store))
    }

    /// An exported memory's bytes.
    pub fn memory(&self, name: &str) -> Vec<u8> {
        let m = self.instance.get_memory(&self.store, name).expect("memory");
        m.data(&self.store).to_vec()
    }

    /// An exported table's non-null pattern.
    pub fn table(&self, name: &str) -> Vec<bool> {
        let t = self.instance.get_table(&self.store, name).expect("table");
        (0..t.size(&self.store))
            .map(|i| match t.get(&self.store, i) {
                Some(Val::FuncRef(f)) => f.is_some(),
                Some(Val::ExternRef(r)) => r.is_some(),
                _ => false,
            })
            .collect()
    }
}
