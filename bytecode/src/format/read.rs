//! The decoder: bytes → `CompiledModule`. Every read is bounds-checked and every count is
//! checked against the bytes left before anything is allocated, so no input makes it panic or
//! allocate much more than the blob's size. It checks the encoding only; what the module means
//! is checked by the [verifier](crate::verify).

use super::{FEATURES, FORMAT_VERSION, FormatError, ISA_FINGERPRINT, MAGIC, code};
use crate::module::Code;
use crate::module::{
    CompiledModule, ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind,
    FuncBody, Import, ImportType,
};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

struct R<'a> {
    bytes: &'a [u8],
    pos: usize,
}

type Res<T> = Result<T, FormatError>;

impl<'a> R<'a> {
    fn err<T>(&self, message: impl Into<String>) -> Res<T> {
        Err(FormatError {
            offset: self.pos,
            message: message.into(),
        })
    }
    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = match self.pos.checked_add(n) {
            Some(e) if e <= self.bytes.len() => e,
            _ => return self.err("unexpected end of precompiled module"),
        };
        let b = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(b)
    }
    fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u8(&mut self) -> Res<u8> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Res<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }
    /// A count of items that take at least `min_size` bytes each; refused if the rest of the
    /// blob cannot hold that many (so a forged count cannot cause a huge allocation).
    fn count(&mut self, min_size: usize, what: &str) -> Res<usize> {
        let at = self.pos;
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size.max(1)) > self.remaining() {
            return Err(FormatError {
                offset: at,
                message: format!("{what} count {n} exceeds the rest of the precompiled module"),
            });
        }
        Ok(n)
    }
    fn bytes(&mut self) -> Res<&'a [u8]> {
        let n = self.count(1, "byte")?;
        self.take(n)
    }
    fn string(&mut self) -> Res<String> {
        let at = self.pos;
        let b = self.bytes()?;
        match core::str::from_utf8(b) {
            Ok(s) => Ok(String::from(s)),
            Err(_) => Err(FormatError {
                offset: at,
                message: String::from("name is not valid UTF-8"),
            }),
        }
    }
    fn bool(&mut self) -> Res<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => {
                self.pos -= 1;
                self.err(format!("invalid flag byte {b:#04x}"))
            }
        }
    }
    fn val_type(&mut self) -> Res<ValType> {
        Ok(match self.u8()? {
            code::I32 => ValType::I32,
            code::I64 => ValType::I64,
            code::F32 => ValType::F32,
            code::F64 => ValType::F64,
            code::FUNCREF => ValType::FuncRef,
            code::EXTERNREF => ValType::ExternRef,
            b => {
                self.pos -= 1;
                return self.err(format!("invalid value type {b:#04x}"));
            }
        })
    }
    fn ref_type(&mut self) -> Res<RefType> {
        Ok(match self.val_type()? {
            ValType::FuncRef => RefType::FuncRef,
            ValType::ExternRef => RefType::ExternRef,
            _ => {
                self.pos -= 1;
                return self.err("expected a reference type");
            }
        })
    }
    fn limits(&mut self) -> Res<Limits> {
        let min = self.u32()?;
        let max = if self.bool()? {
            Some(self.u32()?)
        } else {
            None
        };
        Ok(Limits { min, max })
    }
    fn table_type(&mut self) -> Res<TableType> {
        let element = self.ref_type()?;
        let limits = self.limits()?;
        Ok(TableType { element, limits })
    }
    fn global_type(&mut self) -> Res<GlobalType> {
        let content = self.val_type()?;
        let mutable = self.bool()?;
        Ok(GlobalType { content, mutable })
    }
    fn const_expr(&mut self) -> Res<ConstExpr> {
        Ok(match self.u8()? {
            0 => ConstExpr::I32(self.u32()? as i32),
            1 => ConstExpr::I64(self.u64()? as i64),
            2 => ConstExpr::F32(self.u32()?),
            3 => ConstExpr::F64(self.u64()?),
            4 => ConstExpr::RefNull(self.ref_type()?),
            5 => ConstExpr::RefFunc(self.u32()?),
            6 => ConstExpr::GlobalGet(self.u32()?),
            b => {
                self.pos -= 1;
                return self.err(format!("invalid constant expression tag {b:#04x}"));
            }
        })
    }
    fn kind(&mut self) -> Res<ExternKind> {
        Ok(match self.u8()? {
            0 => ExternKind::Func,
            1 => ExternKind::Table,
            2 => ExternKind::Memory,
            3 => ExternKind::Global,
            b => {
                self.pos -= 1;
                return self.err(format!("invalid external kind {b:#04x}"));
            }
        })
    }
    fn header(&mut self) -> Res<()> {
        if self.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            self.pos = 0;
            return self.err("not a precompiled Ember module (bad magic number)");
        }
        let version = self.u32()?;
        if version != FORMAT_VERSION {
            self.pos -= 4;
            return self.err(format!(
                "precompiled module has format version {version}, this build reads version \
                 {FORMAT_VERSION}: recompile it from the wasm"
            ));
        }
        let features = self.u32()?;
        if features != FEATURES {
            self.pos -= 4;
            return self.err(format!(
                "precompiled module was compiled for features {features:#x}, this build has \
                 {FEATURES:#x} (WebAssembly 2.0 without SIMD): recompile it from the wasm"
            ));
        }
        let isa = self.u64()?;
        if isa != ISA_FINGERPRINT {
            self.pos -= 8;
            return self.err(format!(
                "precompiled module was compiled for instruction set {isa:#018x}, this build \
                 has {ISA_FINGERPRINT:#018x}: recompile it from the wasm"
            ));
        }
        Ok(())
    }
}

