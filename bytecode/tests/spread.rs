//! `spread`: the copy with a gap in front of every instruction keeps every instruction's
//! encoding, every branch still reaches the same instruction, and bad code is an error.

use ember_bytecode::spread::{Effect, spread};
use ember_bytecode::{
    Br, BrI32LtSImm, BrIfNez, BrTable, Const32, CopyMany, DecodeError, I32AddImm, Instr, Return,
    ReturnSlot,
};

/// A function with forward and backward branches of each form, a tail of slots and a tail of
/// branch offsets. Returns the code and each instruction's start.
fn sample() -> (Vec<u8>, Vec<usize>) {
    let sizes = [
        Const32::SIZE,
        I32AddImm::SIZE,
        BrIfNez::SIZE,
        BrI32LtSImm::SIZE,
        CopyMany::SIZE + 2 * 2,
        BrTable::SIZE + 3 * 4,
        Br::SIZE,
        ReturnSlot::SIZE,
        Return::SIZE,
    ];
    let mut starts = vec![0];
    for s in sizes {
        starts.push(starts.last().unwrap() + s);
    }
    let off = |from: usize, to: usize| (starts[to] as i64 - starts[from] as i64) as i32;
    let mut code = Vec::new();
    Const32 { dst: 0, value: 7 }.encode(&mut code);
    I32AddImm {
        dst: 0,
        lhs: 0,
        imm: -1,
    }
    .encode(&mut code);
    BrIfNez {
        cond: 0,
        offset: off(2, 7),
    }
    .encode(&mut code);
    BrI32LtSImm {
        lhs: 0,
        imm: 3,
        offset: off(3, 1),
    }
    .encode(&mut code);
    CopyMany { dst: 1, count: 2 }.encode(&mut code);
    code.extend_from_slice(&[0, 0, 5, 0]);
    BrTable { index: 0, count: 3 }.encode(&mut code);
    for to in [8, 0, 5] {
        code.extend_from_slice(&off(5, to).to_le_bytes());
    }
    Br { offset: off(6, 1) }.encode(&mut code);
    ReturnSlot { src: 0 }.encode(&mut code);
    Return {}.encode(&mut code);
    assert_eq!(code.len(), *starts.last().unwrap());
    starts.pop();
    (code, starts)
}

/// The branch targets of the instruction at `pc` (offsets from its first byte).
fn targets(code: &[u8], pc: usize) -> Vec<i64> {
    let (i, len) = Instr::decode(code, pc).unwrap();
    let read = |at: usize| i64::from(i32::from_le_bytes(code[at..at + 4].try_into().unwrap()));
    let mut t = Vec::new();
    if i.branch_at() != 0 {
        t.push(read(pc + i.branch_at()));
    }
    if i.tail_branches() {
        t.extend((pc + i.fixed_size()..pc + len).step_by(4).map(read));
    }
    t
}

#[test]
fn branches_reach_the_same_instructions() {
    let (code, starts) = sample();
    const GAP: usize = 3;
    let mut out = vec![0xEE; 5]; // appended after existing code
    let mut filled = Vec::new();
    let mut nexts = Vec::new();
    spread(&code, GAP, &mut out, clobbers, |gap, instr, _, next| {
        assert_eq!(gap, [0; GAP]);
        gap.copy_from_slice(&[0xAA, instr[0], 0xBB]);
        filled.push(instr.len());
        nexts.push(next.map(<[u8]>::to_vec));
    })
    .unwrap();
    assert_eq!(out[..5], [0xEE; 5]);
    assert_eq!(out.len(), 5 + code.len() + GAP * starts.len());
    // Where each instruction's opcode is now.
    let mut new_starts = Vec::new();
    let mut pc = 5;
    while pc < out.len() {
        assert_eq!(out[pc], 0xAA);
        assert_eq!(out[pc + 2], 0xBB);
        assert_eq!(out[pc + 1], out[pc + GAP], "the gap names its instruction");
        pc += GAP;
        new_starts.push(pc);
        pc += Instr::decode(&out, pc).unwrap().1;
    }
    assert_eq!(new_starts.len(), starts.len());
    let mut branches = 0;
    for (k, (&old, &new)) in starts.iter().zip(&new_starts).enumerate() {
        let (a, la) = Instr::decode(&code, old).unwrap();
        let (b, lb) = Instr::decode(&out, new).unwrap();
        assert_eq!((a.mnemonic(), la), (b.mnemonic(), lb), "instruction {k}");
        assert_eq!(filled[k], la);
        // `next` is the following instruction as stored.
        let following = starts.get(k + 1).map(|&s| {
            let (_, len) = Instr::decode(&code, s).unwrap();
            code[s..s + len].to_vec()
        });
        assert_eq!(nexts[k], following, "next of instruction {k}");
        let (ta, tb) = (targets(&code, old), targets(&out, new));
        assert_eq!(ta.len(), tb.len());
        for (x, y) in ta.iter().zip(&tb) {
            let to_old = starts.iter().position(|&s| s as i64 == old as i64 + x);
            let to_new = new_starts.iter().position(|&s| s as i64 == new as i64 + y);
            assert!(to_old.is_some());
            assert_eq!(to_old, to_new, "branch of instruction {k}");
            branches += 1;
        }
        if ta.is_empty() {
            // Everything else is copied unchanged.
            assert_eq!(code[old..old + la], out[new..new + lb]);
        }
    }
    assert_eq!(branches, 6);
}

