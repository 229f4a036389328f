//! Conversions from wasmparser's types to Ember's (module-level data, not code).

use crate::CompileError;
use alloc::format;
use ember_bytecode::module::ConstExpr;
use ember_bytecode::types::{GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use wasmparser as wp;

/// An error at `offset` outside any function body.
pub(crate) fn err(offset: usize, message: impl Into<alloc::string::String>) -> CompileError {
    CompileError {
        message: message.into(),
        offset,
        func_index: None,
    }
}

/// Converts a wasmparser error (outside any function body).
pub(crate) fn wp_err(e: wp::BinaryReaderError) -> CompileError {
    CompileError {
        message: alloc::string::ToString::to_string(e.message()),
        offset: e.offset() as usize,
        func_index: None,
    }
}

/// A reference type of WebAssembly 2.0.
pub(crate) fn ref_type(r: wp::RefType, offset: usize) -> Result<RefType, CompileError> {
    if r == wp::RefType::FUNCREF {
        Ok(RefType::FuncRef)
    } else if r == wp::RefType::EXTERNREF {
        Ok(RefType::ExternRef)
    } else {
        Err(err(offset, format!("unsupported reference type {r}")))
    }
}

/// A value type of WebAssembly 2.0 (no SIMD).
pub(crate) fn val_type(t: wp::ValType, offset: usize) -> Result<ValType, CompileError> {
    Ok(match t {
        wp::ValType::I32 => ValType::I32,
        wp::ValType::I64 => ValType::I64,
        wp::ValType::F32 => ValType::F32,
        wp::ValType::F64 => ValType::F64,
        wp::ValType::Ref(r) => ref_type(r, offset)?.into(),
        wp::ValType::V128 => return Err(err(offset, "unsupported value type v128")),
    })
}

fn limit_u32(v: u64, offset: usize) -> Result<u32, CompileError> {
    u32::try_from(v).map_err(|_| err(offset, "limit out of range"))
}

fn limits(min: u64, max: Option<u64>, offset: usize) -> Result<Limits, CompileError> {
    Ok(Limits {
        min: limit_u32(min, offset)?,
        max: match max {
            Some(m) => Some(limit_u32(m, offset)?),
            None => None,
        },
    })
}

/// A table type.
pub(crate) fn table_type(t: &wp::TableType, offset: usize) -> Result<TableType, CompileError> {
    Ok(TableType {
        element: ref_type(t.element_type, offset)?,
        limits: limits(t.initial, t.maximum, offset)?,
    })
}

/// A memory type.
pub(crate) fn memory_type(t: &wp::MemoryType, offset: usize) -> Result<MemoryType, CompileError> {
    Ok(MemoryType {
        limits: limits(t.initial, t.maximum, offset)?,
    })
}

/// A global type.
pub(crate) fn global_type(t: &wp::GlobalType, offset: usize) -> Result<GlobalType, CompileError> {
    Ok(GlobalType {
        content: val_type(t.content_type, offset)?,
        mutable: t.mutable,
    })
}

/// A constant expression: exactly one instruction followed by `end`.
///
/// Decoded from its bytes here rather than with wasmparser's `Operator` reader, which would
/// link a whole operator decoder (about 10 KB of firmware) for these seven forms. The module
/// is validated before this runs, so this only picks the value out.
pub(crate) fn const_expr(e: &wp::ConstExpr<'_>) -> Result<ConstExpr, CompileError> {
    let mut r = e.get_binary_reader();
    let offset = r.original_position() as usize;
    let value = match r.read_u8().map_err(wp_err)? {
        0x41 => ConstExpr::I32(r.read_var_i32().map_err(wp_err)?),
        0x42 => ConstExpr::I64(r.read_var_i64().map_err(wp_err)?),
        0x43 => ConstExpr::F32(r.read_f32().map_err(wp_err)?.bits()),
        0x44 => ConstExpr::F64(r.read_f64().map_err(wp_err)?.bits()),
        0xd0 => ConstExpr::RefNull(match r.read::<wp::HeapType>().map_err(wp_err)? {
            wp::HeapType::FUNC => RefType::FuncRef,
            wp::HeapType::EXTERN => RefType::ExternRef,
            _ => return Err(err(offset, "unsupported heap type in ref.null")),
        }),
        0xd2 => ConstExpr::RefFunc(r.read_var_u32().map_err(wp_err)?),
        0x23 => ConstExpr::GlobalGet(r.read_var_u32().map_err(wp_err)?),
        _ => return Err(err(offset, "unsupported constant expression")),
    };
    let offset = r.original_position() as usize;
    match r.read_u8().map_err(wp_err)? {
        0x0b => Ok(value),
        _ => Err(err(
            offset,
            "constant expression of more than one instruction",
        )),
    }
}
