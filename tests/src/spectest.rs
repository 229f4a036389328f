//! The `spectest` host module the official test suite imports.

use ember::bytecode::types::{GlobalType, Limits, MemoryType, RefType, TableType};
use ember::{FuncType, Global, Linker, Memory, Result, Store, Table, Val, ValType};

/// Defines the `spectest` module in `linker`: the `print*` functions (which do nothing),
/// `global_i32`/`global_i64` = 666, `global_f32`/`global_f64` = 666.6, `table` (10..20
/// funcref) and `memory` (1..2 pages).
pub fn define<T: 'static>(store: &mut Store<T>, linker: &mut Linker<T>) -> Result<()> {
    use ValType::{F32, F64, I32, I64};
    let prints: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in prints {
        let ty = FuncType::new(params.iter().copied(), []);
        linker.func_new("spectest", name, ty, |_caller, _args, _results| Ok(()))?;
    }

    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::F32(666.6f32.to_bits())),
        ("global_f64", Val::F64(666.6f64.to_bits())),
    ];
    for (name, value) in globals {
        let ty = GlobalType {
            content: value.ty(),
            mutable: false,
        };
        let global = Global::new(&mut *store, ty, value)?;
        linker.define(&*store, "spectest", name, global)?;
    }

    let table_ty = TableType {
        element: RefType::FuncRef,
        limits: Limits {
            min: 10,
            max: Some(20),
        },
    };
    let table = Table::new(&mut *store, table_ty, Val::FuncRef(None))?;
    linker.define(&*store, "spectest", "table", table)?;

    let memory_ty = MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
    };
    let memory = Memory::new(&mut *store, memory_ty)?;
    linker.define(&*store, "spectest", "memory", memory)?;
    Ok(())
}
