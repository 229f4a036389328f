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
use crate::msg;
use crate::msg::hex_digits;
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use alloc::string::String;
use alloc::vec::Vec;

/// Why the bytes are not a module: a small value, made a message only on failure.
#[derive(Clone, Copy)]
enum Bad {
    End,
    Count(&'static str, usize),
    Utf8,
    Flag(u8),
    ValType(u8),
    NotRefType,
    ConstTag(u8),
    Kind(u8),
    ElemMode(u8),
    DataMode(u8),
    Trailing,
}

impl Bad {
    #[cold]
    #[inline(never)]
    fn error(self, offset: usize) -> FormatError {
        // One template per problem (a `\u{1}` for `what`, then one for the value, in decimal
        // or as a hexadecimal byte), and one call that fills it in.
        let (text, what, value, hex): (&str, &str, usize, bool) = match self {
            Bad::End => ("unexpected end of precompiled module", "", 0, false),
            Bad::Count(what, n) => (
                "\u{1} count \u{1} exceeds the rest of the precompiled module",
                what,
                n,
                false,
            ),
            Bad::Utf8 => ("name is not valid UTF-8", "", 0, false),
            Bad::Flag(b) => ("invalid flag byte \u{1}\u{1}", "", b.into(), true),
            Bad::ValType(b) => ("invalid value type \u{1}\u{1}", "", b.into(), true),
            Bad::NotRefType => ("expected a reference type", "", 0, false),
            Bad::ConstTag(b) => (
                "invalid \u{1} tag \u{1}",
                "constant expression",
                b.into(),
                true,
            ),
            Bad::Kind(b) => ("invalid \u{1} \u{1}", "external kind", b.into(), true),
            Bad::ElemMode(b) => (
                "invalid \u{1} mode \u{1}",
                "element segment",
                b.into(),
                true,
            ),
            Bad::DataMode(b) => ("invalid \u{1} mode \u{1}", "data segment", b.into(), true),
            Bad::Trailing => ("trailing bytes after the precompiled module", "", 0, false),
        };
        let byte = hex_digits(value as u64, 2);
        let value: &dyn msg::Piece = if hex { &byte } else { &value };
        FormatError {
            offset,
            message: msg::concat(text, &[&what, value]),
        }
    }
}

/// A reader that remembers the first problem instead of returning it from every read: after
/// it, reads give zeros and empty slices (and leave the position), so decoding runs to the end
/// without allocating more than the blob's size, and the problem is reported there. Call
/// sites need no error path of their own.
struct R<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// The first problem, and its offset.
    bad: Option<(usize, Bad)>,
}