/// Decodes a blob written by [`serialize`](super::serialize) **without verifying it**: the
/// result may index out of range or contain bytecode that is not safe to run. Use
/// [`deserialize`](super::deserialize) for untrusted bytes.
pub fn decode(bytes: &[u8]) -> Result<CompiledModule, FormatError> {
    let (mut m, code) = decode_parts(bytes)?;
    m.code = Code::Owned(code.to_vec());
    Ok(m)
}

/// Like [`decode`], but the module's bytecode stays in `bytes` (borrowed, not copied: see
/// [`Code::Static`]). Not verified either.
pub fn decode_static(bytes: &'static [u8]) -> Result<CompiledModule, FormatError> {
    let (mut m, code) = decode_parts(bytes)?;
    m.code = Code::Static(code);
    Ok(m)
}

/// Decodes everything but the bytecode, which is returned as a slice of `bytes`.
fn decode_parts(bytes: &[u8]) -> Result<(CompiledModule, &[u8]), FormatError> {
    let mut r = R { bytes, pos: 0 };
    r.header()?;
    let mut m = CompiledModule {
        wasm_code_size: r.u32()?,
        ..CompiledModule::default()
    };

    let n = r.count(8, "type")?;
    m.types.reserve_exact(n);
    for _ in 0..n {
        let np = r.count(1, "parameter")?;
        let nr = r.count(1, "result")?;
        let mut params = Vec::with_capacity(np);
        for _ in 0..np {
            params.push(r.val_type()?);
        }
        let mut results = Vec::with_capacity(nr);
        for _ in 0..nr {
            results.push(r.val_type()?);
        }
        m.types.push(FuncType::new(params, results));
    }

    let n = r.count(10, "import")?;
    m.imports.reserve_exact(n);
    for _ in 0..n {
        let module = r.string()?;
        let name = r.string()?;
        let ty = match r.kind()? {
            ExternKind::Func => {
                m.num_imported_funcs += 1;
                ImportType::Func(r.u32()?)
            }
            ExternKind::Table => {
                m.num_imported_tables += 1;
                ImportType::Table(r.table_type()?)
            }
            ExternKind::Memory => {
                m.num_imported_memories += 1;
                ImportType::Memory(MemoryType {
                    limits: r.limits()?,
                })
            }
            ExternKind::Global => {
                m.num_imported_globals += 1;
                ImportType::Global(r.global_type()?)
            }
        };
        m.imports.push(Import { module, name, ty });
    }

    let n = r.count(4, "function")?;
    m.funcs.reserve_exact(n);
    for _ in 0..n {
        m.funcs.push(r.u32()?);
    }
    let n = r.count(6, "table")?;
    m.tables.reserve_exact(n);
    for _ in 0..n {
        m.tables.push(r.table_type()?);
    }
    let n = r.count(5, "memory")?;
    m.memories.reserve_exact(n);
    for _ in 0..n {
        m.memories.push(MemoryType {
            limits: r.limits()?,
        });
    }
    let n = r.count(2, "global")?;
    m.globals.reserve_exact(n);
    for _ in 0..n {
        m.globals.push(r.global_type()?);
    }
    let n = r.count(2, "global initialiser")?;
    m.global_inits.reserve_exact(n);
    for _ in 0..n {
        m.global_inits.push(r.const_expr()?);
    }
    let n = r.count(9, "export")?;
    m.exports.reserve_exact(n);
    for _ in 0..n {
        let name = r.string()?;
        let kind = r.kind()?;
        let index = r.u32()?;
        m.exports.push(Export { name, kind, index });
    }
    m.start = if r.bool()? { Some(r.u32()?) } else { None };

    let n = r.count(6, "element segment")?;
    m.elems.reserve_exact(n);
    for _ in 0..n {
        let mode = match r.u8()? {
            0 => ElemMode::Passive,
            1 => ElemMode::Active {
                table: r.u32()?,
                offset: r.const_expr()?,
            },
            2 => ElemMode::Declared,
            b => {
                r.pos -= 1;
                return r.err(format!("invalid element segment mode {b:#04x}"));
            }
        };
        let ty = r.ref_type()?;
        let k = r.count(2, "element")?;
        let mut items = Vec::with_capacity(k);
        for _ in 0..k {
            items.push(r.const_expr()?);
        }
        m.elems.push(ElemSegment {
            mode,
            ty,
            items: items.into_boxed_slice(),
        });
    }
    let n = r.count(5, "data segment")?;
    m.datas.reserve_exact(n);
    for _ in 0..n {
        let mode = match r.u8()? {
            0 => DataMode::Passive,
            1 => DataMode::Active {
                memory: r.u32()?,
                offset: r.const_expr()?,
            },
            b => {
                r.pos -= 1;
                return r.err(format!("invalid data segment mode {b:#04x}"));
            }
        };
        let bytes: Box<[u8]> = r.bytes()?.into();
        m.datas.push(DataSegment { mode, bytes });
    }
    let n = r.count(16, "function body")?;
    m.bodies.reserve_exact(n);
    for _ in 0..n {
        m.bodies.push(FuncBody {
            code_start: r.u32()?,
            code_len: r.u32()?,
            frame_size: r.u16()?,
            num_params: r.u16()?,
            num_locals: r.u16()?,
            num_results: r.u16()?,
        });
    }
    let code = r.bytes()?;
    if r.remaining() != 0 {
        return r.err("trailing bytes after the precompiled module");
    }
    Ok((m, code))
}
