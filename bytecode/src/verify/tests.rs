//! The verifier on hand-built modules: a valid one passes, and each kind of corruption is
//! refused with a message naming it.

use super::verify_module;
use crate::module::{
    CompiledModule, ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind,
    FuncBody,
};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use crate::*;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

/// Appends one encoded instruction.
type Emit<'a> = &'a dyn Fn(&mut Vec<u8>);

/// Encodes instructions back to back.
fn code(instrs: &[Emit<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for i in instrs {
        i(&mut out);
    }
    out
}

/// A module with one function `(i32) -> i32` (frame of 4 slots) whose code is `c`, a memory,
/// a mutable and an immutable global, a funcref table and an element segment declaring it.
fn module(c: Vec<u8>) -> CompiledModule {
    CompiledModule {
        types: vec![
            FuncType::new([ValType::I32], [ValType::I32]),
            FuncType::new([], []),
        ],
        funcs: vec![0],
        tables: vec![TableType {
            element: RefType::FuncRef,
            limits: Limits { min: 1, max: None },
        }],
        memories: vec![MemoryType {
            limits: Limits { min: 1, max: None },
        }],
        globals: vec![
            GlobalType {
                content: ValType::I32,
                mutable: true,
            },
            GlobalType {
                content: ValType::I32,
                mutable: false,
            },
        ],
        global_inits: vec![ConstExpr::I32(0), ConstExpr::I32(1)],
        exports: vec![Export {
            name: String::from("f"),
            kind: ExternKind::Func,
            index: 0,
        }],
        elems: vec![ElemSegment {
            mode: ElemMode::Active {
                table: 0,
                offset: ConstExpr::I32(0),
            },
            ty: RefType::FuncRef,
            items: Box::new([ConstExpr::RefFunc(0)]),
        }],
        bodies: vec![FuncBody {
            code_start: 0,
            code_len: c.len() as u32,
            frame_size: 4,
            num_params: 1,
            zeroed_locals: 1,
            num_results: 1,
        }],
        code: c.into(),
        ..CompiledModule::default()
    }
}

/// Checks that verification fails with a message containing `needle`. Without the `mnemonics`
/// feature, messages name instructions by opcode: a leading `mnemonic: ` is then left out of
/// the needle.
fn rejects(m: &CompiledModule, needle: &str) {
    let needle = match needle.split_once(": ") {
        Some((mn, rest)) if !cfg!(feature = "mnemonics") && MNEMONICS.contains(&mn) => rest,
        _ => needle,
    };
    match verify_module(m) {
        Ok(()) => panic!("accepted a module that should fail with `{needle}`"),
        Err(e) => assert!(
            e.message.contains(needle),
            "expected `{needle}`, got `{}`",
            e.message
        ),
    }
}

fn valid_code() -> Vec<u8> {
    code(&[
        &|o| {
            I32AddImm {
                dst: 1,
                lhs: 0,
                imm: 1,
            }
            .encode(o)
        },
        &|o| {
            BrIfEqz {
                cond: 1,
                offset: (BrIfEqz::SIZE + Load32::SIZE + Call::SIZE + GlobalSet::SIZE) as i32,
            }
            .encode(o)
        },
        &|o| {
            Load32 {
                dst: 2,
                addr: 1,
                offset: 0,
            }
            .encode(o)
        },
        &|o| Call { func: 0, base: 3 }.encode(o),
        &|o| GlobalSet { index: 0, src: 3 }.encode(o),
        &|o| ReturnSlot { src: 2 }.encode(o),
    ])
}

#[test]
fn accepts_a_valid_module() {
    let m = module(valid_code());
    verify_module(&m).unwrap();
}

#[test]
fn rejects_bad_slots() {
    let m = module(code(&[
        &|o| {
            I32Add {
                dst: 4,
                lhs: 0,
                rhs: 0,
            }
            .encode(o)
        },
        &|o| ReturnSlot { src: 0 }.encode(o),
    ]));
    rejects(&m, "slot 4 outside the frame of 4 slots");
    // A slot in a tail.
    let m = module(code(&[
        &|o| {
            CopyMany { dst: 1, count: 2 }.encode(o);
            o.extend_from_slice(&0u16.to_le_bytes());
            o.extend_from_slice(&9u16.to_le_bytes());
        },
        &|o| ReturnSlot { src: 0 }.encode(o),
    ]));
    rejects(&m, "slot 9 outside");
    // Destinations of copy_many past the frame.
    let m = module(code(&[
        &|o| {
            CopyMany { dst: 3, count: 2 }.encode(o);
            o.extend_from_slice(&[0, 0, 0, 0]);
        },
        &|o| ReturnSlot { src: 0 }.encode(o),
    ]));
    rejects(&m, "copy_many at slot 3 needs 2 slots");
    // A call whose callee's frame start + max(params, results) exceeds the caller's frame.
    let m = module(code(&[&|o| Call { func: 0, base: 4 }.encode(o), &|o| {
        ReturnSlot { src: 0 }.encode(o)
    }]));
    rejects(&m, "call at slot 4 needs 1 slots");
}

#[test]
fn rejects_bad_branch_targets() {
    // Into the middle of the next instruction.
    let m = module(code(&[&|o| Br { offset: 5 + 1 }.encode(o), &|o| {
        ReturnSlot { src: 0 }.encode(o)
    }]));
    rejects(&m, "branch target 6 is not the start of an instruction");
    // Before the function.
    let m = module(code(&[
        &|o| {
            BrIfNez {
                cond: 0,
                offset: -1,
            }
            .encode(o)
        },
        &|o| ReturnSlot { src: 0 }.encode(o),
    ]));
    rejects(&m, "branch target -1");
    // Past the end, from a br_table tail.
    let m = module(code(&[
        &|o| {
            BrTable { index: 0, count: 2 }.encode(o);
            o.extend_from_slice(&15i32.to_le_bytes());
            o.extend_from_slice(&100i32.to_le_bytes());
        },
        &|o| ReturnSlot { src: 0 }.encode(o),
    ]));
    rejects(&m, "branch target 100");
}

#[test]
fn rejects_out_of_range_and_wrong_kind_indices() {
    let one = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut c = Vec::new();
        f(&mut c);
        ReturnSlot { src: 0 }.encode(&mut c);
        module(c)
    };
    rejects(
        &one(&|o| Call { func: 7, base: 1 }.encode(o)),
        "function index 7 out of range",
    );
    rejects(
        &one(&|o| GlobalGet { dst: 0, index: 2 }.encode(o)),
        "global index 2 out of range",
    );
    rejects(
        &one(&|o| GlobalSet { index: 1, src: 0 }.encode(o)),
        "global 1 is not mutable",
    );
    rejects(
        &one(&|o| {
            CallIndirect {
                ty: 5,
                table: 0,
                index: 0,
                base: 1,
            }
            .encode(o)
        }),
        "type index 5 out of range",
    );
    rejects(
        &one(&|o| TableSize { dst: 0, table: 1 }.encode(o)),
        "table index 1 out of range",
    );
    rejects(
        &one(&|o| DataDrop { segment: 0 }.encode(o)),
        "data segment 0 out of range",
    );
    rejects(
        &one(&|o| ElemDrop { segment: 1 }.encode(o)),
        "element segment 1 out of range",
    );
    rejects(&one(&|o| I32Const(o)), "invalid opcode");
    let mut m = one(&|o| {
        Load32 {
            dst: 0,
            addr: 0,
            offset: 0,
        }
        .encode(o)
    });
    m.memories.clear();
    rejects(&m, "no memory");
    let mut m = one(&|o| RefFunc { dst: 0, func: 0 }.encode(o));
    m.elems.clear();
    m.exports.clear();
    rejects(&m, "function 0 is not declared");
}