impl<'a> R<'a> {
    /// An error at the current position (for the header, refused at once).
    fn err<T>(&self, message: impl Into<String>) -> Result<T, FormatError> {
        Err(FormatError {
            offset: self.pos,
            message: message.into(),
        })
    }
    /// Records `bad` at `at`, unless a problem was found before.
    #[inline(never)]
    fn fail(&mut self, at: usize, bad: Bad) {
        if self.bad.is_none() {
            self.bad = Some((at, bad));
        }
    }
    /// Records `bad` at the byte just read.
    fn fail_last(&mut self, bad: Bad) {
        self.fail(self.pos.saturating_sub(1), bad);
    }
    /// The next `n` bytes (empty after a problem).
    fn take(&mut self, n: usize) -> &'a [u8] {
        if self.bad.is_some() {
            return &[];
        }
        match self.pos.checked_add(n) {
            Some(end) if end <= self.bytes.len() => {
                let b = self.bytes.get(self.pos..end).unwrap_or_default();
                self.pos = end;
                b
            }
            _ => {
                self.fail(self.pos, Bad::End);
                &[]
            }
        }
    }
    fn array<const N: usize>(&mut self) -> [u8; N] {
        self.take(N).first_chunk().copied().unwrap_or([0; N])
    }
    fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.array())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.array())
    }
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }
    /// A count of items that take at least `min_size` bytes each; refused if the rest of the
    /// blob cannot hold that many (so a forged count cannot cause a huge allocation).
    fn count(&mut self, min_size: usize, what: &'static str) -> usize {
        let at = self.pos;
        let n = self.u32() as usize;
        if n.saturating_mul(min_size.max(1)) > self.remaining() {
            self.fail(at, Bad::Count(what, n));
            return 0;
        }
        n
    }
    fn bytes(&mut self) -> &'a [u8] {
        let n = self.count(1, "byte");
        self.take(n)
    }
    fn string(&mut self) -> String {
        let at = self.pos;
        let b = self.bytes();
        utf8(b).unwrap_or_else(|| {
            self.fail(at, Bad::Utf8);
            String::new()
        })
    }
    fn bool(&mut self) -> bool {
        match self.u8() {
            0 => false,
            1 => true,
            b => {
                self.fail_last(Bad::Flag(b));
                false
            }
        }
    }
    fn val_type(&mut self) -> ValType {
        match self.u8() {
            code::I32 => ValType::I32,
            code::I64 => ValType::I64,
            code::F32 => ValType::F32,
            code::F64 => ValType::F64,
            code::FUNCREF => ValType::FuncRef,
            code::EXTERNREF => ValType::ExternRef,
            b => {
                self.fail_last(Bad::ValType(b));
                ValType::I32
            }
        }
    }
    fn ref_type(&mut self) -> RefType {
        match self.val_type() {
            ValType::FuncRef => RefType::FuncRef,
            ValType::ExternRef => RefType::ExternRef,
            _ => {
                self.fail_last(Bad::NotRefType);
                RefType::FuncRef
            }
        }
    }
    fn limits(&mut self) -> Limits {
        let min = self.u32();
        let max = if self.bool() { Some(self.u32()) } else { None };
        Limits { min, max }
    }
    fn table_type(&mut self) -> TableType {
        let element = self.ref_type();
        let limits = self.limits();
        TableType { element, limits }
    }
    fn global_type(&mut self) -> GlobalType {
        let content = self.val_type();
        let mutable = self.bool();
        GlobalType { content, mutable }
    }
    fn const_expr(&mut self) -> ConstExpr {
        match self.u8() {
            0 => ConstExpr::I32(self.u32() as i32),
            1 => ConstExpr::I64(self.u64() as i64),
            2 => ConstExpr::F32(self.u32()),
            3 => ConstExpr::F64(self.u64()),
            4 => ConstExpr::RefNull(self.ref_type()),
            5 => ConstExpr::RefFunc(self.u32()),
            6 => ConstExpr::GlobalGet(self.u32()),
            b => {
                self.fail_last(Bad::ConstTag(b));
                ConstExpr::I32(0)
            }
        }
    }
    fn kind(&mut self) -> ExternKind {
        match self.u8() {
            0 => ExternKind::Func,
            1 => ExternKind::Table,
            2 => ExternKind::Memory,
            3 => ExternKind::Global,
            b => {
                self.fail_last(Bad::Kind(b));
                ExternKind::Func
            }
        }
    }
    /// The header: refused before anything else is read if it is not this build's.
    fn header(&mut self) -> Result<(), FormatError> {
        if self.bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
            return self.err("not a precompiled Ember module (bad magic number)");
        }
        self.pos = MAGIC.len();
        // Each field is refused as soon as it is read (a blob of another version may be
        // shorter).
        let version = self.u32();
        if version != FORMAT_VERSION && self.bad.is_none() {
            return Err(mismatch(0, version.into()));
        }
        let features = self.u32();
        if features != FEATURES && self.bad.is_none() {
            return Err(mismatch(1, features.into()));
        }
        let isa = self.u64();
        if isa != ISA_FINGERPRINT && self.bad.is_none() {
            return Err(mismatch(2, isa));
        }
        Ok(())
    }
}

/// Header field `field` (version, features, instruction set) is `have`, not this build's.
#[cold]
#[inline(never)]
fn mismatch(field: usize, have: u64) -> FormatError {
    // Where it is, what it is, this build's value, how to write them (decimal, or that many
    // hexadecimal digits), and a note on this build's value.
    let (at, what, want, digits, note) = match field {
        0 => (MAGIC.len(), "format version ", FORMAT_VERSION.into(), 0, ""),
        1 => (
            MAGIC.len() + 4,
            "features ",
            FEATURES.into(),
            1,
            " (WebAssembly 2.0 without SIMD)",
        ),
        _ => (MAGIC.len() + 8, "instruction set ", ISA_FINGERPRINT, 16, ""),
    };
    let (h, w) = (hex_digits(have, digits), hex_digits(want, digits));
    let (h, w): (&dyn msg::Piece, &dyn msg::Piece) = if digits == 0 {
        (&have, &want)
    } else {
        (&h, &w)
    };
    FormatError {
        offset: at,
        message: msg!(
            "precompiled module was compiled for ",
            what,
            h,
            ", this build has ",
            w,
            note,
            ": recompile it from the wasm"
        ),
    }
}

