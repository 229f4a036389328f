//! Spreading a function's code apart: room in front of every instruction for data an executor
//! keeps in line with the code (a tail-call executor keeps each instruction's handler address
//! there, so that dispatch is one load and one jump). The stored form stays as it is; this
//! makes a copy in memory, with every branch offset adjusted to the new layout.

use crate::{DecodeError, Shape, Slot};
use alloc::vec::Vec;

/// What an instruction does to a value an executor keeps in a register between instructions
/// (the *accumulator*: the value last written to a slot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// It writes its result to this slot last, and the accumulator then holds that value.
    Writes(Slot),
    /// It changes neither the accumulator nor any slot.
    Keeps,
    /// Anything else: afterwards nothing is known.
    Clobbers,
}

/// What is known on entry to an instruction: nothing yet (`Unset`, only while the analysis
/// runs), that the accumulator holds slot `s`'s value (`Holds(s)`), or nothing (`Unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Unset,
    Holds(Slot),
    Unknown,
}

impl Known {
    fn meet(self, other: Known) -> Known {
        match (self, other) {
            (Known::Unset, k) | (k, Known::Unset) => k,
            (a, b) if a == b => a,
            _ => Known::Unknown,
        }
    }

    fn after(self, effect: Effect) -> Known {
        match effect {
            Effect::Writes(s) => Known::Holds(s),
            Effect::Keeps => self,
            Effect::Clobbers => Known::Unknown,
        }
    }
}

/// Appends a copy of one function's code (`func`: whole instructions, branches inside it) to
/// `out`, with `gap` bytes in front of each instruction. `fill(gap_bytes, instruction, acc,
/// next)` writes each gap (the bytes are zero before); `next` is the instruction after it (as
/// stored in `func`), if any. Branch offsets stay relative to the first byte
/// of their instruction (the opcode, not the gap), so an instruction keeps its encoding.
///
/// `acc` is the slot whose value the accumulator holds whenever execution reaches the
/// instruction, if there is one on every path to it, given `effect` of each instruction (as
/// stored in `func`). Execution enters the function with nothing known, and every instruction
/// may fall through to the next (which only makes the answer more cautious).
///
/// Fails if `func` does not decode into whole instructions, or a branch leads outside it or
/// into the middle of an instruction (code the verifier accepts never does).
pub fn spread(
    func: &[u8],
    gap: usize,
    out: &mut Vec<u8>,
    effect: impl Fn(&[u8]) -> Effect,
    mut fill: impl FnMut(&mut [u8], &[u8], Option<Slot>, Option<&[u8]>),
) -> Result<(), DecodeError> {
    // Each instruction's start, shape and effect (one decode per instruction).
    let mut shapes: Vec<(u32, Shape, Effect)> = Vec::new();
    let mut pc = 0;
    while pc < func.len() {
        let start = u32::try_from(pc).map_err(|_| DecodeError::Truncated { pc })?;
        let shape = Shape::of(func, pc)?;
        shapes.push((start, shape, effect(&func[pc..pc + shape.len])));
        pc += shape.len;
    }
    // The index of the instruction starting at old offset `p`.
    let index = |p: i64| -> Option<usize> {
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
    // Every branch as (target, source) instruction indices, by target.
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for (k, &(p, shape, _)) in shapes.iter().enumerate() {
        let p = p as usize;
        for_each_branch(func, p, shape, |field| {
            let t = index(target(p, field)?).ok_or(DecodeError::BadTarget { pc: p })?;
            edges.push((t as u32, k as u32));
            Ok(())
        })?;
    }
    edges.sort_unstable();
    // What is known on entry to each instruction: the meet over the instruction before and
    // every branch here, iterated until nothing changes (each entry only moves down from
    // `Unset` to `Holds` to `Unknown`, so this ends).
    let mut known = alloc::vec![Known::Unset; shapes.len()];
    loop {
        let mut changed = false;
        let mut e = 0;
        for k in 0..shapes.len() {
            let mut v = match k.checked_sub(1) {
                None => Known::Unknown,
                Some(j) => known[j].after(shapes[j].2),
            };
            while e < edges.len() && edges[e].0 < k as u32 {
                e += 1;
            }
            while e < edges.len() && edges[e].0 == k as u32 {
                let j = edges[e].1 as usize;
                v = v.meet(known[j].after(shapes[j].2));
                e += 1;
            }
            if v != known[k] {
                known[k] = v;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Where the instruction at old offset `p` starts in the copy (relative to the copy's start).
    let moved = |p: i64| -> Option<i64> { Some(p + (index(p)? as i64 + 1) * gap as i64) };
    out.reserve(func.len() + shapes.len() * gap);
    for (j, (&(p, shape, _), &k)) in shapes.iter().zip(&known).enumerate() {
        let (p, len) = (p as usize, shape.len);
        let next = shapes
            .get(j + 1)
            .map(|&(q, shape, _)| &func[q as usize..q as usize + shape.len]);
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
        fill(
            g,
            instr,
            if let Known::Holds(s) = k {
                Some(s)
            } else {
                None
            },
            next,
        );
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
