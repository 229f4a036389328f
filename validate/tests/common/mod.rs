//! Test helpers: disassembly and a structural self-check of translated modules.
#![allow(dead_code)]

use ember_bytecode::Instr;
use ember_bytecode::module::{CompiledModule, FuncBody};
use std::collections::BTreeSet;

/// Operand names that are frame slots (with per-mnemonic exceptions in `is_slot`).
const SLOT_FIELDS: &[&str] = &[
    "dst",
    "src",
    "lhs",
    "rhs",
    "cond",
    "if_true",
    "if_false",
    "index",
    "addr",
    "value",
    "delta",
    "init",
    "len",
    "start",
    "dst_addr",
    "src_addr",
    "src_offset",
    "dst_index",
    "src_index",
    "addend",
];

fn is_slot(mnemonic: &str, field: &str) -> bool {
    // Accumulator twins (`f64.mul_imm.acc_lhs.to_acc`) have their plain form's operands.
    let mnemonic = mnemonic
        .split(".to_acc")
        .next()
        .and_then(|m| m.split(".acc_").next())
        .unwrap_or(mnemonic);
    match field {
        // `global.get/set index` is a global index.
        "index" => !mnemonic.starts_with("global."),
        // Constants carry a value, not a slot (float `_imm` forms carry the constant's bits).
        "value" => {
            !mnemonic.starts_with("const")
                && !mnemonic.starts_with("return_imm")
                && !mnemonic.ends_with("_imm")
                && !mnemonic.ends_with("_imm_lhs")
                && !mnemonic.ends_with("_imm64")
        }
        f => SLOT_FIELDS.contains(&f),
    }
}

/// One decoded instruction: position, text, parsed `name=value` fields and tail values.
pub struct Line {
    pub pc: usize,
    pub len: usize,
    pub mnemonic: &'static str,
    pub text: String,
    pub fields: Vec<(String, i128)>,
    pub tail: Vec<i128>,
}

/// Decodes a function's code into lines (panics with a message if it does not decode).
pub fn decode_body(code: &[u8]) -> Result<Vec<Line>, String> {
    let mut out = Vec::new();
    let mut pc = 0;
    while pc < code.len() {
        let (instr, len) = Instr::decode(code, pc).map_err(|e| format!("decode: {e}"))?;
        let mut text = String::new();
        instr
            .disassemble(code, pc, &mut text)
            .map_err(|e| format!("disassemble: {e}"))?;
        let (head, tail_text) = match text.find(" [") {
            Some(i) => (&text[..i], Some(&text[i + 2..text.len() - 1])),
            None => (&text[..], None),
        };
        let mut fields = Vec::new();
        for part in head.split(' ').skip(1) {
            let (k, v) = part.split_once('=').ok_or("bad field")?;
            fields.push((k.to_string(), v.parse::<i128>().map_err(|e| e.to_string())?));
        }
        let tail = match tail_text {
            Some(t) if !t.is_empty() => t
                .split(", ")
                .map(|x| x.parse::<i128>().map_err(|e| e.to_string()))
                .collect::<Result<_, _>>()?,
            _ => Vec::new(),
        };
        out.push(Line {
            pc,
            len,
            mnemonic: instr.mnemonic(),
            text,
            fields,
            tail,
        });
        pc += len;
    }
    Ok(out)
}

/// The bytecode of defined function `i` (0 = first defined function).
pub fn body(m: &CompiledModule, i: usize) -> (&FuncBody, &[u8]) {
    let b = &m.bodies[i];
    (b, m.body_code(b).expect("body code in range"))
}

/// Disassembly of defined function `i`, one instruction per line.
pub fn disasm(m: &CompiledModule, i: usize) -> Vec<String> {
    let (_, code) = body(m, i);
    decode_body(code)
        .expect("decodes")
        .into_iter()
        .map(|l| l.text)
        .collect()
}

/// Structural self-check of every function: decodes end to end, every branch target is an
/// instruction boundary inside the function, every slot operand is below `frame_size`, and the
/// function has at least its parameters, locals and results in its frame.
pub fn check_module(m: &CompiledModule) -> Result<(), String> {
    let defined = m.funcs.len() - m.num_imported_funcs as usize;
    if m.bodies.len() != defined {
        return Err(format!(
            "{} bodies for {} defined functions",
            m.bodies.len(),
            defined
        ));
    }
    for (i, b) in m.bodies.iter().enumerate() {
        check_body(m, b).map_err(|e| format!("function {i}: {e}"))?;
    }
    Ok(())
}

fn check_body(m: &CompiledModule, b: &FuncBody) -> Result<(), String> {
    let code = m.body_code(b).ok_or("code out of range")?;
    let fs = i128::from(b.frame_size);
    if u32::from(b.num_params) + u32::from(b.zeroed_locals) > u32::from(b.frame_size)
        || b.num_results > b.frame_size
    {
        return Err("frame smaller than params + locals or results".into());
    }
    let lines = decode_body(code)?;
    let bounds: BTreeSet<usize> = lines.iter().map(|l| l.pc).collect();
    let last = lines.last().ok_or("empty body")?;
    if !matches!(
        last.mnemonic,
        "return"
            | "return_slot"
            | "return_imm32"
            | "return_imm64"
            | "return_many"
            | "br"
            | "unreachable"
            | "br_table"
    ) && !last.mnemonic.starts_with("br")
    {
        return Err(format!("falls off the end: {}", last.text));
    }
    for l in &lines {
        let is_branch = l.mnemonic.starts_with("br");
        let target_ok = |off: i128| {
            let t = l.pc as i128 + off;
            t >= 0 && bounds.contains(&(t as usize))
        };
        for (k, v) in &l.fields {
            if is_branch && k == "offset" {
                if !target_ok(*v) {
                    return Err(format!(
                        "branch target outside the function: {} at {}",
                        l.text, l.pc
                    ));
                }
            } else if is_slot(l.mnemonic, k) && *v >= fs {
                return Err(format!("slot {k}={v} >= frame_size {fs}: {}", l.text));
            }
        }
        match l.mnemonic {
            "br_table" => {
                for &off in &l.tail {
                    if !target_ok(off) {
                        return Err(format!("br_table target outside the function: {}", l.text));
                    }
                }
            }
            "copy_many" | "return_many" => {
                for &s in &l.tail {
                    if s >= fs {
                        return Err(format!("slot {s} >= frame_size {fs}: {}", l.text));
                    }
                }
            }
            "call" => {
                let func = l.fields[0].1 as u32;
                let base = l.fields[1].1;
                let ty = m.func_type(func).ok_or("call of unknown function")?;
                let need = base + ty.params().len().max(ty.results().len()) as i128;
                if need > fs {
                    return Err(format!("call frame {need} > frame_size {fs}: {}", l.text));
                }
            }
            "call_indirect" => {
                let ty = l.fields[0].1 as usize;
                let base = l.fields[3].1;
                let ty = m.types.get(ty).ok_or("call_indirect of unknown type")?;
                let need = base + ty.params().len().max(ty.results().len()) as i128;
                if need > fs {
                    return Err(format!("call frame {need} > frame_size {fs}: {}", l.text));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