/// `b` as a `String` if it is UTF-8 as `str::from_utf8` defines it (no overlong forms, no
/// surrogates, nothing above U+10FFFF), decoded a character at a time: far less code than
/// `core`'s validator, and names are short.
pub(super) fn utf8(b: &[u8]) -> Option<String> {
    let mut s = String::with_capacity(b.len());
    let mut bytes = b.iter();
    while let Some(&lead) = bytes.next() {
        // The sequence's length and the lead byte's value bits.
        let (n, mask) = match lead {
            0x00..=0x7F => (1, 0x7F),
            0xC0..=0xDF => (2, 0x1F),
            0xE0..=0xEF => (3, 0x0F),
            0xF0..=0xF7 => (4, 0x07),
            _ => return None,
        };
        let mut c = u32::from(lead & mask);
        for _ in 1..n {
            let &b = bytes.next()?;
            if b & 0xC0 != 0x80 {
                return None;
            }
            c = c << 6 | u32::from(b & 0x3F);
        }
        // `from_u32` refuses surrogates and values above U+10FFFF; a shorter encoding of the
        // same character is an overlong form.
        let ch = char::from_u32(c).filter(|ch| ch.len_utf8() == n)?;
        s.push(ch);
    }
    Some(s)
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
    let mut r = R {
        bytes,
        pos: 0,
        bad: None,
    };
    r.header()?;
    let mut m = CompiledModule {
        wasm_code_size: r.u32(),
        ..CompiledModule::default()
    };

    let n = r.count(8, "type");
    m.types.reserve_exact(n);
    for _ in 0..n {
        let np = r.count(1, "parameter");
        let nr = r.count(1, "result");
        let params: Vec<ValType> = (0..np).map(|_| r.val_type()).collect();
        let results: Vec<ValType> = (0..nr).map(|_| r.val_type()).collect();
        m.types.push(FuncType::new(params, results));
    }

    let n = r.count(10, "import");
    m.imports.reserve_exact(n);
    for _ in 0..n {
        let module = r.string();
        let name = r.string();
        let ty = match r.kind() {
            ExternKind::Func => {
                m.num_imported_funcs += 1;
                ImportType::Func(r.u32())
            }
            ExternKind::Table => {
                m.num_imported_tables += 1;
                ImportType::Table(r.table_type())
            }
            ExternKind::Memory => {
                m.num_imported_memories += 1;
                ImportType::Memory(MemoryType { limits: r.limits() })
            }
            ExternKind::Global => {
                m.num_imported_globals += 1;
                ImportType::Global(r.global_type())
            }
        };
        m.imports.push(Import { module, name, ty });
    }

    let n = r.count(4, "function");
    m.funcs = (0..n).map(|_| r.u32()).collect();
    let n = r.count(6, "table");
    m.tables = (0..n).map(|_| r.table_type()).collect();
    let n = r.count(5, "memory");
    m.memories = (0..n).map(|_| MemoryType { limits: r.limits() }).collect();
    let n = r.count(2, "global");
    m.globals = (0..n).map(|_| r.global_type()).collect();
    let n = r.count(2, "global initialiser");
    m.global_inits = (0..n).map(|_| r.const_expr()).collect();
    let n = r.count(9, "export");
    m.exports = (0..n)
        .map(|_| {
            let name = r.string();
            let kind = r.kind();
            let index = r.u32();
            Export { name, kind, index }
        })
        .collect();
    m.start = if r.bool() { Some(r.u32()) } else { None };

    let n = r.count(6, "element segment");
    m.elems.reserve_exact(n);
    for _ in 0..n {
        let mode = match r.u8() {
            0 => ElemMode::Passive,
            1 => ElemMode::Active {
                table: r.u32(),
                offset: r.const_expr(),
            },
            2 => ElemMode::Declared,
            b => {
                r.fail_last(Bad::ElemMode(b));
                ElemMode::Passive
            }
        };
        let ty = r.ref_type();
        let k = r.count(2, "element");
        let items = (0..k).map(|_| r.const_expr()).collect();
        m.elems.push(ElemSegment { mode, ty, items });
    }
    let n = r.count(5, "data segment");
    m.datas.reserve_exact(n);
    for _ in 0..n {
        let mode = match r.u8() {
            0 => DataMode::Passive,
            1 => DataMode::Active {
                memory: r.u32(),
                offset: r.const_expr(),
            },
            b => {
                r.fail_last(Bad::DataMode(b));
                DataMode::Passive
            }
        };
        let bytes = r.bytes().into();
        m.datas.push(DataSegment { mode, bytes });
    }
    let n = r.count(16, "function body");
    m.bodies = (0..n)
        .map(|_| FuncBody {
            code_start: r.u32(),
            code_len: r.u32(),
            frame_size: r.u16(),
            num_params: r.u16(),
            zeroed_locals: r.u16(),
            num_results: r.u16(),
        })
        .collect();
    let code = r.bytes();
    if r.remaining() != 0 {
        r.fail(r.pos, Bad::Trailing);
    }
    match r.bad {
        None => Ok((m, code)),
        Some((offset, bad)) => Err(bad.error(offset)),
    }
}
