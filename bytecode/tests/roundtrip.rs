//! Every instruction in the table encodes, decodes back to itself, disassembles, and rejects
//! every truncation of itself.

use ember_bytecode::{
    BrOffset, DecodeError, EXT_COUNT, EXT_PREFIX, Instr, MNEMONICS, Operand, PRIMARY_COUNT, Slot,
};

/// Distinct small operand values so a swapped field would be caught.
trait Sample: Operand {
    fn sample(n: &mut u64) -> Self;
}
macro_rules! sample {
    ($($t:ty),*) => {$(
        impl Sample for $t {
            fn sample(n: &mut u64) -> Self {
                *n += 1;
                *n as $t
            }
        }
    )*};
}
sample!(u8, u16, u32, u64, i32);

/// One encoded sample of each instruction, with a tail of `count` entries where it has one.
macro_rules! samples {
    (
        primary { $( $(#[$pm:meta])* $P:ident $ps:ident $pmn:literal { $($pf:ident : $pt:ty),* } $([$ptail:ty; $pc:ident])? ; )* }
        ext { $( $(#[$em:meta])* $E:ident $es:ident $emn:literal { $($ef:ident : $et:ty),* } $([$etail:ty; $ec:ident])? ; )* }
    ) => {
        fn samples() -> Vec<(Instr, Vec<u8>)> {
            let mut out = Vec::new();
            $({
                #[allow(unused_mut, unused_variables)]
                let mut n = 0u64;
                let i = ember_bytecode::$P { $($pf: <$pt as Sample>::sample(&mut n)),* };
                let mut code = Vec::new();
                i.encode(&mut code);
                assert_eq!(code.len(), ember_bytecode::$P::SIZE, "{}", $pmn);
                code.resize(i.len(), 0xAB);
                out.push((Instr::$P(i), code));
            })*
            $({
                #[allow(unused_mut, unused_variables)]
                let mut n = 0u64;
                let i = ember_bytecode::$E { $($ef: <$et as Sample>::sample(&mut n)),* };
                let mut code = Vec::new();
                i.encode(&mut code);
                assert_eq!(code.len(), ember_bytecode::$E::SIZE, "{}", $emn);
                code.resize(i.len(), 0xAB);
                out.push((Instr::$E(i), code));
            })*
            out
        }
    };
}
ember_bytecode::for_each_op!(samples);

// The table uses these names; keep the imports honest.
const _: Option<(Slot, BrOffset)> = None;

#[test]
fn every_instruction_round_trips() {
    let all = samples();
    assert_eq!(all.len(), PRIMARY_COUNT + EXT_COUNT);
    for (instr, code) in &all {
        let (back, len) = Instr::decode(code, 0).unwrap();
        assert_eq!(&back, instr, "{}", instr.mnemonic());
        assert_eq!(len, code.len(), "{}", instr.mnemonic());
        // Re-encoding the decoded form gives the same fixed part.
        let mut again = Vec::new();
        back.encode(&mut again);
        assert_eq!(&again[..], &code[..again.len()], "{}", instr.mnemonic());
        let mut text = String::new();
        back.disassemble(code, 0, &mut text).unwrap();
        assert!(text.starts_with(instr.mnemonic()), "{text}");
    }
}

#[test]
fn every_truncation_is_an_error() {
    for (instr, code) in samples() {
        for cut in 0..code.len() {
            assert_eq!(
                Instr::decode(&code[..cut], 0),
                Err(DecodeError::Truncated { pc: 0 }),
                "{} cut at {cut}",
                instr.mnemonic()
            );
        }
    }
}

#[test]
fn instructions_decode_at_an_offset_in_a_stream() {
    let all = samples();
    let mut stream = Vec::new();
    let mut starts = Vec::new();
    for (_, code) in &all {
        starts.push(stream.len());
        stream.extend_from_slice(code);
    }
    let mut pc = 0;
    for (k, (instr, _)) in all.iter().enumerate() {
        assert_eq!(pc, starts[k]);
        let (back, len) = Instr::decode(&stream, pc).unwrap();
        assert_eq!(&back, instr);
        pc += len;
    }
    assert_eq!(pc, stream.len());
}

#[test]
fn unknown_opcodes_are_rejected() {
    for b in PRIMARY_COUNT as u8..EXT_PREFIX {
        assert_eq!(
            Instr::decode(&[b, 0, 0, 0, 0, 0, 0, 0], 0),
            Err(DecodeError::BadOpcode { pc: 0, byte: b })
        );
    }
    for b in EXT_COUNT as u8..=u8::MAX {
        assert_eq!(
            Instr::decode(&[EXT_PREFIX, b, 0, 0, 0, 0, 0, 0], 0),
            Err(DecodeError::BadOpcode { pc: 0, byte: b })
        );
    }
}

#[test]
fn mnemonics_are_unique() {
    let mut m: Vec<&str> = MNEMONICS.to_vec();
    m.sort_unstable();
    let n = m.len();
    m.dedup();
    assert_eq!(m.len(), n, "duplicate mnemonic in the table");
}

#[test]
fn encoding_is_little_endian_without_padding() {
    let mut code = Vec::new();
    ember_bytecode::I32AddImm {
        dst: 0x0102,
        lhs: 0x0304,
        imm: -2,
    }
    .encode(&mut code);
    assert_eq!(
        code,
        [
            ember_bytecode::op::I32AddImm,
            0x02,
            0x01,
            0x04,
            0x03,
            0xFE,
            0xFF,
            0xFF,
            0xFF
        ]
    );
}
