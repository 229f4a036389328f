//! The wasmi side of the differential check (wasmi 2.0.0, configured for WebAssembly 2.0).

use super::values::{Failure, Trap, Value};
use wasmi::{Config, Engine, Instance, Module, Store, TrapCode, Val};

/// An instantiated module in wasmi.
pub struct WasmiSide {
    store: Store<()>,
    instance: Instance,
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
    /// Compiles and instantiates `wasm` (no imports), running its start function.
    pub fn new(wasm: &[u8]) -> Result<WasmiSide, Failure> {
        let engine = Engine::new(&config());
        let module = Module::new(&engine, wasm).map_err(|e| Failure::Compile(e.to_string()))?;
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).map_err(failure)?;
        Ok(WasmiSide { store, instance })
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
            .map(|i| t.get(&self.store, i).is_some_and(|r| !r.is_null()))
            .collect()
    }
}
