//! The WebAssembly 2.0 instantiation algorithm.

use super::Instance;
use crate::error::{Error, Result, Trap, TrapCode};
use crate::externals::Extern;
use crate::module::Module;
use crate::store::{
    FuncEntity, GlobalEntity, InstanceEntity, MemoryEntity, Store, StoreInner, TableEntity,
};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use ember_bytecode::module::{CompiledModule, ConstExpr, DataMode, ElemMode, Import, ImportType};
use ember_bytecode::msg;
use ember_bytecode::types::Limits;

/// Store indices of a new instance's items, module-level order (imports first).
#[derive(Default)]
struct Items {
    funcs: Vec<u32>,
    tables: Vec<u32>,
    memories: Vec<u32>,
    globals: Vec<u32>,
}

pub(super) fn instantiate<T>(
    store: &mut Store<T>,
    module: &Module,
    imports: &[Extern],
) -> Result<Instance> {
    let m = module.compiled();
    if imports.len() != m.imports.len() {
        return Err(Error::Link(msg!(
            "module has ",
            m.imports.len(),
            " imports, but ",
            imports.len(),
            " were given"
        )));
    }
    let types: Vec<u32> = m
        .types
        .iter()
        .map(|t| store.inner.types.intern(t))
        .collect();
    let mut items = Items::default();
    for (import, ext) in m.imports.iter().zip(imports) {
        resolve_import(&store.inner, &types, import, ext, &mut items)?;
    }

    // Allocate everything before touching the store, so a failure leaves it unchanged.
    let inst_index = store.inner.instances.len() as u32;
    let mut new_funcs = Vec::new();
    let defined_funcs = m
        .funcs
        .get(m.num_imported_funcs as usize..)
        .ok_or_else(|| malformed("function count"))?;
    for (k, &ty) in defined_funcs.iter().enumerate() {
        let ty = *types
            .get(ty as usize)
            .ok_or_else(|| malformed("function type"))?;
        items.funcs.push(index_after(store.inner.funcs.len(), k)?);
        new_funcs.push(FuncEntity::Wasm {
            ty,
            instance: inst_index,
            index: m.num_imported_funcs + k as u32,
        });
    }
    let mut new_tables = Vec::new();
    let defined_tables = m
        .tables
        .get(m.num_imported_tables as usize..)
        .ok_or_else(|| malformed("table count"))?;
    for (k, &ty) in defined_tables.iter().enumerate() {
        items.tables.push(index_after(store.inner.tables.len(), k)?);
        let limit = store.inner.engine.config().max_table_elements;
        new_tables.push(TableEntity::new(ty, 0, limit).ok_or_else(|| {
            Error::Limit(msg!(
                "cannot allocate a table of ",
                ty.limits.min,
                " elements (limit ",
                limit,
                ")"
            ))
        })?);
    }
    let mut new_memories = Vec::new();
    let defined_memories = m
        .memories
        .get(m.num_imported_memories as usize..)
        .ok_or_else(|| malformed("memory count"))?;
    for (k, &ty) in defined_memories.iter().enumerate() {
        items
            .memories
            .push(index_after(store.inner.memories.len(), k)?);
        let limit = store.inner.engine.config().max_memory_pages;
        new_memories.push(MemoryEntity::new(ty, limit).ok_or_else(|| {
            Error::Limit(msg!(
                "cannot allocate a memory of ",
                ty.limits.min,
                " pages (limit ",
                limit,
                ")"
            ))
        })?);
    }
    // Raw values of all module globals, for `global.get` in constant expressions.
    let mut global_values: Vec<u64> = items
        .globals
        .iter()
        .map(|&g| store.inner.globals[g as usize].value)
        .collect();
    let mut new_globals = Vec::new();
    let defined_globals = m
        .globals
        .get(m.num_imported_globals as usize..)
        .ok_or_else(|| malformed("global count"))?;
    if defined_globals.len() != m.global_inits.len() {
        return Err(malformed("global initialisers"));
    }
    for (k, (&ty, init)) in defined_globals.iter().zip(&m.global_inits).enumerate() {
        let value = eval(init, &global_values, &items.funcs)?;
        global_values.push(value);
        items
            .globals
            .push(index_after(store.inner.globals.len(), k)?);
        new_globals.push(GlobalEntity { value, ty });
    }
    // Plain loops rather than `collect::<Result<_>>()`: less code on a microcontroller.
    let mut elems = Vec::with_capacity(m.elems.len());
    let mut elem_offsets = Vec::with_capacity(m.elems.len());
    for seg in &m.elems {
        let mut values = Vec::with_capacity(seg.items.len());
        for item in &seg.items {
            values.push(eval(item, &global_values, &items.funcs)?);
        }
        elems.push(values.into_boxed_slice());
        elem_offsets.push(match seg.mode {
            ElemMode::Active { table, offset } => {
                Some((table, eval(&offset, &global_values, &items.funcs)? as u32))
            }
            _ => None,
        });
    }
    let mut data_offsets = Vec::with_capacity(m.datas.len());
    for seg in &m.datas {
        data_offsets.push(match seg.mode {
            DataMode::Active { memory, offset } => {
                Some((memory, eval(&offset, &global_values, &items.funcs)? as u32))
            }
            DataMode::Passive => None,
        });
    }

    // Commit: from here on the instance exists, even if initialisation traps (WebAssembly 2.0:
    // its functions may already be in imported tables).
    let inner = &mut store.inner;
    inner.funcs.extend(new_funcs);
    inner.tables.extend(new_tables);
    inner.memories.extend(new_memories);
    inner.globals.extend(new_globals);
    inner.instances.push(InstanceEntity {
        module: module.clone(),
        funcs: items.funcs,
        tables: items.tables,
        memories: items.memories,
        globals: items.globals,
        types,
        data_dropped: vec![false; m.datas.len()],
        elems,
    });
    let instance = Instance {
        store: inner.id,
        index: inst_index,
    };
    init_segments(inner, inst_index, m, &elem_offsets, &data_offsets)?;

    if let Some(start) = m.start {
        let func = *store.inner.instances[inst_index as usize]
            .funcs
            .get(start as usize)
            .ok_or_else(|| malformed("start function"))?;
        crate::exec::invoke(store, func, &[], &mut [])?;
    }
    Ok(instance)
}

