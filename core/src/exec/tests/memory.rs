//! Loads, stores, bounds at the exact edges, memory.grow, bulk memory.

use super::*;

/// A module with one page (max 2) and functions:
/// 0 load64(addr) 1 store64(addr, v) 2 load32 3 store32 4 load8_s 5 load16_u offset 2
/// 6 size 7 grow(delta) 8 fill(d, v, n) 9 copy(d, s, n) 10 init(d, s, n) 11 data.drop
/// 12 load8_u with offset 0xffff_ffff 13 load32_s 14 store8 15 store16 16 load16_s 17 load8_u
/// 18 store8_imm(addr) 0x1ff offset 1 19 store16_imm -2 20 store32_imm -3 21 store64_imm -4
fn mem_module(max: Option<u32>) -> Inst {
    let mut b = Builder::new();
    b.memory(1, max);
    b.data(b"hello");
    let l = b.ty(&[I32], &[I64]);
    let s = b.ty(&[I32, I64], &[]);
    let n = b.ty(&[], &[I32]);
    let g = b.ty(&[I32], &[I32]);
    let b3 = b.ty(&[I32, I32, I32], &[]);
    let e = b.ty(&[], &[]);
    macro_rules! load {
        ($Ty:ident, $off:expr) => {
            b.func(l, 0, 4, |a| {
                a.op(Instr::$Ty($Ty {
                    dst: 1,
                    addr: 0,
                    offset: $off,
                }))
                .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
            })
        };
    }
    macro_rules! store {
        ($Ty:ident) => {
            b.func(s, 0, 4, |a| {
                a.op(Instr::$Ty($Ty {
                    addr: 0,
                    value: 1,
                    offset: 0,
                }))
                .op(Instr::Return(Return {}));
            })
        };
    }
    load!(Load64, 0);
    store!(Store64);
    load!(Load32, 0);
    store!(Store32);
    load!(Load8S, 0);
    load!(Load16U, 2);
    b.func(n, 0, 2, |a| {
        a.op(Instr::MemorySize(MemorySize { dst: 0 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 0 }));
    });
    b.func(g, 0, 2, |a| {
        a.op(Instr::MemoryGrow(MemoryGrow { dst: 1, delta: 0 }))
            .op(Instr::ReturnSlot(ReturnSlot { src: 1 }));
    });
    b.func(b3, 0, 4, |a| {
        a.op(Instr::MemoryFill(MemoryFill {
            dst_addr: 0,
            value: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    b.func(b3, 0, 4, |a| {
        a.op(Instr::MemoryCopy(MemoryCopy {
            dst_addr: 0,
            src_addr: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    b.func(b3, 0, 4, |a| {
        a.op(Instr::MemoryInit(MemoryInit {
            segment: 0,
            dst_addr: 0,
            src_offset: 1,
            len: 2,
        }))
        .op(Instr::Return(Return {}));
    });
    b.func(e, 0, 1, |a| {
        a.op(Instr::DataDrop(DataDrop { segment: 0 }))
            .op(Instr::Return(Return {}));
    });
    load!(Load8U, 0xffff_ffff);
    load!(Load32S, 0);
    store!(Store8);
    store!(Store16);
    load!(Load16S, 0);
    load!(Load8U, 0);
    let a = b.ty(&[I32], &[]);
    macro_rules! store_imm {
        ($Ty:ident, $imm:expr, $off:expr) => {
            b.func(a, 0, 1, |f| {
                f.op(Instr::$Ty($Ty {
                    addr: 0,
                    imm: $imm,
                    offset: $off,
                }))
                .op(Instr::Return(Return {}));
            })
        };
    }
    store_imm!(Store8Imm, 0x1ff, 1);
    store_imm!(Store16Imm, -2, 0);
    store_imm!(Store32Imm, -3, 0);
    store_imm!(Store64Imm, -4, 0);
    b.build()
}

const PAGE: i32 = 65536;

#[test]
fn loads_and_stores() {
    let mut m = mem_module(Some(2));
    m.call(1, &[Val::I32(8), Val::I64(0x0102_0304_8586_8788)])
        .unwrap();
    assert_eq!(
        m.mem()[8..16],
        [0x88, 0x87, 0x86, 0x85, 0x04, 0x03, 0x02, 0x01]
    );
    assert_eq!(
        m.call(0, &[Val::I32(8)]).unwrap(),
        [Val::I64(0x0102_0304_8586_8788)]
    );
    assert_eq!(m.call(2, &[Val::I32(8)]).unwrap(), [Val::I64(0x8586_8788)]);
    assert_eq!(
        m.call(13, &[Val::I32(8)]).unwrap(),
        [Val::I64(0xffff_ffff_8586_8788u64 as i64)]
    );
    assert_eq!(m.call(4, &[Val::I32(8)]).unwrap(), [Val::I64(-0x78)]);
    assert_eq!(m.call(17, &[Val::I32(8)]).unwrap(), [Val::I64(0x88)]);
    assert_eq!(m.call(16, &[Val::I32(8)]).unwrap(), [Val::I64(-0x7878)]);
    // load16_u with offset 2 reads bytes 10..12.
    assert_eq!(m.call(5, &[Val::I32(8)]).unwrap(), [Val::I64(0x8586)]);
    m.call(14, &[Val::I32(0), Val::I64(0x1ff)]).unwrap();
    m.call(15, &[Val::I32(1), Val::I64(0x1_abcd)]).unwrap();
    assert_eq!(m.mem()[0..4], [0xff, 0xcd, 0xab, 0]);
    // Store32 writes only 4 bytes.
    m.call(3, &[Val::I32(20), Val::I64(-1)]).unwrap();
    assert_eq!(m.mem()[20..25], [0xff, 0xff, 0xff, 0xff, 0]);
}

#[test]
fn store_immediates_write_the_low_bytes_of_the_sign_extended_constant() {
    let mut m = mem_module(Some(2));
    m.mem_mut()[32..64].fill(0xaa);
    // store8_imm 0x1ff at 32 + offset 1: one byte.
    m.call(18, &[Val::I32(32)]).unwrap();
    assert_eq!(m.mem()[32..35], [0xaa, 0xff, 0xaa]);
    m.call(19, &[Val::I32(40)]).unwrap();
    assert_eq!(m.mem()[40..43], [0xfe, 0xff, 0xaa]);
    m.call(20, &[Val::I32(48)]).unwrap();
    assert_eq!(m.mem()[48..53], [0xfd, 0xff, 0xff, 0xff, 0xaa]);
    // store64_imm sign-extends: all eight bytes.
    m.call(21, &[Val::I32(56)]).unwrap();
    assert_eq!(
        m.mem()[56..64],
        [0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
    );
    // Bounds: the offset counts, and a trapping store writes nothing.
    let oob = TrapCode::MemoryOutOfBounds;
    assert!(m.call(18, &[Val::I32(PAGE - 2)]).is_ok());
    assert_eq!(m.trap(18, &[Val::I32(PAGE - 1)]), oob);
    assert_eq!(m.trap(19, &[Val::I32(PAGE - 1)]), oob);
    assert_eq!(m.trap(20, &[Val::I32(PAGE - 3)]), oob);
    assert_eq!(m.trap(21, &[Val::I32(PAGE - 7)]), oob);
    assert_eq!(m.trap(21, &[Val::I32(-1)]), oob);
    assert_eq!(m.mem()[PAGE as usize - 7..], [0, 0, 0, 0, 0, 0, 0xff]);
}

#[test]
fn bounds_at_the_exact_edges() {
    let mut m = mem_module(Some(2));
    let oob = TrapCode::MemoryOutOfBounds;
    m.mem_mut()[PAGE as usize - 1] = 0x7f;
    assert_eq!(
        m.call(0, &[Val::I32(PAGE - 8)]).unwrap(),
        [Val::I64(0x7f00_0000_0000_0000)]
    );
    assert_eq!(m.trap(0, &[Val::I32(PAGE - 7)]), oob);
    assert_eq!(
        m.call(2, &[Val::I32(PAGE - 4)]).unwrap(),
        [Val::I64(0x7f00_0000)]
    );
    assert_eq!(m.trap(2, &[Val::I32(PAGE - 3)]), oob);
    assert_eq!(m.call(4, &[Val::I32(PAGE - 1)]).unwrap(), [Val::I64(0x7f)]);
    assert_eq!(m.trap(4, &[Val::I32(PAGE)]), oob);
    assert_eq!(m.trap(4, &[Val::I32(-1)]), oob);
    // Offset 2: address PAGE-4 reads PAGE-2..PAGE (ok); PAGE-3 overruns.
    assert!(m.call(5, &[Val::I32(PAGE - 4)]).is_ok());
    assert_eq!(m.trap(5, &[Val::I32(PAGE - 3)]), oob);
    // Effective address overflow: 0xffff_ffff + 0xffff_ffff must not wrap to a small address.
    assert_eq!(m.trap(12, &[Val::I32(-1)]), oob);
    assert_eq!(m.trap(12, &[Val::I32(1)]), oob);
    assert_eq!(m.trap(1, &[Val::I32(PAGE - 7), Val::I64(1)]), oob);
    assert_eq!(m.trap(3, &[Val::I32(PAGE - 3), Val::I64(1)]), oob);
    assert_eq!(m.trap(14, &[Val::I32(PAGE), Val::I64(1)]), oob);
    // Trapping stores write nothing.
    assert_eq!(m.mem()[PAGE as usize - 3..], [0, 0, 0x7f]);
}

#[test]
fn memory_grow_limits() {
    let mut m = mem_module(Some(2));
    assert_eq!(m.call(6, &[]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.call(7, &[Val::I32(0)]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.call(7, &[Val::I32(2)]).unwrap(), [Val::I32(-1)]);
    assert_eq!(m.call(7, &[Val::I32(1)]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.call(6, &[]).unwrap(), [Val::I32(2)]);
    assert_eq!(m.mem().len(), 2 * PAGE as usize);
    assert_eq!(m.call(7, &[Val::I32(1)]).unwrap(), [Val::I32(-1)]);
    assert_eq!(m.call(7, &[Val::I32(-1)]).unwrap(), [Val::I32(-1)]);
    // New memory is zeroed and addressable.
    assert_eq!(m.call(0, &[Val::I32(2 * PAGE - 8)]).unwrap(), [Val::I64(0)]);

    let mut m = mem_module(None);
    // No maximum: at most 65536 pages in total.
    assert_eq!(m.call(7, &[Val::I32(65536)]).unwrap(), [Val::I32(-1)]);
    assert_eq!(m.call(7, &[Val::I32(-1)]).unwrap(), [Val::I32(-1)]);
    assert_eq!(m.call(7, &[Val::I32(3)]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.call(6, &[]).unwrap(), [Val::I32(4)]);
}

#[test]
fn bulk_memory() {
    let mut m = mem_module(Some(2));
    let oob = TrapCode::MemoryOutOfBounds;
    let v = |a: i32, b: i32, c: i32| [Val::I32(a), Val::I32(b), Val::I32(c)];
    // fill
    m.call(8, &v(10, 0x1ab, 3)).unwrap();
    assert_eq!(m.mem()[9..14], [0, 0xab, 0xab, 0xab, 0]);
    m.call(8, &v(PAGE, 1, 0)).unwrap();
    assert_eq!(m.trap(8, &v(PAGE + 1, 1, 0)), oob);
    assert_eq!(m.trap(8, &v(PAGE - 2, 1, 3)), oob);
    assert_eq!(m.mem()[PAGE as usize - 2..], [0, 0], "no partial write");
    // copy, overlapping both ways
    m.call(9, &v(11, 10, 4)).unwrap();
    assert_eq!(m.mem()[10..16], [0xab, 0xab, 0xab, 0xab, 0, 0]);
    m.mem_mut()[20..24].copy_from_slice(&[1, 2, 3, 4]);
    m.call(9, &v(21, 20, 3)).unwrap();
    assert_eq!(m.mem()[20..24], [1, 1, 2, 3]);
    m.call(9, &v(20, 21, 3)).unwrap();
    assert_eq!(m.mem()[20..24], [1, 2, 3, 3]);
    m.call(9, &v(PAGE, 0, 0)).unwrap();
    m.call(9, &v(0, PAGE, 0)).unwrap();
    assert_eq!(m.trap(9, &v(PAGE + 1, 0, 0)), oob);
    assert_eq!(m.trap(9, &v(0, PAGE - 1, 2)), oob);
    assert_eq!(m.trap(9, &v(0, 0, -1)), oob);
    // init from the passive segment "hello"
    m.call(10, &v(100, 1, 4)).unwrap();
    assert_eq!(&m.mem()[100..105], b"ello\0");
    m.call(10, &v(PAGE, 5, 0)).unwrap();
    assert_eq!(m.trap(10, &v(0, 6, 0)), oob);
    assert_eq!(m.trap(10, &v(0, 2, 4)), oob);
    assert_eq!(m.trap(10, &v(PAGE - 1, 0, 2)), oob);
    // after data.drop only empty inits at offset 0 succeed
    m.call(11, &[]).unwrap();
    m.call(10, &v(0, 0, 0)).unwrap();
    assert_eq!(m.trap(10, &v(0, 0, 1)), oob);
    assert_eq!(m.trap(10, &v(0, 1, 0)), oob);
}
