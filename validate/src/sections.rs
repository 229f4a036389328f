//! Module-level sections: everything but code, checked ([`crate::module`]) and recorded into
//! the [`CompiledModule`].

use crate::CompileError;
use crate::convert::{
    const_expr, err, global_type, memory_type, ref_type, table_type, val_type, wp_err,
};
use crate::module::{ModuleState, Order, check_count, limits};
use crate::strict::{Section, check_limits};
use alloc::string::ToString;
use alloc::vec::Vec;
use ember_bytecode::module::{
    CompiledModule, ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind,
    Import, ImportType,
};
use ember_bytecode::types::FuncType;
use wasmparser as wp;

/// Checks a payload (everything but function bodies) and records its contents.
pub(crate) fn record(
    m: &mut CompiledModule,
    v: &mut ModuleState,
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
        P::Version {
            encoding, range, ..
        } => {
            if *encoding != wp::Encoding::Module {
                return Err(err(range.start as usize, "components are not supported"));
            }
        }
        P::TypeSection(r) => {
            let off = r.range().start as usize;
            v.enter(Order::Type, off)?;
            check_count(0, r.count(), limits::TYPES, "types", off)?;
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
                v.check_rec_group(group, off)?;
            }
        }
        P::ImportSection(r) => {
            strict(Section::Import, r.range())?;
            let off = r.range().start as usize;
            v.enter(Order::Import, off)?;
            check_count(0, r.count(), limits::IMPORTS, "imports", off)?;
            for imp in r.clone().into_imports() {
                let imp = imp.map_err(wp_err)?;
                let ty = match imp.ty {
                    wp::TypeRef::Func(t) => {
                        v.add_func(t, true, off)?;
                        m.funcs.push(t);
                        m.num_imported_funcs += 1;
                        ImportType::Func(t)
                    }
                    wp::TypeRef::Table(t) => {
                        v.add_table(t, off)?;
                        let t = table_type(&t, off)?;
                        m.tables.push(t);
                        m.num_imported_tables += 1;
                        ImportType::Table(t)
                    }
                    wp::TypeRef::Memory(t) => {
                        v.add_memory(t, off)?;
                        let t = memory_type(&t, off)?;
                        m.memories.push(t);
                        m.num_imported_memories += 1;
                        ImportType::Memory(t)
                    }
                    wp::TypeRef::Global(t) => {
                        v.add_global(t, true, off)?;
                        let t = global_type(&t, off)?;
                        m.globals.push(t);
                        m.num_imported_globals += 1;
                        ImportType::Global(t)
                    }
                    wp::TypeRef::Tag(_) | wp::TypeRef::FuncExact(_) => {
                        return Err(err(off, "unsupported import kind"));
                    }
                };
                m.imports.push(Import {
                    module: imp.module.to_string(),
                    name: imp.name.to_string(),
                    ty,
                });
            }
        }
        P::FunctionSection(r) => {
            let off = r.range().start as usize;
            v.enter(Order::Function, off)?;
            check_count(
                m.funcs.len(),
                r.count(),
                limits::FUNCTIONS,
                "functions",
                off,
            )?;
            m.funcs.reserve(r.count() as usize);
            v.reserve_funcs(r.count());
            for t in r.clone() {
                let t = t.map_err(wp_err)?;
                v.add_func(t, false, off)?;
                m.funcs.push(t);
            }
        }
        P::TableSection(r) => {
            strict(Section::Table, r.range())?;
            let off = r.range().start as usize;
            v.enter(Order::Table, off)?;
            for t in r.clone() {
                let t = t.map_err(wp_err)?;
                if !matches!(t.init, wp::TableInit::RefNull) {
                    return Err(err(off, "unsupported table initialiser"));
                }
                v.add_table(t.ty, off)?;
                m.tables.push(table_type(&t.ty, off)?);
            }
        }
        P::MemorySection(r) => {
            strict(Section::Memory, r.range())?;
            let off = r.range().start as usize;
            v.enter(Order::Memory, off)?;
            for t in r.clone() {
                let t = t.map_err(wp_err)?;
                v.add_memory(t, off)?;
                m.memories.push(memory_type(&t, off)?);
            }
        }
        P::GlobalSection(r) => {
            let off = r.range().start as usize;
            v.enter(Order::Global, off)?;
            check_count(m.globals.len(), r.count(), limits::GLOBALS, "globals", off)?;
            for g in r.clone() {
                let g = g.map_err(wp_err)?;
                let init = const_expr(&g.init_expr)?;
                let init_off = g.init_expr.get_binary_reader().original_position() as usize;
                v.check_const(&init, g.ty.content_type, init_off)?;
                v.add_global(g.ty, false, off)?;
                m.globals.push(global_type(&g.ty, off)?);
                m.global_inits.push(init);
            }
        }
        P::ExportSection(r) => {
            let off = r.range().start as usize;
            v.enter(Order::Export, off)?;
            check_count(0, r.count(), limits::EXPORTS, "exports", off)?;
            for e in r.clone() {
                let e = e.map_err(wp_err)?;
                v.check_export(e.kind, e.index, off)?;
                let kind = match e.kind {
                    wp::ExternalKind::Func => ExternKind::Func,
                    wp::ExternalKind::Table => ExternKind::Table,
                    wp::ExternalKind::Memory => ExternKind::Memory,
                    wp::ExternalKind::Global => ExternKind::Global,
                    _ => return Err(err(off, "unsupported export kind")),
                };
                m.exports.push(Export {
                    name: e.name.to_string(),
                    kind,
                    index: e.index,
                });
            }
            let mut names: Vec<&str> = m.exports.iter().map(|e| e.name.as_str()).collect();
            names.sort_unstable();
            if names.windows(2).any(|w| w[0] == w[1]) {
                return Err(err(off, "duplicate export name"));
            }
        }
        P::StartSection { func, range } => {
            let off = range.start as usize;
            v.enter(Order::StartFunc, off)?;
            v.check_start(*func, off)?;
            m.start = Some(*func);
        }
        P::ElementSection(r) => {
            let off = r.range().start as usize;
            v.enter(Order::Element, off)?;
            check_count(
                0,
                r.count(),
                limits::ELEMENT_SEGMENTS,
                "element segments",
                off,
            )?;
            for e in r.clone() {
                let e = e.map_err(wp_err)?;
                let off = e.range.start as usize;
                let (rt, items) = match e.items {
                    wp::ElementItems::Functions(fs) => {
                        let mut items = Vec::with_capacity(fs.count() as usize);
                        for f in fs {
                            let f = f.map_err(wp_err)?;
                            v.reference(f, off)?;
                            items.push(ConstExpr::RefFunc(f));
                        }
                        (wp::RefType::FUNCREF, items)
                    }
                    wp::ElementItems::Expressions(rt, es) => {
                        let mut items = Vec::with_capacity(es.count() as usize);
                        for x in es {
                            let x = x.map_err(wp_err)?;
                            let item = const_expr(&x)?;
                            let at = x.get_binary_reader().original_position() as usize;
                            v.check_const(&item, wp::ValType::Ref(rt), at)?;
                            items.push(item);
                        }
                        (rt, items)
                    }
                };
                let ty = ref_type(rt, off)?;
                let mode = match e.kind {
                    wp::ElementKind::Passive => ElemMode::Passive,
                    wp::ElementKind::Declared => ElemMode::Declared,
                    wp::ElementKind::Active {
                        table_index,
                        offset_expr,
                    } => {
                        let table = table_index.unwrap_or(0);
                        v.check_elem_table(table, rt, off)?;
                        let offset = const_expr(&offset_expr)?;
                        let at = offset_expr.get_binary_reader().original_position() as usize;
                        v.check_const(&offset, wp::ValType::I32, at)?;
                        ElemMode::Active { table, offset }
                    }
                };
                v.add_elem(rt);
                m.elems.push(ElemSegment {
                    mode,
                    ty,
                    items: items.into_boxed_slice(),
                });
            }
        }
        P::DataCountSection { count, range } => {
            let off = range.start as usize;
            v.enter(Order::DataCount, off)?;
            v.set_data_count(*count, off)?;
        }
        P::DataSection(r) => {
            let off = r.range().start as usize;
            v.enter(Order::Data, off)?;
            v.set_data_segments(r.count(), off)?;
            for d in r.clone() {
                let d = d.map_err(wp_err)?;
                let mode = match d.kind {
                    wp::DataKind::Passive => DataMode::Passive,
                    wp::DataKind::Active {
                        memory_index,
                        offset_expr,
                    } => {
                        let at = offset_expr.get_binary_reader().original_position() as usize;
                        v.check_data_memory(memory_index, at)?;
                        let offset = const_expr(&offset_expr)?;
                        v.check_const(&offset, wp::ValType::I32, at)?;
                        DataMode::Active {
                            memory: memory_index,
                            offset,
                        }
                    }
                };
                m.datas.push(DataSegment {
                    mode,
                    bytes: d.data.into(),
                });
            }
        }
        P::CodeSectionStart {
            count,
            size,
            unchecked_range,
        } => {
            let off = unchecked_range.start as usize;
            v.enter(Order::Code, off)?;
            v.set_code_count(*count, off)?;
            m.wasm_code_size = *size;
            m.bodies.reserve(*count as usize);
        }
        P::CodeSectionEntry(_) | P::CustomSection(_) => {}
        P::End(offset) => v.finish(*offset as usize)?,
        P::TagSection(r) => return Err(err(r.range().start as usize, "unsupported tag section")),
        P::UnknownSection { id, range, .. } => {
            return Err(err(
                range.start as usize,
                alloc::format!("malformed section id: {id}"),
            ));
        }
        #[allow(unreachable_patterns)]
        _ => return Err(err(0, "unsupported section")),
    }
    Ok(())
}
