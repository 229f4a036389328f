//! Spreading a function's code apart: room in front of every instruction for data an executor
//! keeps in line with the code (a tail-call executor keeps each instruction's handler address
//! there, so that dispatch is one load and one jump). The stored form stays as it is; this
//! makes a copy in memory, with every branch offset adjusted to the new layout.

use crate::{DecodeError, Shape};
use alloc::vec::Vec;

/// Appends a copy of one function's code (`func`: whole instructions, branches inside it) to
/// `out`, with `gap` bytes in front of each instruction. `fill(gap_bytes, instruction, prev)`
/// writes each gap (the bytes are zero before); `prev` is the instruction right before it (as
/// stored in `func`) if the only way to reach this one is to fall through from that one (no
/// branch leads here), so an executor may hand a value from one to the other in a register. Branch offsets stay
/// relative to the first byte of their instruction (the opcode, not the gap), so an
/// instruction keeps its encoding.
///
/// Fails if `func` does not decode into whole instructions, or a branch leads outside it or
/// into the middle of an instruction (code the verifier accepts never does).
pub fn spread(
    func: &[u8],
    gap: usize,
    out: &mut Vec<u8>,
    mut fill: impl FnMut(&mut [u8], &[u8], Option<&[u8]>),
) -> Result<(), DecodeError> {
    // Each instruction's start and shape (one decode per instruction), and whether a branch
    // leads to it.
    let mut shapes: Vec<(u32, Shape, bool)> = Vec::new();
    let mut pc = 0;
    while pc < func.len() {
        let start = u32::try_from(pc).map_err(|_| DecodeError::Truncated { pc })?;
        let shape = Shape::of(func, pc)?;
        shapes.push((start, shape, false));
        pc += shape.len;
    }
    // The index of the instruction starting at old offset `p`.
    let index = |shapes: &[(u32, Shape, bool)], p: i64| -> Option<usize> {
        let p32 = u32::try_from(p).ok()?;
        shapes.binary_search_by_key(&p32, |&(s, _, _)| s).ok()
    };
    // Where the branch at `from` whose offset field is at `field` leads (old offsets).
    let target = |from: usize, field: usize| -> Result<i64, DecodeError> {
        let bad = DecodeError::BadTarget { pc: from };
        let off: [u8; 4] = func
            .get(from + field..from + field + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or(bad)?;
        Ok(from as i64 + i64::from(i32::from_le_bytes(off)))
    };
    for k in 0..shapes.len() {
        let (p, shape, _) = shapes[k];
        let p = p as usize;
        for_each_branch(func, p, shape, |field| {
            let to = target(p, field)?;
            let t = index(&shapes, to).ok_or(DecodeError::BadTarget { pc: p })?;
            shapes[t].2 = true;
            Ok(())
        })?;
    }
    // Where the instruction at old offset `p` starts in the copy (relative to the copy's start).
    let moved = |p: i64| -> Option<i64> { Some(p + (index(&shapes, p)? as i64 + 1) * gap as i64) };
    out.reserve(func.len() + shapes.len() * gap);
    let mut prev: Option<&[u8]> = None;
    for &(p, shape, targeted) in &shapes {
        let (p, len) = (p as usize, shape.len);
        let at = out.len();
        out.resize(at + gap, 0);
        out.extend_from_slice(&func[p..p + len]);
        let bad = DecodeError::BadTarget { pc: p };
        let copy = &mut out[at + gap..];
        for_each_branch(func, p, shape, |field| {
            let new = moved(target(p, field)?)
                .zip(moved(p as i64))
                .and_then(|(to, from)| i32::try_from(to - from).ok())
                .ok_or(bad)?;
            copy.get_mut(field..field + 4)
                .ok_or(bad)?
                .copy_from_slice(&new.to_le_bytes());
            Ok(())
        })?;
        let (g, instr) = out[at..].split_at_mut(gap);
        fill(g, instr, if targeted { None } else { prev });
        prev = Some(&func[p..p + len]);
    }
    Ok(())
}

/// Calls `f` with the position (bytes from the opcode) of each branch offset of the instruction
/// at `p` of shape `shape`.
fn for_each_branch(
    func: &[u8],
    p: usize,
    shape: Shape,
    mut f: impl FnMut(usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    if shape.branch_at != 0 {
        f(shape.branch_at)?;
    }
    if shape.tail_branches {
        // (Only `br_table`: decoding it again to find its tail costs little.)
        let mut pos = first_tail(func, p)?;
        while pos + 4 <= shape.len {
            f(pos)?;
            pos += 4;
        }
    }
    Ok(())
}

/// Where the tail of the instruction at `p` starts (bytes from its opcode).
fn first_tail(func: &[u8], p: usize) -> Result<usize, DecodeError> {
    Ok(crate::Instr::decode(func, p)?.0.fixed_size())
}
