//! Module-level checks: everything outside function bodies.

use super::{VerifyError, module_error};
use crate::module::{
    CompiledModule, ConstExpr, DataMode, ElemMode, Export, ExternKind, ImportType,
};
use crate::msg;
use crate::types::{Limits, RefType, ValType};
use alloc::vec;
use alloc::vec::Vec;

/// The most pages a 32-bit memory can have.
const MAX_PAGES: u32 = 65536;

type Res<T> = Result<T, VerifyError>;

/// A module-level error: `text` with its `\u{1}`s replaced by `a`, `b`, `c` in order (one
/// call per error site, not a message built at each).
#[cold]
#[inline(never)]
fn fail(text: &'static str, a: usize, b: usize, c: usize) -> VerifyError {
    module_error(msg::concat(text, &[&a, &b, &c]))
}

/// Checks the limits of table or memory (`what`) `k`.
fn limits(l: Limits, max_allowed: u32, what: &str, k: usize) -> Res<()> {
    if l.min > max_allowed || l.max.is_some_and(|m| m < l.min || m > max_allowed) {
        return Err(module_error(msg!(what, " ", k, " has invalid limits ", l)));
    }
    Ok(())
}

/// Checks everything but the bodies' code; returns which functions are *declared* (may be
/// named by `ref.func` in code): those in element segments, global initialisers and exports.
pub(super) fn check(m: &CompiledModule) -> Res<Vec<bool>> {
    // Imports agree with the counts and with the leading entries of each index space.
    let (mut nf, mut nt, mut nm, mut ng) = (0u32, 0u32, 0u32, 0u32);
    for (k, imp) in m.imports.iter().enumerate() {
        let bad = || fail("import \u{1} does not match the module's items", k, 0, 0);
        match imp.ty {
            ImportType::Func(t) => {
                if m.funcs.get(nf as usize) != Some(&t) {
                    return Err(bad());
                }
                nf += 1;
            }
            ImportType::Table(t) => {
                if m.tables.get(nt as usize) != Some(&t) {
                    return Err(bad());
                }
                nt += 1;
            }
            ImportType::Memory(t) => {
                if m.memories.get(nm as usize) != Some(&t) {
                    return Err(bad());
                }
                nm += 1;
            }
            ImportType::Global(t) => {
                if m.globals.get(ng as usize) != Some(&t) {
                    return Err(bad());
                }
                ng += 1;
            }
        }
    }
    if (nf, nt, nm, ng)
        != (
            m.num_imported_funcs,
            m.num_imported_tables,
            m.num_imported_memories,
            m.num_imported_globals,
        )
    {
        return Err(module_error(
            "imported item counts do not match the imports",
        ));
    }

    // Index spaces.
    if m.funcs.len() > u32::MAX as usize
        || m.tables.len() > u32::MAX as usize
        || m.globals.len() > u32::MAX as usize
    {
        return Err(module_error("too many items"));
    }
    for (f, &t) in m.funcs.iter().enumerate() {
        if t as usize >= m.types.len() {
            return Err(fail(
                "function \u{1} has type \u{1} out of range",
                f,
                t as usize,
                0,
            ));
        }
    }
    if m.funcs.len() - nf as usize != m.bodies.len() {
        return Err(module_error(
            "the number of bodies differs from the number of defined functions",
        ));
    }
    for (k, t) in m.tables.iter().enumerate() {
        limits(t.limits, u32::MAX, "table", k)?;
    }
    if m.memories.len() > 1 {
        return Err(module_error("multiple memories are not enabled"));
    }
    for (k, t) in m.memories.iter().enumerate() {
        limits(t.limits, MAX_PAGES, "memory", k)?;
    }

    // Globals and their initialisers.
    let defined_globals = m.globals.len() - ng as usize;
    if defined_globals != m.global_inits.len() {
        return Err(module_error(
            "the number of global initialisers differs from the number of defined globals",
        ));
    }
    let mut declared = vec![false; m.funcs.len()];
    let defined = m.globals.get(ng as usize..).unwrap_or_default();
    for (k, (init, global)) in m.global_inits.iter().zip(defined).enumerate() {
        let g = ng as usize + k;
        let want = global.content;
        // A global initialiser may read globals defined before it.
        const_expr(
            m,
            init,
            want,
            g,
            &mut declared,
            ("initialiser of global ", g),
        )?;
    }

    // Exports: in range, unique names.
    for e in &m.exports {
        let i = e.index as usize;
        let ok = match e.kind {
            ExternKind::Func => {
                if let Some(d) = declared.get_mut(i) {
                    *d = true;
                }
                i < m.funcs.len()
            }
            ExternKind::Table => i < m.tables.len(),
            ExternKind::Memory => i < m.memories.len(),
            ExternKind::Global => i < m.globals.len(),
        };
        if !ok {
            return Err(module_error(msg!(
                "export `",
                e.name,
                "` refers to a ",
                e.kind,
                " index ",
                e.index,
                " out of range"
            )));
        }
    }
    if let Some(e) = first_repeated_name(m) {
        return Err(module_error(msg!("duplicate export name `", e.name, "`")));
    }

    // Start function: [] -> [].
    if let Some(s) = m.start {
        match m.func_type(s) {
            Some(t) if t.params().is_empty() && t.results().is_empty() => {}
            Some(_) => return Err(module_error("the start function must have type [] -> []")),
            None => return Err(module_error("start function index out of range")),
        }
    }

    // Element segments.
    for (k, seg) in m.elems.iter().enumerate() {
        let ty = ValType::from(seg.ty);
        for item in seg.items.iter() {
            const_expr(
                m,
                item,
                ty,
                m.globals.len(),
                &mut declared,
                ("element segment ", k),
            )?;
        }
        if let ElemMode::Active { table, offset } = seg.mode {
            match m.tables.get(table as usize) {
                Some(t) if t.element == seg.ty => {}
                Some(_) => {
                    return Err(fail(
                        "element segment \u{1} has a type different from table \u{1}",
                        k,
                        table as usize,
                        0,
                    ));
                }
                None => {
                    return Err(fail(
                        "element segment \u{1}: table \u{1} out of range",
                        k,
                        table as usize,
                        0,
                    ));
                }
            }
            const_expr(
                m,
                &offset,
                ValType::I32,
                m.globals.len(),
                &mut declared,
                ("offset of element segment ", k),
            )?;
        }
    }

    // Data segments.
    for (k, seg) in m.datas.iter().enumerate() {
        if u32::try_from(seg.bytes.len()).is_err() {
            return Err(fail("data segment \u{1} is too large", k, 0, 0));
        }
        if let DataMode::Active { memory, offset } = seg.mode {
            if memory as usize >= m.memories.len() {
                return Err(fail(
                    "data segment \u{1}: memory \u{1} out of range",
                    k,
                    memory as usize,
                    0,
                ));
            }
            const_expr(
                m,
                &offset,
                ValType::I32,
                m.globals.len(),
                &mut declared,
                ("offset of data segment ", k),
            )?;
        }
    }

    // Bodies: parameter/result counts must fit a frame; frames hold params and locals.
    for (k, b) in m.bodies.iter().enumerate() {
        let func = nf as usize + k;
        let Some(t) = m.func_type(func as u32) else {
            return Err(fail("function \u{1} has no type", func, 0, 0));
        };
        if t.params().len() != usize::from(b.num_params)
            || t.results().len() != usize::from(b.num_results)
        {
            return Err(VerifyError {
                func: Some(func as u32),
                offset: b.code_start as usize,
                message: msg!("parameter or result count differs from the type ", t),
            });
        }
        let locals = u32::from(b.num_params) + u32::from(b.zeroed_locals);
        if u32::from(b.frame_size) < locals || b.frame_size < b.num_results {
            return Err(VerifyError {
                func: Some(func as u32),
                offset: b.code_start as usize,
                ..fail(
                    "frame of \u{1} slots cannot hold \u{1} parameters and locals and \u{1} results",
                    b.frame_size.into(),
                    locals as usize,
                    b.num_results.into(),
                )
            });
        }
    }
    Ok(declared)
}

