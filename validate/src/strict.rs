//! Binary-format rules of WebAssembly 2.0 that wasmparser relaxes because later proposals
//! (memory64, multi-memory) widened the encoding:
//! - limits of memories and tables are `u32` LEB128 (at most 5 bytes), not `u64`;
//! - a memory access's static offset is a `u32` LEB128 (at most 5 bytes);
//! - the memory index of `memory.size/grow/fill/copy/init` is a single reserved `0x00` byte.
//!
//! These checks run on bytes wasmparser has already parsed and validated, so they only look for
//! the over-long encodings; anything unexpected is left to wasmparser.

use crate::CompileError;
use crate::convert::err;
use wasmparser::Operator;

const TOO_LONG: &str = "integer representation too long";
const ZERO_BYTE: &str = "zero byte expected";

/// A minimal reader over raw section bytes; `None` means "stop checking" (not an error).
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Offset of `bytes[0]` in the module.
    base: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// A `u32` LEB128; more than 5 bytes is an error.
    fn u32(&mut self) -> Result<Option<u32>, CompileError> {
        let start = self.pos;
        let mut value: u64 = 0;
        for i in 0..5 {
            let Some(b) = self.byte() else {
                return Ok(None);
            };
            value |= u64::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(u32::try_from(value).ok());
            }
        }
        Err(err(self.base + start, TOO_LONG))
    }

    fn skip_name(&mut self) -> Result<Option<()>, CompileError> {
        let Some(len) = self.u32()? else {
            return Ok(None);
        };
        match self.pos.checked_add(len as usize) {
            Some(end) if end <= self.bytes.len() => {
                self.pos = end;
                Ok(Some(()))
            }
            _ => Ok(None),
        }
    }

    fn limits(&mut self) -> Result<Option<()>, CompileError> {
        let Some(flags) = self.byte() else {
            return Ok(None);
        };
        if self.u32()?.is_none() {
            return Ok(None);
        }
        if flags & 1 != 0 && self.u32()?.is_none() {
            return Ok(None);
        }
        Ok(Some(()))
    }
}

/// Which section the bytes belong to.
#[derive(Clone, Copy)]
pub(crate) enum Section {
    Import,
    Table,
    Memory,
}

/// Checks that every limit in an import, table or memory section is a `u32` LEB128.
pub(crate) fn check_limits(
    section: Section,
    bytes: &[u8],
    base: usize,
) -> Result<(), CompileError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        base,
    };
    let Some(count) = r.u32()? else {
        return Ok(());
    };
    for _ in 0..count {
        let ok = match section {
            Section::Memory => r.limits()?,
            Section::Table => {
                // 0x40 introduces a table with an initialiser (function-references); skip.
                match r.byte() {
                    Some(0x40) | None => None,
                    Some(_) => r.limits()?,
                }
            }
            Section::Import => {
                if r.skip_name()?.is_none() || r.skip_name()?.is_none() {
                    return Ok(());
                }
                match r.byte() {
                    Some(0x00) => r.u32()?.map(|_| ()),
                    Some(0x01) => r.byte().and(r.limits()?),
                    Some(0x02) => r.limits()?,
                    Some(0x03) => r.byte().and(r.byte()).map(|_| ()),
                    _ => None,
                }
            }
        };
        if ok.is_none() {
            return Ok(());
        }
    }
    Ok(())
}

/// Which encoding rule an operator's bytes must follow beyond wasmparser's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpRule {
    /// Nothing to check.
    None,
    /// `memory.size`/`memory.grow`: the memory index is one `0x00` byte.
    ZeroByte,
    /// The last `n` bytes are single `0x00` reserved bytes (`memory.fill/init/copy`).
    Reserved(u8),
    /// A memory access: the offset takes at most 5 bytes.
    MemArg,
}

/// The rule for operator `op`.
pub(crate) fn op_rule(op: &Operator<'_>) -> OpRule {
    use Operator as O;
    match op {
        O::MemorySize { .. } | O::MemoryGrow { .. } => OpRule::ZeroByte,
        O::MemoryFill { .. } | O::MemoryInit { .. } => OpRule::Reserved(1),
        O::MemoryCopy { .. } => OpRule::Reserved(2),
        O::I32Load { .. }
        | O::I64Load { .. }
        | O::F32Load { .. }
        | O::F64Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. }
        | O::I32Store { .. }
        | O::I64Store { .. }
        | O::F32Store { .. }
        | O::F64Store { .. }
        | O::I32Store8 { .. }
        | O::I32Store16 { .. }
        | O::I64Store8 { .. }
        | O::I64Store16 { .. }
        | O::I64Store32 { .. } => OpRule::MemArg,
        _ => OpRule::None,
    }
}

/// Checks the bytes of one operator (opcode included) against its rule.
pub(crate) fn check_op(rule: OpRule, bytes: &[u8]) -> Result<(), &'static str> {
    match rule {
        OpRule::None => {}
        OpRule::ZeroByte if bytes.len() != 2 || bytes[1] != 0 => return Err(ZERO_BYTE),
        OpRule::ZeroByte => {}
        OpRule::Reserved(n) => reserved_tail(bytes, usize::from(n))?,
        OpRule::MemArg => {
            // opcode, align (LEB), offset (LEB): the offset must take at most 5 bytes.
            let mut i = 1;
            while bytes.get(i).is_some_and(|b| b & 0x80 != 0) {
                i += 1;
            }
            let offset_len = bytes.len().saturating_sub(i + 1);
            if offset_len > 5 {
                return Err(TOO_LONG);
            }
        }
    }
    Ok(())
}

/// The last `n` bytes must be `0x00` reserved bytes, each a single byte (the byte before them
/// ends the preceding LEB128).
fn reserved_tail(bytes: &[u8], n: usize) -> Result<(), &'static str> {
    let len = bytes.len();
    if len < n + 2 {
        return Err(ZERO_BYTE);
    }
    let tail = &bytes[len - n..];
    if tail.iter().any(|&b| b != 0) || bytes[len - n - 1] & 0x80 != 0 {
        return Err(ZERO_BYTE);
    }
    Ok(())
}