/// Copies the active element and data segments (in order) and drops them and the declared
/// element segments.
fn init_segments(
    inner: &mut StoreInner,
    inst_index: u32,
    m: &CompiledModule,
    elem_offsets: &[Option<(u32, u32)>],
    data_offsets: &[Option<(u32, u32)>],
) -> Result<()> {
    let inst = &mut inner.instances[inst_index as usize];
    for (s, seg) in m.elems.iter().enumerate() {
        match (seg.mode, elem_offsets.get(s).copied().flatten()) {
            (ElemMode::Active { .. }, Some((table, offset))) => {
                let ti = *inst
                    .tables
                    .get(table as usize)
                    .ok_or_else(|| malformed("element segment table"))?;
                let table = &mut inner.tables[ti as usize].elems;
                let items = &inst.elems[s];
                let dst = (offset as usize)
                    .checked_add(items.len())
                    .and_then(|end| table.get_mut(offset as usize..end))
                    .ok_or(Trap::new(TrapCode::TableOutOfBounds))?;
                dst.copy_from_slice(items);
                inst.elems[s] = Box::new([]);
            }
            (ElemMode::Declared, _) => inst.elems[s] = Box::new([]),
            _ => {}
        }
    }
    for (s, seg) in m.datas.iter().enumerate() {
        if let Some((memory, offset)) = data_offsets.get(s).copied().flatten() {
            let mi = *inst
                .memories
                .get(memory as usize)
                .ok_or_else(|| malformed("data segment memory"))?;
            let data = &mut inner.memories[mi as usize].data;
            let dst = (offset as usize)
                .checked_add(seg.bytes.len())
                .and_then(|end| data.get_mut(offset as usize..end))
                .ok_or(Trap::new(TrapCode::MemoryOutOfBounds))?;
            dst.copy_from_slice(&seg.bytes);
            inst.data_dropped[s] = true;
        }
    }
    Ok(())
}

