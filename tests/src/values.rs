//! Converting script arguments to [`Val`]s and matching results against expectations.

use ember::{ExternRef, Store, Val};
use std::collections::HashMap;
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};

/// Host `externref`s created for `ref.extern N` arguments, one per `N` (reused).
#[derive(Default)]
pub(crate) struct HostRefs {
    refs: HashMap<u32, ExternRef>,
}

impl HostRefs {
    /// The `externref` carrying `n`.
    pub(crate) fn get<T>(&mut self, store: &mut Store<T>, n: u32) -> ExternRef {
        *self
            .refs
            .entry(n)
            .or_insert_with(|| ExternRef::new(&mut *store, n))
    }
}

/// Converts a script argument to a value.
pub(crate) fn arg_to_val<T>(
    arg: &WastArg<'_>,
    store: &mut Store<T>,
    refs: &mut HostRefs,
) -> Result<Val, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model argument".to_string());
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::RefNull(heap) => match abstract_heap(heap) {
            Some(AbstractHeapType::Func) => Val::FuncRef(None),
            Some(AbstractHeapType::Extern) => Val::ExternRef(None),
            _ => return Err(format!("unsupported argument ref.null {heap:?}")),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(refs.get(store, *n))),
        WastArgCore::V128(_) => return Err("unsupported argument type v128".to_string()),
        WastArgCore::RefHost(_) => return Err("unsupported argument ref.host".to_string()),
    })
}

fn abstract_heap(heap: &HeapType<'_>) -> Option<AbstractHeapType> {
    match heap {
        HeapType::Abstract { shared: false, ty } => Some(*ty),
        _ => None,
    }
}

/// Checks `actual` against the expected results; `Err` describes the first mismatch.
pub(crate) fn match_results<T>(
    actual: &[Val],
    expected: &[WastRet<'_>],
    store: &Store<T>,
) -> Result<(), String> {
    if actual.len() != expected.len() {
        return Err(format!(
            "expected {} results, got {}: {}",
            expected.len(),
            actual.len(),
            show_vals(actual, store)
        ));
    }
    for (i, (val, want)) in actual.iter().zip(expected).enumerate() {
        let WastRet::Core(want) = want else {
            return Err("component-model result pattern".to_string());
        };
        match matches(val, want, store) {
            Ok(true) => {}
            Ok(false) => {
                return Err(format!(
                    "result {i}: expected {}, got {}",
                    show_pattern(want),
                    show_val(val, store)
                ));
            }
            Err(e) => return Err(format!("result {i}: {e}")),
        }
    }
    Ok(())
}

/// Whether `val` matches `want`; `Err` for patterns the runner cannot check.
fn matches<T>(val: &Val, want: &WastRetCore<'_>, store: &Store<T>) -> Result<bool, String> {
    Ok(match (want, val) {
        (WastRetCore::I32(w), Val::I32(v)) => w == v,
        (WastRetCore::I64(w), Val::I64(v)) => w == v,
        (WastRetCore::F32(w), Val::F32(bits)) => match w {
            NanPattern::Value(F32 { bits: wb }) => wb == bits,
            NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        },
        (WastRetCore::F64(w), Val::F64(bits)) => match w {
            NanPattern::Value(F64 { bits: wb }) => wb == bits,
            NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        },
        (WastRetCore::RefNull(heap), _) => match (heap.as_ref().map(abstract_heap), val) {
            (None, Val::FuncRef(None) | Val::ExternRef(None)) => true,
            (Some(Some(AbstractHeapType::Func)), Val::FuncRef(r)) => r.is_none(),
            (Some(Some(AbstractHeapType::Extern)), Val::ExternRef(r)) => r.is_none(),
            (Some(None), _) => return Err(format!("unsupported pattern ref.null {heap:?}")),
            _ => false,
        },
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(n), Val::ExternRef(r)) => match (n, r) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(n), Some(r)) => extern_payload(r, store) == Some(*n),
        },
        (WastRetCore::Either(options), _) => {
            for option in options {
                if matches(val, option, store)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::V128(_)
            | WastRetCore::RefHost(_)
            | WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => return Err(format!("unsupported result pattern {}", show_pattern(want))),
        _ => false,
    })
}

/// The `u32` a host `externref` carries, if it is one of the runner's.
fn extern_payload<T>(r: &ExternRef, store: &Store<T>) -> Option<u32> {
    r.data(store)?.downcast_ref::<u32>().copied()
}

/// A value as text, for failure messages.
pub(crate) fn show_val<T>(val: &Val, store: &Store<T>) -> String {
    match val {
        Val::I32(v) => format!("i32:{v}"),
        Val::I64(v) => format!("i64:{v}"),
        Val::F32(b) => format!("f32:{} ({b:#010x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64:{} ({b:#018x})", f64::from_bits(*b)),
        Val::FuncRef(None) => "ref.null func".to_string(),
        Val::FuncRef(Some(_)) => "ref.func".to_string(),
        Val::ExternRef(None) => "ref.null extern".to_string(),
        Val::ExternRef(Some(r)) => match extern_payload(r, store) {
            Some(n) => format!("ref.extern {n}"),
            None => "ref.extern (foreign)".to_string(),
        },
    }
}

/// Values as text, for failure messages.
pub(crate) fn show_vals<T>(vals: &[Val], store: &Store<T>) -> String {
    let shown: Vec<String> = vals.iter().map(|v| show_val(v, store)).collect();
    format!("[{}]", shown.join(", "))
}

/// An expected-result pattern as text.
fn show_pattern(want: &WastRetCore<'_>) -> String {
    match want {
        WastRetCore::I32(v) => format!("i32:{v}"),
        WastRetCore::I64(v) => format!("i64:{v}"),
        WastRetCore::F32(NanPattern::Value(v)) => {
            format!("f32:{} ({:#010x})", f32::from_bits(v.bits), v.bits)
        }
        WastRetCore::F64(NanPattern::Value(v)) => {
            format!("f64:{} ({:#018x})", f64::from_bits(v.bits), v.bits)
        }
        WastRetCore::F32(NanPattern::CanonicalNan) => "f32:nan:canonical".to_string(),
        WastRetCore::F32(NanPattern::ArithmeticNan) => "f32:nan:arithmetic".to_string(),
        WastRetCore::F64(NanPattern::CanonicalNan) => "f64:nan:canonical".to_string(),
        WastRetCore::F64(NanPattern::ArithmeticNan) => "f64:nan:arithmetic".to_string(),
        WastRetCore::RefNull(Some(h)) => match abstract_heap(h) {
            Some(AbstractHeapType::Func) => "ref.null func".to_string(),
            Some(AbstractHeapType::Extern) => "ref.null extern".to_string(),
            _ => format!("ref.null {h:?}"),
        },
        WastRetCore::RefNull(None) => "ref.null".to_string(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefExtern(None) => "ref.extern".to_string(),
        WastRetCore::RefFunc(_) => "ref.func".to_string(),
        WastRetCore::Either(options) => {
            let shown: Vec<String> = options.iter().map(show_pattern).collect();
            format!("either({})", shown.join(" | "))
        }
        other => format!("{other:?}"),
    }
}
