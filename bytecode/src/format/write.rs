//! The encoder: `CompiledModule` → bytes (layout in `docs/format.md`).

use super::{FEATURES, FORMAT_VERSION, ISA_FINGERPRINT, MAGIC, code};
use crate::module::{
    CompiledModule, ConstExpr, DataMode, ElemMode, ExternKind, FuncBody, ImportType,
};
use crate::types::{GlobalType, Limits, RefType, TableType, ValType};
use alloc::vec::Vec;

struct W(Vec<u8>);

impl W {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A length or count. Lengths of in-memory collections above `u32::MAX` cannot come from
    /// the translator (wasm limits are far lower); they are clamped so the blob is refused on
    /// load rather than panicking here.
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    fn val_type(&mut self, t: ValType) {
        self.u8(match t {
            ValType::I32 => code::I32,
            ValType::I64 => code::I64,
            ValType::F32 => code::F32,
            ValType::F64 => code::F64,
            ValType::FuncRef => code::FUNCREF,
            ValType::ExternRef => code::EXTERNREF,
        });
    }
    fn ref_type(&mut self, t: RefType) {
        self.val_type(t.into());
    }
    fn limits(&mut self, l: Limits) {
        self.u32(l.min);
        match l.max {
            None => self.u8(0),
            Some(m) => {
                self.u8(1);
                self.u32(m);
            }
        }
    }
    fn table_type(&mut self, t: TableType) {
        self.ref_type(t.element);
        self.limits(t.limits);
    }
    fn global_type(&mut self, t: GlobalType) {
        self.val_type(t.content);
        self.u8(u8::from(t.mutable));
    }
    fn const_expr(&mut self, e: ConstExpr) {
        match e {
            ConstExpr::I32(v) => {
                self.u8(0);
                self.u32(v as u32);
            }
            ConstExpr::I64(v) => {
                self.u8(1);
                self.u64(v as u64);
            }
            ConstExpr::F32(b) => {
                self.u8(2);
                self.u32(b);
            }
            ConstExpr::F64(b) => {
                self.u8(3);
                self.u64(b);
            }
            ConstExpr::RefNull(t) => {
                self.u8(4);
                self.ref_type(t);
            }
            ConstExpr::RefFunc(f) => {
                self.u8(5);
                self.u32(f);
            }
            ConstExpr::GlobalGet(g) => {
                self.u8(6);
                self.u32(g);
            }
        }
    }
    fn body(&mut self, b: &FuncBody) {
        self.u32(b.code_start);
        self.u32(b.code_len);
        self.u16(b.frame_size);
        self.u16(b.num_params);
        self.u16(b.zeroed_locals);
        self.u16(b.num_results);
    }
}

/// Extern kind codes (the WebAssembly binary codes).
pub(super) fn kind_code(k: ExternKind) -> u8 {
    match k {
        ExternKind::Func => 0,
        ExternKind::Table => 1,
        ExternKind::Memory => 2,
        ExternKind::Global => 3,
    }
}

/// Encodes a module as a precompiled blob (see `docs/format.md`).
pub fn serialize(m: &CompiledModule) -> Vec<u8> {
    let mut w = W(Vec::with_capacity(m.code.len() + 256));
    w.0.extend_from_slice(&MAGIC);
    w.u32(FORMAT_VERSION);
    w.u32(FEATURES);
    w.u64(ISA_FINGERPRINT);
    w.u32(m.wasm_code_size);

    w.len(m.types.len());
    for t in &m.types {
        w.len(t.params().len());
        w.len(t.results().len());
        for &v in t.params().iter().chain(t.results()) {
            w.val_type(v);
        }
    }
    w.len(m.imports.len());
    for i in &m.imports {
        w.bytes(i.module.as_bytes());
        w.bytes(i.name.as_bytes());
        match i.ty {
            ImportType::Func(t) => {
                w.u8(kind_code(ExternKind::Func));
                w.u32(t);
            }
            ImportType::Table(t) => {
                w.u8(kind_code(ExternKind::Table));
                w.table_type(t);
            }
            ImportType::Memory(t) => {
                w.u8(kind_code(ExternKind::Memory));
                w.limits(t.limits);
            }
            ImportType::Global(t) => {
                w.u8(kind_code(ExternKind::Global));
                w.global_type(t);
            }
        }
    }
    w.len(m.funcs.len());
    for &f in &m.funcs {
        w.u32(f);
    }
    w.len(m.tables.len());
    for &t in &m.tables {
        w.table_type(t);
    }
    w.len(m.memories.len());
    for t in &m.memories {
        w.limits(t.limits);
    }
    w.len(m.globals.len());
    for &g in &m.globals {
        w.global_type(g);
    }
    w.len(m.global_inits.len());
    for &e in &m.global_inits {
        w.const_expr(e);
    }
    w.len(m.exports.len());
    for e in &m.exports {
        w.bytes(e.name.as_bytes());
        w.u8(kind_code(e.kind));
        w.u32(e.index);
    }
    match m.start {
        None => w.u8(0),
        Some(f) => {
            w.u8(1);
            w.u32(f);
        }
    }
    w.len(m.elems.len());
    for s in &m.elems {
        match s.mode {
            ElemMode::Passive => w.u8(0),
            ElemMode::Active { table, offset } => {
                w.u8(1);
                w.u32(table);
                w.const_expr(offset);
            }
            ElemMode::Declared => w.u8(2),
        }
        w.ref_type(s.ty);
        w.len(s.items.len());
        for &e in s.items.iter() {
            w.const_expr(e);
        }
    }
    w.len(m.datas.len());
    for s in &m.datas {
        match s.mode {
            DataMode::Passive => w.u8(0),
            DataMode::Active { memory, offset } => {
                w.u8(1);
                w.u32(memory);
                w.const_expr(offset);
            }
        }
        w.bytes(&s.bytes);
    }
    w.len(m.bodies.len());
    for b in &m.bodies {
        w.body(b);
    }
    w.bytes(&m.code);
    w.0
}
