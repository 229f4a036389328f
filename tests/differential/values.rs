//! Engine-neutral values, types and failures, and the rules for comparing them.

/// A value type, as both engines know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// i32.
    I32,
    /// i64.
    I64,
    /// f32.
    F32,
    /// f64.
    F64,
    /// funcref.
    FuncRef,
    /// externref.
    ExternRef,
}

/// What an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A function.
    Func,
    /// A global.
    Global,
    /// A memory.
    Memory,
    /// A table.
    Table,
}

/// A value; floats as bits, references as "non-null?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// i32.
    I32(i32),
    /// i64.
    I64(i64),
    /// f32 bits.
    F32(u32),
    /// f64 bits.
    F64(u64),
    /// funcref: `true` if non-null.
    FuncRef(bool),
    /// externref: `true` if non-null.
    ExternRef(bool),
}

impl Value {
    /// Equality with the NaN rule: any NaN equals any NaN of the same width.
    fn same(&self, other: &Value) -> bool {
        match (*self, *other) {
            (Value::F32(a), Value::F32(b)) => {
                a == b || (f32::from_bits(a).is_nan() && f32::from_bits(b).is_nan())
            }
            (Value::F64(a), Value::F64(b)) => {
                a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
            }
            (a, b) => a == b,
        }
    }
}

/// Whether two result lists agree (same length, pairwise [`Value::same`]).
pub fn same_values(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
}

/// A trap kind common to both engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trap {
    /// `unreachable`.
    Unreachable,
    /// Linear memory out of bounds.
    MemoryOutOfBounds,
    /// Table out of bounds, including `call_indirect` past the end of the table (wasmi does
    /// not tell the two apart).
    TableOutOfBounds,
    /// `call_indirect` through a null entry.
    UninitializedElement,
    /// `call_indirect` signature mismatch.
    BadSignature,
    /// Integer overflow (division, float-to-int).
    IntegerOverflow,
    /// Division or remainder by zero.
    IntegerDivisionByZero,
    /// Float-to-int of NaN.
    BadConversionToInteger,
    /// Call or value stack exhausted.
    StackOverflow,
}

/// Why creating an instance or calling a function did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The module did not validate / translate.
    Compile(String),
    /// A trap of a known kind.
    Trap(Trap),
    /// Any other error (message).
    Other(String),
}

impl Failure {
    /// Whether two failures count as the same outcome: equal trap kinds, or both failing
    /// where at least one engine does not say why.
    pub fn agrees_with(&self, other: &Failure) -> bool {
        match (self, other) {
            (Failure::Trap(a), Failure::Trap(b)) => a == b,
            (Failure::Compile(_), _) | (_, Failure::Compile(_)) => false,
            _ => true,
        }
    }
}