#[test]
fn bad_code_is_an_error() {
    let (code, starts) = sample();
    let mut out = Vec::new();
    // Cut inside the last instruction but one.
    let cut = &code[..starts[7] + 1];
    assert_eq!(
        spread(cut, 8, &mut out, clobbers, |_, _, _, _| {}),
        Err(DecodeError::Truncated { pc: starts[7] })
    );
    // A branch into the middle of an instruction, and one out of the function.
    for offset in [1, 1000, -1] {
        let mut c = code.clone();
        let at = starts[6] + Instr::decode(&code, starts[6]).unwrap().0.branch_at();
        c[at..at + 4].copy_from_slice(&i32::to_le_bytes(offset));
        assert_eq!(
            spread(&c, 8, &mut Vec::new(), clobbers, |_, _, _, _| {}),
            Err(DecodeError::BadTarget { pc: starts[6] }),
            "offset {offset}"
        );
    }
    // No gap: a plain copy.
    let mut same = Vec::new();
    spread(&code, 0, &mut same, clobbers, |g, _, _, _| {
        assert!(g.is_empty())
    })
    .unwrap();
    assert_eq!(same, code);
}

/// An effect function that knows nothing.
fn clobbers(_: &[u8]) -> Effect {
    Effect::Clobbers
}

/// The effects of the instructions in these tests: constants and `add_imm` write their `dst`,
/// branches keep everything.
fn effect(instr: &[u8]) -> Effect {
    let (i, _) = Instr::decode(instr, 0).unwrap();
    match i {
        Instr::Const32(c) => Effect::Writes(c.dst),
        Instr::I32AddImm(a) => Effect::Writes(a.dst),
        _ if i.branch_at() != 0 || i.tail_branches() => Effect::Keeps,
        _ => Effect::Clobbers,
    }
}

/// What `spread` says the accumulator holds on entry to each instruction of `code`.
fn known(code: &[u8]) -> Vec<Option<u16>> {
    let mut seen = Vec::new();
    spread(code, 8, &mut Vec::new(), effect, |_, _, acc, _| {
        seen.push(acc)
    })
    .unwrap();
    seen
}

#[test]
fn the_accumulator_is_known_where_every_path_agrees() {
    // Branches lead to instructions 0, 1, 5, 7 and 8; only 2..=4 are reached from a write of
    // slot 0 alone (1 is also reached from the `br` after the `copy_many`, 7 by falling
    // through from that `br`).
    let (code, _) = sample();
    let want = [
        None,
        None,
        Some(0),
        Some(0),
        Some(0),
        None,
        None,
        None,
        None,
    ];
    assert_eq!(known(&code), want);
}

#[test]
fn loops_keep_what_both_edges_agree_on() {
    // `x = 0; loop { x += 1; if x < 10 continue }; return x`.
    let looped = |pre_dst: u16| {
        let mut code = Vec::new();
        Const32 {
            dst: pre_dst,
            value: 0,
        }
        .encode(&mut code);
        I32AddImm {
            dst: 1,
            lhs: 1,
            imm: 1,
        }
        .encode(&mut code);
        BrI32LtSImm {
            lhs: 1,
            imm: 10,
            offset: -(I32AddImm::SIZE as i32),
        }
        .encode(&mut code);
        ReturnSlot { src: 1 }.encode(&mut code);
        code
    };
    assert_eq!(known(&looped(1)), [None, Some(1), Some(1), Some(1)]);
    // Entering with another slot's value: the loop head knows nothing.
    assert_eq!(known(&looped(2)), [None, None, Some(1), Some(1)]);
}