/// Writes a byte that is no opcode.
#[allow(non_snake_case)]
fn I32Const(o: &mut Vec<u8>) {
    o.push(0xFE);
}

#[test]
fn rejects_code_that_can_run_off_the_end() {
    let m = module(code(&[&|o| {
        I32Add {
            dst: 1,
            lhs: 0,
            rhs: 0,
        }
        .encode(o)
    }]));
    rejects(&m, "does not end with a branch, return or unreachable");
    // A conditional branch is not enough.
    let m = module(code(&[&|o| BrIfNez { cond: 0, offset: 0 }.encode(o)]));
    rejects(&m, "does not end with");
    // Truncated last instruction.
    let mut c = valid_code();
    c.pop();
    let m = module(c);
    rejects(&m, "truncated");
    // Empty body.
    rejects(&module(Vec::new()), "empty function code");
}

#[test]
fn rejects_wrong_return_arity() {
    let m = module(code(&[&|o| Return {}.encode(o)]));
    rejects(&m, "returns no value, function has 1 results");
    let m = module(code(&[&|o| {
        ReturnMany { count: 2 }.encode(o);
        o.extend_from_slice(&[0, 0, 1, 0]);
    }]));
    rejects(&m, "returns 2 values");
}

#[test]
fn rejects_module_level_inconsistencies() {
    let base = module(valid_code());

    let mut m = base.clone();
    m.bodies[0].frame_size = 1;
    rejects(&m, "cannot hold 2 parameters and locals");

    let mut m = base.clone();
    m.bodies[0].num_params = 0;
    rejects(&m, "parameter or result count differs");

    let mut m = base.clone();
    m.bodies[0].code_len += 1;
    rejects(&m, "outside the code");

    let mut m = base.clone();
    m.exports.push(m.exports[0].clone());
    rejects(&m, "duplicate export name `f`");

    let mut m = base.clone();
    m.exports[0].index = 3;
    rejects(&m, "out of range");

    let mut m = base.clone();
    m.start = Some(0);
    rejects(&m, "start function must have type [] -> []");

    let mut m = base.clone();
    m.global_inits[0] = ConstExpr::I64(0);
    rejects(&m, "constant of type i64 where i32 is expected");

    let mut m = base.clone();
    m.global_inits[1] = ConstExpr::GlobalGet(0);
    rejects(&m, "global.get 0 of a mutable global");

    let mut m = base.clone();
    m.elems[0].ty = RefType::ExternRef;
    rejects(&m, "element segment 0");

    let mut m = base.clone();
    m.memories[0].limits.min = 70000;
    rejects(&m, "invalid limits");

    let mut m = base.clone();
    m.funcs[0] = 9;
    rejects(&m, "type 9 out of range");

    let mut m = base;
    m.num_imported_funcs = 1;
    rejects(&m, "imported item counts");
}

