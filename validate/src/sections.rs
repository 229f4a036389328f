//! Module-level sections: everything but code, recorded into the [`CompiledModule`].

use crate::CompileError;
use crate::convert::{
    const_expr, err, global_type, memory_type, ref_type, table_type, val_type, wp_err,
};
use crate::strict::{Section, check_limits};
use alloc::string::ToString;
use alloc::vec::Vec;
use ember_bytecode::module::{
    CompiledModule, ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind,
    Import, ImportType,
};
use ember_bytecode::types::FuncType;
use wasmparser as wp;

/// Records a (validated) payload's contents.
pub(crate) fn record(
    m: &mut CompiledModule,
    payload: &wp::Payload<'_>,
    wasm: &[u8],
) -> Result<(), CompileError> {
    use wp::Payload as P;
    let strict = |section: Section, range: core::ops::Range<u64>| {
        let (start, end) = (range.start as usize, range.end as usize);
        match wasm.get(start..end) {
            Some(bytes) => check_limits(section, bytes, start),
            None => Ok(()),
        }
    };
    match payload {
        P::TypeSection(r) => {
            m.types.reserve(r.count() as usize);
            for group in r.clone() {
                let group = group.map_err(wp_err)?;
                for sub in group.types() {
                    match &sub.composite_type.inner {
                        wp::CompositeInnerType::Func(ft) => {
                            let off = r.range().start as usize;
                            let params: Result<Vec<_>, _> =
                                ft.params().iter().map(|&t| val_type(t, off)).collect();
                            let results: Result<Vec<_>, _> =
                                ft.results().iter().map(|&t| val_type(t, off)).collect();
                            m.types.push(FuncType::new(params?, results?));
                        }
                        _ => {
                            return Err(err(
                                r.range().start as usize,
                                "unsupported non-function type",
                            ));
                        }
                    }
                }
            }
        }
        P::ImportSection(r) => {
            strict(Section::Import, r.range())?;
            let off = r.range().start as usize;
            for imp in r.clone().into_imports() {
                let imp = imp.map_err(wp_err)?;
                let ty = match imp.ty {
                    wp::TypeRef::Func(t) | wp::TypeRef::FuncExact(t) => {
                        m.funcs.push(t);
                        m.num_imported_funcs += 1;
                        ImportType::Func(t)
                    }
                    wp::TypeRef::Table(t) => {
                        let t = table_type(&t, off)?;
                        m.tables.push(t);
                        m.num_imported_tables += 1;
                        ImportType::Table(t)
                    }
                    wp::TypeRef::Memory(t) => {
                        let t = memory_type(&t, off)?;
                        m.memories.push(t);
                        m.num_imported_memories += 1;
                        ImportType::Memory(t)
                    }
                    wp::TypeRef::Global(t) => {
                        let t = global_type(&t, off)?;
                        m.globals.push(t);
                        m.num_imported_globals += 1;
                        ImportType::Global(t)
                    }
                    wp::TypeRef::Tag(_) => return Err(err(off, "unsupported tag import")),
                };
                m.imports.push(Import {
                    module: imp.module.to_string(),
                    name: imp.name.to_string(),
                    ty,
                });
            }
        }
        P::FunctionSection(r) => {
            m.funcs.reserve(r.count() as usize);
            for t in r.clone() {
                m.funcs.push(t.map_err(wp_err)?);
            }
        }
        P::TableSection(r) => {
            strict(Section::Table, r.range())?;
            for t in r.clone() {
                let t = t.map_err(wp_err)?;
                if !matches!(t.init, wp::TableInit::RefNull) {
                    return Err(err(
                        r.range().start as usize,
                        "unsupported table initialiser",
                    ));
                }
                m.tables.push(table_type(&t.ty, r.range().start as usize)?);
            }
        }
        P::MemorySection(r) => {
            strict(Section::Memory, r.range())?;
            for t in r.clone() {
                m.memories
                    .push(memory_type(&t.map_err(wp_err)?, r.range().start as usize)?);
            }
        }
        P::GlobalSection(r) => {
            for g in r.clone() {
                let g = g.map_err(wp_err)?;
                m.globals
                    .push(global_type(&g.ty, r.range().start as usize)?);
                m.global_inits.push(const_expr(&g.init_expr)?);
            }
        }
        P::ExportSection(r) => {
            for e in r.clone() {
                let e = e.map_err(wp_err)?;
                let kind = match e.kind {
                    wp::ExternalKind::Func | wp::ExternalKind::FuncExact => ExternKind::Func,
                    wp::ExternalKind::Table => ExternKind::Table,
                    wp::ExternalKind::Memory => ExternKind::Memory,
                    wp::ExternalKind::Global => ExternKind::Global,
                    wp::ExternalKind::Tag => {
                        return Err(err(r.range().start as usize, "unsupported tag export"));
                    }
                };
                m.exports.push(Export {
                    name: e.name.to_string(),
                    kind,
                    index: e.index,
                });
            }
        }
        P::StartSection { func, .. } => m.start = Some(*func),
        P::ElementSection(r) => {
            for e in r.clone() {
                let e = e.map_err(wp_err)?;
                let off = e.range.start as usize;
                let mode = match e.kind {
                    wp::ElementKind::Passive => ElemMode::Passive,
                    wp::ElementKind::Declared => ElemMode::Declared,
                    wp::ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => ElemMode::Active {
                        table: table_index.unwrap_or(0),
                        offset: const_expr(&offset_expr)?,
                    },
                };
                let (ty, items) = match e.items {
                    wp::ElementItems::Functions(fs) => {
                        let mut items = Vec::with_capacity(fs.count() as usize);
                        for f in fs {
                            items.push(ConstExpr::RefFunc(f.map_err(wp_err)?));
                        }
                        (ember_bytecode::types::RefType::FuncRef, items)
                    }
                    wp::ElementItems::Expressions(rt, es) => {
                        let mut items = Vec::with_capacity(es.count() as usize);
                        for x in es {
                            items.push(const_expr(&x.map_err(wp_err)?)?);
                        }
                        (ref_type(rt, off)?, items)
                    }
                };
                m.elems.push(ElemSegment {
                    mode,
                    ty,
                    items: items.into_boxed_slice(),
                });
            }
        }
        P::DataSection(r) => {
            for d in r.clone() {
                let d = d.map_err(wp_err)?;
                let mode = match d.kind {
                    wp::DataKind::Passive => DataMode::Passive,
                    wp::DataKind::Active {
                        memory_index,
                        offset_expr,
                    } => DataMode::Active {
                        memory: memory_index,
                        offset: const_expr(&offset_expr)?,
                    },
                };
                m.datas.push(DataSegment {
                    mode,
                    bytes: d.data.into(),
                });
            }
        }
        P::CodeSectionStart { count, size, .. } => {
            m.wasm_code_size = *size;
            m.bodies.reserve(*count as usize);
        }
        _ => {}
    }
    Ok(())
}
