//! Spreading a function's code apart: room in front of every instruction for data an executor
//! keeps in line with the code (a tail-call executor keeps each instruction's handler address
//! there, so that dispatch is one load and one jump). The stored form stays as it is; this
//! makes a copy in memory, with every branch offset adjusted to the new layout.

use crate::{DecodeError, Shape};
use alloc::vec::Vec;

/// Appends a copy of one function's code (`func`: whole instructions, branches inside it) to
/// `out`, with `gap` bytes in front of each instruction. `fill(gap_bytes, instruction)` writes
/// each gap (the bytes are zero before); branch offsets stay relative to the first byte of
/// their instruction (the opcode, not the gap), so an instruction keeps its encoding.
///
/// Fails if `func` does not decode into whole instructions, or a branch leads outside it or
/// into the middle of an instruction (code the verifier accepts never does).
pub fn spread(
    func: &[u8],
    gap: usize,
    out: &mut Vec<u8>,
    mut fill: impl FnMut(&mut [u8], &[u8]),
) -> Result<(), DecodeError> {
    // Each instruction's start and shape (one decode per instruction).
    let mut shapes: Vec<(u32, Shape)> = Vec::new();
    let mut pc = 0;
    while pc < func.len() {
        let start = u32::try_from(pc).map_err(|_| DecodeError::Truncated { pc })?;
        let shape = Shape::of(func, pc)?;
        shapes.push((start, shape));
        pc += shape.len;
    }
    // Where the instruction at old offset `p` starts in the copy (relative to the copy's start).
    let moved = |p: i64| -> Option<i64> {
        let p32 = u32::try_from(p).ok()?;
        let k = shapes.binary_search_by_key(&p32, |&(s, _)| s).ok()?;
        Some(p + (k as i64 + 1) * gap as i64)
    };
    // The adjusted offset of a branch at `from` by `offset`.
    let adjust = |from: usize, offset: [u8; 4]| -> Option<[u8; 4]> {
        let from = from as i64;
        let to = moved(from + i64::from(i32::from_le_bytes(offset)))?;
        let new = i32::try_from(to - moved(from)?).ok()?;
        Some(new.to_le_bytes())
    };
    out.reserve(func.len() + shapes.len() * gap);
    for &(p, shape) in &shapes {
        let (p, len) = (p as usize, shape.len);
        let at = out.len();
        out.resize(at + gap, 0);
        out.extend_from_slice(&func[p..p + len]);
        let bad = DecodeError::BadTarget { pc: p };
        let copy = &mut out[at + gap..];
        let mut patch = |pos: usize| -> Result<(), DecodeError> {
            let old: [u8; 4] = copy[pos..pos + 4].try_into().map_err(|_| bad)?;
            copy[pos..pos + 4].copy_from_slice(&adjust(p, old).ok_or(bad)?);
            Ok(())
        };
        if shape.branch_at != 0 {
            patch(shape.branch_at)?;
        }
        if shape.tail_branches {
            // (Only `br_table`: decoding it again to find its tail costs little.)
            let mut pos = first_tail(func, p)?;
            while pos + 4 <= len {
                patch(pos)?;
                pos += 4;
            }
        }
        let (g, instr) = out[at..].split_at_mut(gap);
        fill(g, instr);
    }
    Ok(())
}

/// Where the tail of the instruction at `p` starts (bytes from its opcode).
fn first_tail(func: &[u8], p: usize) -> Result<usize, DecodeError> {
    Ok(crate::Instr::decode(func, p)?.0.fixed_size())
}