#[test]
fn rejects_overlapping_bodies() {
    let mut m = module(valid_code());
    m.funcs.push(0);
    m.bodies.push(m.bodies[0]);
    rejects(&m, "overlaps the previous function");
}

/// `m` with a passive data segment, so that every index 0 names something.
fn with_data(mut m: CompiledModule) -> CompiledModule {
    m.datas.push(DataSegment {
        mode: DataMode::Passive,
        bytes: Box::new([1, 2, 3]),
    });
    m
}

/// Bytes of `unreachable` after the instruction under test: with them, the instruction is
/// checked by the fast path (a whole window of code follows it); without, by the path for the
/// last bytes of the code.
const FAST_PATH_PADDING: usize = 24;

macro_rules! every_instruction {
    (
        primary { $( $(#[$pmeta:meta])* $PName:ident $psnake:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pcount:ident])? ; )* }
        ext { $( $(#[$emeta:meta])* $EName:ident $esnake:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ecount:ident])? ; )* }
    ) => {
        /// Every instruction with all operands 0 (so empty tails), then `unreachable`.
        fn every_instruction_zeroed() -> Vec<(&'static str, Vec<u8>)> {
            let mut out = Vec::new();
            $( {
                let mut c = Vec::new();
                $PName { $($pf: 0),* }.encode(&mut c);
                out.push(($pmn, c));
            } )*
            $( {
                let mut c = Vec::new();
                $EName { $($ef: 0),* }.encode(&mut c);
                out.push(($emn, c));
            } )*
            out
        }

        /// For every 2-byte operand of every instruction: its mnemonic, the operand's name,
        /// and the instruction with that operand 4 and the others 0.
        #[allow(unused_variables)] // `zero`, in instructions without operands
        fn every_two_byte_operand_set_to_4() -> Vec<(&'static str, &'static str, Vec<u8>)> {
            let mut out = Vec::new();
            $( {
                let zero = $PName { $($pf: 0),* };
                $( if core::mem::size_of_val(&zero.$pf) == 2 {
                    let mut i = zero;
                    i.$pf = 4;
                    let mut c = Vec::new();
                    i.encode(&mut c);
                    out.push(($pmn, stringify!($pf), c));
                } )*
            } )*
            $( {
                let zero = $EName { $($ef: 0),* };
                $( if core::mem::size_of_val(&zero.$ef) == 2 {
                    let mut i = zero;
                    i.$ef = 4;
                    let mut c = Vec::new();
                    i.encode(&mut c);
                    out.push(($emn, stringify!($ef), c));
                } )*
            } )*
            out
        }
    };
}
crate::for_each_op!(every_instruction);

/// How messages name the instruction `instr` with mnemonic `mn`: by its mnemonic, or without
/// the `mnemonics` feature by its opcode.
fn name(mn: &str, instr: &[u8]) -> String {
    match instr {
        _ if cfg!(feature = "mnemonics") => String::from(mn),
        [EXT_PREFIX, e, ..] => format!("opcode 0xff {e:#04x}"),
        [b, ..] => format!("opcode {b:#04x}"),
        [] => String::new(),
    }
}

/// `instr`, then `unreachable` (`padding` + 1 times).
fn then_unreachable(instr: &[u8], padding: usize) -> Vec<u8> {
    let mut c = instr.to_vec();
    for _ in 0..=padding {
        Unreachable {}.encode(&mut c);
    }
    c
}

/// Whether this build leaves the instruction `mn` out (the float accumulator's, without the
/// feature `float-superinstructions`): the verifier then refuses it as an unknown opcode.
fn left_out(mn: &str) -> bool {
    !cfg!(feature = "float-superinstructions") && crate::is_float_superinstruction(mn)
}

#[test]
fn every_instruction_with_zero_operands_verifies() {
    // Index 0 names a function, type, mutable global, funcref table, element segment (of
    // funcrefs, declaring function 0) and data segment; offset 0 branches to the instruction
    // itself; a call at base 0 fits. Only the returns' result counts differ from the
    // function's (one result).
    let all = every_instruction_zeroed();
    assert_eq!(all.len(), MNEMONICS.len());
    for padding in [0, FAST_PATH_PADDING] {
        for (mn, instr) in &all {
            let m = with_data(module(then_unreachable(instr, padding)));
            let r = verify_module(&m);
            match *mn {
                // A build without the float accumulator does not know these opcodes.
                _ if left_out(mn) => rejects(&m, "invalid opcode byte"),
                "return" => rejects(&m, "return: returns no value, function has 1 results"),
                "return_many" => rejects(&m, "return_many: returns no value"),
                _ => assert!(r.is_ok(), "{mn} (padding {padding}): {r:?}"),
            }
        }
    }
}

#[test]
fn every_slot_operand_is_checked() {
    // Every 2-byte operand is a slot, except a tail's length and a call's base; a slot 4 is
    // outside the frame of 4 slots.
    let cases = every_two_byte_operand_set_to_4();
    assert!(cases.len() > 300, "{} cases", cases.len());
    for padding in [0, FAST_PATH_PADDING] {
        for (mn, operand, instr) in &cases {
            let m = with_data(module(then_unreachable(instr, padding)));
            let r = verify_module(&m);
            match *operand {
                _ if left_out(mn) => rejects(&m, "invalid opcode byte"),
                // A tail of 4 slots 0, or of 4 branch offsets 0 (to the instruction itself).
                "count" if *mn == "return_many" => {
                    let mut c = instr.clone();
                    c.extend_from_slice(&[0; 8]);
                    let m = with_data(module(then_unreachable(&c, padding)));
                    rejects(&m, "return_many: returns 4 values");
                }
                // The tail would be the next bytes: missing at the end of the code (with
                // padding, it is 0s: slots 0, or branches to the instruction itself).
                "count" if padding == 0 => rejects(&m, "bytecode truncated in instruction at 0"),
                "count" => assert!(r.is_ok(), "{mn}: {r:?}"),
                // A call at base 4 of a function taking and returning one value.
                "base" => rejects(&m, &format!("{mn}: call at slot 4 needs 1 slots")),
                _ => {
                    let e = r.expect_err(mn);
                    assert_eq!(
                        e.message,
                        format!("{}: slot 4 outside the frame of 4 slots", name(mn, instr)),
                        "operand `{operand}` (padding {padding})"
                    );
                    assert_eq!((e.func, e.offset), (Some(0), 0));
                }
            }
        }
    }
}

#[test]
fn instruction_rules() {
    let one = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut c = Vec::new();
        f(&mut c);
        ReturnSlot { src: 0 }.encode(&mut c);
        let mut m = with_data(module(c));
        // Table 1 holds externrefs; element segment 1 is of externrefs; type 1 is [] -> [].
        m.tables.push(TableType {
            element: RefType::ExternRef,
            limits: Limits { min: 1, max: None },
        });
        m.elems.push(ElemSegment {
            mode: ElemMode::Passive,
            ty: RefType::ExternRef,
            items: Box::new([]),
        });
        m
    };
    let ci = |table, base| {
        move |o: &mut Vec<u8>| {
            CallIndirect {
                ty: 0,
                table,
                index: 0,
                base,
            }
            .encode(o)
        }
    };
    rejects(
        &one(&ci(1, 0)),
        "call_indirect: table 1 is not a funcref table",
    );
    rejects(&one(&ci(2, 0)), "call_indirect: table index 2 out of range");
    rejects(
        &one(&ci(0, 4)),
        "call_indirect: call at slot 4 needs 1 slots, frame has 4",
    );
    verify_module(&one(&ci(0, 3))).unwrap();
    let m = one(&|o| {
        CallIndirect {
            ty: 1,
            table: 0,
            index: 0,
            base: 4,
        }
        .encode(o)
    });
    // A callee taking and returning nothing may have its frame start at the frame's end.
    verify_module(&m).unwrap();
    let mut c = Vec::new();
    Call { func: 1, base: 4 }.encode(&mut c);
    ReturnSlot { src: 0 }.encode(&mut c);
    let first_len = c.len() as u32;
    Return {}.encode(&mut c);
    let mut m = module(c);
    m.funcs.push(1);
    m.bodies[0].code_len = first_len;
    m.bodies.push(FuncBody {
        code_start: first_len,
        code_len: 1,
        frame_size: 0,
        num_params: 0,
        zeroed_locals: 0,
        num_results: 0,
    });
    verify_module(&m).unwrap();
    m.code = {
        let mut c = m.code.to_vec();
        c[1..5].copy_from_slice(&0u32.to_le_bytes());
        c.into()
    };
    rejects(&m, "call: call at slot 4 needs 1 slots, frame has 4");

    let table_init = |table, segment| {
        move |o: &mut Vec<u8>| {
            TableInit {
                table,
                segment,
                dst_index: 0,
                src_offset: 0,
                len: 0,
            }
            .encode(o)
        }
    };
    verify_module(&one(&table_init(0, 0))).unwrap();
    verify_module(&one(&table_init(1, 1))).unwrap();
    rejects(
        &one(&table_init(1, 0)),
        "table.init: element segment and table types differ",
    );
    rejects(
        &one(&table_init(0, 2)),
        "table.init: element segment 2 out of range",
    );
    let table_copy = |dst_table, src_table| {
        move |o: &mut Vec<u8>| {
            TableCopy {
                dst_table,
                src_table,
                dst_index: 0,
                src_index: 0,
                len: 0,
            }
            .encode(o)
        }
    };
    verify_module(&one(&table_copy(1, 1))).unwrap();
    rejects(
        &one(&table_copy(0, 1)),
        "table.copy: table element types differ",
    );
    rejects(
        &one(&table_copy(1, 5)),
        "table.copy: table index 5 out of range",
    );
    let memory_init = |segment| {
        move |o: &mut Vec<u8>| {
            MemoryInit {
                segment,
                dst_addr: 0,
                src_offset: 0,
                len: 0,
            }
            .encode(o)
        }
    };
    verify_module(&one(&memory_init(0))).unwrap();
    rejects(
        &one(&memory_init(1)),
        "memory.init: data segment 1 out of range",
    );
    rejects(
        &one(&|o| ElemDrop { segment: 2 }.encode(o)),
        "elem.drop: element segment 2 out of range",
    );
    rejects(
        &one(&|o| RefFunc { dst: 0, func: 9 }.encode(o)),
        "ref.func: function index 9 out of range",
    );
    rejects(
        &one(&|o| GlobalSet { index: 5, src: 0 }.encode(o)),
        "global.set: global index 5 out of range",
    );
    rejects(
        &one(&|o| GlobalSet { index: 1, src: 0 }.encode(o)),
        "global.set: global 1 is not mutable",
    );
    let mut m = one(&|o| {
        MemoryFill {
            dst_addr: 0,
            value: 0,
            len: 0,
        }
        .encode(o)
    });
    m.memories.clear();
    m.datas.clear();
    rejects(&m, "memory.fill: the module has no memory");
}

#[test]
fn rejects_returns_of_the_wrong_arity_for_no_results() {
    // A function `(i32) -> []`.
    let no_results = |instr: &dyn Fn(&mut Vec<u8>)| {
        let mut c = Vec::new();
        instr(&mut c);
        let mut m = module(c);
        m.types[0] = FuncType::new([ValType::I32], []);
        m.bodies[0].num_results = 0;
        m
    };
    verify_module(&no_results(&|o| Return {}.encode(o))).unwrap();
    rejects(
        &no_results(&|o| ReturnSlot { src: 0 }.encode(o)),
        "return_slot: returns one value, function has 0 results",
    );
    rejects(
        &no_results(&|o| ReturnImm32 { value: 7 }.encode(o)),
        "return_imm32: returns one value",
    );
    rejects(
        &no_results(&|o| ReturnImm64 { value: 7 }.encode(o)),
        "return_imm64: returns one value",
    );
    rejects(
        &no_results(&|o| {
            ReturnMany { count: 1 }.encode(o);
            o.extend_from_slice(&0u16.to_le_bytes());
        }),
        "return_many: returns one value, function has 0 results",
    );
    verify_module(&no_results(&|o| ReturnMany { count: 0 }.encode(o))).unwrap();
}

#[test]
fn rejects_bad_extended_opcodes_and_truncated_tails() {
    let m = module(vec![EXT_PREFIX, 0xF0]);
    rejects(&m, "invalid opcode byte 0xf0 at 0");
    let m = module(vec![EXT_PREFIX]);
    rejects(&m, "bytecode truncated in instruction at 0");
    // A br_table whose tail of 3 offsets has only 2, in the fast path and at the end.
    for padding in [0, FAST_PATH_PADDING] {
        let mut c = then_unreachable(&[], padding);
        c.pop();
        BrTable { index: 0, count: 3 }.encode(&mut c);
        c.extend_from_slice(&[0; 8]);
        let m = module(c);
        rejects(
            &m,
            &format!("bytecode truncated in instruction at {padding}"),
        );
    }
}

#[test]
fn reports_where() {
    // A bad slot after 30 bytes of good code: the function and the instruction's offset in
    // the module's code (here a second function, after the first's code).
    let mut first = valid_code();
    let second_start = first.len();
    let mut second = then_unreachable(&[], 29);
    I32Add {
        dst: 0,
        lhs: 0,
        rhs: 9,
    }
    .encode(&mut second);
    Unreachable {}.encode(&mut second);
    first.extend_from_slice(&second);
    let mut m = module(first);
    m.funcs.push(0);
    m.bodies[0].code_len = second_start as u32;
    m.bodies.push(FuncBody {
        code_start: second_start as u32,
        code_len: second.len() as u32,
        ..m.bodies[0]
    });
    let e = verify_module(&m).unwrap_err();
    assert_eq!(e.func, Some(1));
    assert_eq!(e.offset, second_start + 30);
    let name = if cfg!(feature = "mnemonics") {
        String::from("i32.add")
    } else {
        format!("opcode {:#04x}", op::I32Add)
    };
    assert_eq!(
        e.message,
        format!("{name}: slot 9 outside the frame of 4 slots")
    );
    assert_eq!(
        e.to_string(),
        format!(
            "precompiled module rejected: {name}: slot 9 outside the frame of 4 slots \
             (function 1, code offset {:#x})",
            second_start + 30
        )
    );
}

#[test]
#[cfg(feature = "mnemonics")]
fn mnemonics_for_messages_follow_the_table() {
    for (i, mn) in MNEMONICS.iter().enumerate() {
        assert_eq!(super::table::mnemonic(i), *mn);
    }
    assert_eq!(super::table::OP_COUNT, MNEMONICS.len());
}

#[test]
fn reports_the_first_repeated_export_name() {
    // Export lists over a small alphabet (a simple LCG picks the names): the error names the
    // first export, in order, whose name an earlier one has, as a scan in order would.
    let mut seed = 12345u32;
    for len in 0..40 {
        for _ in 0..20 {
            let names: Vec<String> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let k = (seed >> 16) % (len as u32 / 2 + 2);
                    format!("n{k}")
                })
                .collect();
            let mut m = module(valid_code());
            m.exports = names
                .iter()
                .map(|name| Export {
                    name: name.clone(),
                    kind: ExternKind::Func,
                    index: 0,
                })
                .collect();
            let expected = (0..names.len()).find(|&i| names[..i].contains(&names[i]));
            match (expected, verify_module(&m)) {
                (None, r) => assert!(r.is_ok(), "{names:?}: {r:?}"),
                (Some(i), Err(e)) => assert_eq!(
                    e.message,
                    format!("duplicate export name `{}`", names[i]),
                    "{names:?}"
                ),
                (Some(_), Ok(())) => panic!("{names:?}: duplicates accepted"),
            }
        }
    }
}
