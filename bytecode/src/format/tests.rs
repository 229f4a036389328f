//! The format: round trips, refusal of other versions, feature sets and instruction sets, and
//! robustness against truncation and forged counts.

use super::*;
use crate::module::{
    ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind, FuncBody, Import,
    ImportType,
};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use crate::{Return, ReturnSlot};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// A module using every part of the format.
fn sample() -> CompiledModule {
    let mut code = Vec::new();
    ReturnSlot { src: 0 }.encode(&mut code);
    let second = code.len() as u32;
    Return {}.encode(&mut code);
    CompiledModule {
        types: vec![
            FuncType::new([ValType::I64, ValType::FuncRef], [ValType::I64]),
            FuncType::new([], []),
        ],
        imports: vec![
            Import {
                module: String::from("env"),
                name: String::from("f"),
                ty: ImportType::Func(1),
            },
            Import {
                module: String::from("env"),
                name: String::from("g"),
                ty: ImportType::Global(GlobalType {
                    content: ValType::F64,
                    mutable: false,
                }),
            },
            Import {
                module: String::from("env"),
                name: String::from("t"),
                ty: ImportType::Table(TableType {
                    element: RefType::ExternRef,
                    limits: Limits { min: 0, max: None },
                }),
            },
            Import {
                module: String::from("env"),
                name: String::from("m"),
                ty: ImportType::Memory(MemoryType {
                    limits: Limits {
                        min: 1,
                        max: Some(2),
                    },
                }),
            },
        ],
        funcs: vec![1, 0, 1],
        tables: vec![
            TableType {
                element: RefType::ExternRef,
                limits: Limits { min: 0, max: None },
            },
            TableType {
                element: RefType::FuncRef,
                limits: Limits {
                    min: 3,
                    max: Some(10),
                },
            },
        ],
        memories: vec![MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
        }],
        globals: vec![
            GlobalType {
                content: ValType::F64,
                mutable: false,
            },
            GlobalType {
                content: ValType::F64,
                mutable: true,
            },
            GlobalType {
                content: ValType::FuncRef,
                mutable: false,
            },
        ],
        global_inits: vec![ConstExpr::GlobalGet(0), ConstExpr::RefFunc(1)],
        exports: vec![Export {
            name: String::from("run"),
            kind: ExternKind::Func,
            index: 1,
        }],
        start: Some(2),
        elems: vec![
            ElemSegment {
                mode: ElemMode::Active {
                    table: 1,
                    offset: ConstExpr::I32(-1),
                },
                ty: RefType::FuncRef,
                items: Box::new([ConstExpr::RefFunc(0), ConstExpr::RefNull(RefType::FuncRef)]),
            },
            ElemSegment {
                mode: ElemMode::Passive,
                ty: RefType::ExternRef,
                items: Box::new([]),
            },
            ElemSegment {
                mode: ElemMode::Declared,
                ty: RefType::FuncRef,
                items: Box::new([ConstExpr::RefFunc(2)]),
            },
        ],
        datas: vec![
            DataSegment {
                mode: DataMode::Active {
                    memory: 0,
                    offset: ConstExpr::I32(8),
                },
                bytes: Box::new(*b"hello"),
            },
            DataSegment {
                mode: DataMode::Passive,
                bytes: Box::new([]),
            },
        ],
        num_imported_funcs: 1,
        num_imported_tables: 1,
        num_imported_memories: 1,
        num_imported_globals: 1,
        bodies: vec![
            FuncBody {
                code_start: 0,
                code_len: second,
                frame_size: 3,
                num_params: 2,
                zeroed_locals: 1,
                num_results: 1,
            },
            FuncBody {
                code_start: second,
                code_len: code.len() as u32 - second,
                frame_size: 0,
                num_params: 0,
                zeroed_locals: 0,
                num_results: 0,
            },
        ],
        code: code.into(),
        wasm_code_size: 1234,
    }
}

#[test]
fn round_trips() {
    let m = sample();
    let blob = serialize(&m);
    assert!(is_precompiled(&blob));
    assert_eq!(decode(&blob).unwrap(), m);
    assert_eq!(deserialize(&blob).unwrap(), m);
    // An empty module too.
    let empty = CompiledModule::default();
    assert_eq!(deserialize(&serialize(&empty)).unwrap(), empty);
}

fn format_error(blob: &[u8]) -> FormatError {
    match deserialize(blob) {
        Err(LoadError::Format(e)) => e,
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn refuses_other_versions_features_and_isas() {
    let blob = serialize(&sample());
    let mut b = blob.clone();
    b[0] = b'x';
    assert!(format_error(&b).message.contains("bad magic"));
    let mut b = blob.clone();
    b[8] = 2;
    let e = format_error(&b);
    assert!(e.message.contains("format version 2"), "{e}");
    assert!(e.message.contains("recompile"), "{e}");
    assert_eq!(e.offset, 8);
    let mut b = blob.clone();
    b[12] |= FEATURE_SIMD as u8;
    assert!(format_error(&b).message.contains("features 0x7"));
    let mut b = blob.clone();
    b[16] ^= 1;
    let e = format_error(&b);
    assert!(e.message.contains("instruction set"), "{e}");
    assert_eq!(e.offset, 16);
}

#[test]
fn isa_fingerprint_is_stable_within_a_build() {
    // Computed at compile time from the table; nonzero and the same as the header's.
    assert_ne!(ISA_FINGERPRINT, 0);
    let blob = serialize(&CompiledModule::default());
    assert_eq!(blob[16..24], ISA_FINGERPRINT.to_le_bytes());
    assert_eq!(ISA_TEXT.len(), crate::MNEMONICS.len() + 2);
}

#[test]
fn every_truncation_is_refused() {
    let blob = serialize(&sample());
    for n in 0..blob.len() {
        assert!(deserialize(&blob[..n]).is_err(), "truncated to {n} bytes");
    }
    let mut long = blob.clone();
    long.push(0);
    assert!(format_error(&long).message.contains("trailing bytes"));
}

#[test]
fn forged_counts_do_not_allocate() {
    // A type count of 2^32 - 1 right after the header and wasm_code_size.
    let mut blob = serialize(&CompiledModule::default());
    let at = HEADER_SIZE + 4;
    blob[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = format_error(&blob);
    assert!(e.message.contains("type count 4294967295 exceeds"), "{e}");
    assert_eq!(e.offset, at);
}

#[test]
fn invalid_utf8_names_are_refused() {
    let mut m = sample();
    m.exports[0].name = String::from("\u{e9}");
    let mut blob = serialize(&m);
    let pos = blob.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    blob[pos] = 0xFF;
    assert!(format_error(&blob).message.contains("UTF-8"));
}

/// The loader's UTF-8 decoder accepts exactly what `str::from_utf8` accepts.
#[test]
fn utf8_as_core_validates() {
    let check = |b: &[u8]| {
        let want = core::str::from_utf8(b).ok();
        assert_eq!(read::utf8(b).as_deref(), want, "{b:02x?}");
    };
    // Every one- and two-byte sequence; longer ones from the bytes at every boundary.
    for a in 0..=255u8 {
        check(&[a]);
        for b in 0..=255u8 {
            check(&[a, b]);
        }
    }
    let edges: &[u8] = &[
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED,
        0xEF, 0xF0, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF,
    ];
    for a in 0..=255u8 {
        for b in 0..=255u8 {
            for &c in edges {
                check(&[a, b, c]);
                for &d in edges {
                    check(&[a, b, c, d]);
                }
            }
        }
    }
    check("name ü € 𝄞 end".as_bytes());
}