/// The first export (in order) whose name an earlier export has: sorts (name, position)
/// pairs, so O(n log n), with a heap sort (little code, no allocation beyond the pairs).
fn first_repeated_name(m: &CompiledModule) -> Option<&Export> {
    let mut v: Vec<(&str, usize)> = m
        .exports
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.as_str(), i))
        .collect();
    let n = v.len();
    let sift = |v: &mut [(&str, usize)], mut root: usize| {
        loop {
            let mut child = 2 * root + 1;
            if child >= v.len() {
                break;
            }
            if child + 1 < v.len() && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                break;
            }
            v.swap(root, child);
            root = child;
        }
    };
    for i in (0..n / 2).rev() {
        sift(&mut v, i);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(&mut v[..end], 0);
    }
    // In each run of equal names (positions ascending), the second position is where a scan
    // in order first sees the name again.
    let mut first = None;
    for k in 1..n {
        let repeated = v[k].0 == v[k - 1].0 && (k == 1 || v[k - 2].0 != v[k].0);
        if repeated && first.is_none_or(|f| v[k].1 < f) {
            first = Some(v[k].1);
        }
    }
    m.exports.get(first?)
}

/// Checks a constant expression has type `want`. `globals_visible` is how many globals it may
/// read (they must be immutable); `ref.func` marks the function declared. Errors name the
/// expression by `at`: a prefix and an index (`initialiser of global 3`).
fn const_expr(
    m: &CompiledModule,
    e: &ConstExpr,
    want: ValType,
    globals_visible: usize,
    declared: &mut [bool],
    at: (&'static str, usize),
) -> Res<()> {
    let (what, k) = at;
    let have = match *e {
        ConstExpr::I32(_) => ValType::I32,
        ConstExpr::I64(_) => ValType::I64,
        ConstExpr::F32(_) => ValType::F32,
        ConstExpr::F64(_) => ValType::F64,
        ConstExpr::RefNull(t) => ValType::from(t),
        ConstExpr::RefFunc(f) => {
            let d = declared
                .get_mut(f as usize)
                .ok_or_else(|| module_error(msg!(what, k, ": ref.func ", f, " out of range")))?;
            *d = true;
            ValType::from(RefType::FuncRef)
        }
        ConstExpr::GlobalGet(g) => {
            let gt = m
                .globals
                .get(g as usize)
                .filter(|_| (g as usize) < globals_visible)
                .ok_or_else(|| module_error(msg!(what, k, ": global.get ", g, " out of range")))?;
            if gt.mutable {
                return Err(module_error(msg!(
                    what,
                    k,
                    ": global.get ",
                    g,
                    " of a mutable global"
                )));
            }
            gt.content
        }
    };
    if have != want {
        return Err(module_error(msg!(
            what,
            k,
            ": constant of type ",
            have,
            " where ",
            want,
            " is expected"
        )));
    }
    Ok(())
}