/// Checks `ext` against `import`'s type and records its store index.
fn resolve_import(
    inner: &StoreInner,
    types: &[u32],
    import: &Import,
    ext: &Extern,
    items: &mut Items,
) -> Result<()> {
    if ext.store_id() != inner.id {
        return Err(Error::Usage(msg!(
            "import ",
            import.module,
            "::",
            import.name,
            " belongs to a different store"
        )));
    }
    let mismatch = |detail: String| {
        Error::Link(msg!(
            "incompatible import type for ",
            import.module,
            "::",
            import.name,
            ": ",
            detail
        ))
    };
    match (import.ty, ext) {
        (ImportType::Func(t), Extern::Func(f)) => {
            let want = *types
                .get(t as usize)
                .ok_or_else(|| malformed("import type"))?;
            let have = inner.funcs[f.index as usize].ty();
            if want != have {
                return Err(mismatch(msg!(
                    "expected ",
                    inner.types.get(want),
                    ", found ",
                    inner.types.get(have)
                )));
            }
            items.funcs.push(f.index);
        }
        (ImportType::Table(want), Extern::Table(t)) => {
            let have = inner.tables[t.index as usize].current_type();
            if want.element != have.element || !limits_match(have.limits, want.limits) {
                return Err(mismatch(msg!("expected ", want, ", found ", have)));
            }
            items.tables.push(t.index);
        }
        (ImportType::Memory(want), Extern::Memory(mem)) => {
            let have = inner.memories[mem.index as usize].current_type();
            if !limits_match(have.limits, want.limits) {
                return Err(mismatch(msg!("expected ", want, ", found ", have)));
            }
            items.memories.push(mem.index);
        }
        (ImportType::Global(want), Extern::Global(g)) => {
            let have = inner.globals[g.index as usize].ty;
            if want != have {
                return Err(mismatch(msg!("expected ", want, ", found ", have)));
            }
            items.globals.push(g.index);
        }
        (want, ext) => {
            let want = match want {
                ImportType::Func(_) => "function",
                ImportType::Table(_) => "table",
                ImportType::Memory(_) => "memory",
                ImportType::Global(_) => "global",
            };
            return Err(mismatch(msg!(
                "expected a ",
                want,
                ", found a ",
                ext.kind_name()
            )));
        }
    }
    Ok(())
}

/// Import matching of limits (WebAssembly 2.0): the actual minimum is at least the declared
/// one, and if a maximum is declared, the actual one exists and is at most that.
fn limits_match(actual: Limits, declared: Limits) -> bool {
    actual.min >= declared.min
        && match declared.max {
            None => true,
            Some(dmax) => actual.max.is_some_and(|amax| amax <= dmax),
        }
}

/// Evaluates a constant expression to a raw value. `globals` holds the raw values of the module
/// globals so far, `funcs` the store indices of the module functions.
fn eval(expr: &ConstExpr, globals: &[u64], funcs: &[u32]) -> Result<u64> {
    Ok(match *expr {
        ConstExpr::I32(v) => v as u32 as u64,
        ConstExpr::I64(v) => v as u64,
        ConstExpr::F32(b) => b as u64,
        ConstExpr::F64(b) => b,
        ConstExpr::RefNull(_) => 0,
        ConstExpr::RefFunc(f) => {
            *funcs
                .get(f as usize)
                .ok_or_else(|| malformed("ref.func index"))? as u64
                + 1
        }
        ConstExpr::GlobalGet(g) => *globals
            .get(g as usize)
            .ok_or_else(|| malformed("global.get index"))?,
    })
}

/// Store index `base + k` for the `k`th new item, if it fits in `u32`.
fn index_after(base: usize, k: usize) -> Result<u32> {
    base.checked_add(k)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| Error::Usage(String::from("too many objects in the store")))
}

/// An inconsistency in a translated module (validation rules these out).
fn malformed(what: &str) -> Error {
    Error::Usage(msg!("invalid compiled module: bad ", what))
}
