//! The verifier on hand-built modules: a valid one passes, and each kind of corruption is
//! refused with a message naming it.

use super::verify_module;
use crate::module::{
    CompiledModule, ConstExpr, ElemMode, ElemSegment, Export, ExternKind, FuncBody,
};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use crate::*;
use alloc::boxed::Box;
use alloc::string::String;
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
            num_locals: 1,
            num_results: 1,
        }],
        code: c.into(),
        ..CompiledModule::default()
    }
}

fn rejects(m: &CompiledModule, needle: &str) {
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
