//! Errors and traps.

use alloc::string::String;
use core::fmt;
use ember_bytecode::msg::Piece;

pub use ember_bytecode::CompileError;

/// The kind of a trap: one code per trap the WebAssembly spec defines, plus Ember's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable,
    /// A linear-memory access out of bounds (load, store, bulk memory, data segment).
    MemoryOutOfBounds,
    /// A table access out of bounds (`table.get/set/fill/copy/init`, element segment).
    TableOutOfBounds,
    /// `call_indirect` with an index outside the table.
    UndefinedElement,
    /// `call_indirect` through a null table entry.
    UninitializedElement,
    /// `call_indirect` to a function of the wrong type.
    BadSignature,
    /// Signed integer division overflow (`INT_MIN / -1`) or float-to-int out of range.
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero,
    /// Float-to-int conversion of NaN.
    BadConversionToInteger,
    /// The value stack or the call stack limit was exceeded.
    StackOverflow,
    /// A host function returned an error.
    HostError,
}

impl TrapCode {
    /// The message the WebAssembly spec test suite uses for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::HostError => "host error",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A trap: execution stopped. Carries a [`TrapCode`] and, for host traps, a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    code: TrapCode,
    message: Option<String>,
}

impl Trap {
    /// A trap with a spec code.
    pub fn new(code: TrapCode) -> Self {
        Trap {
            code,
            message: None,
        }
    }
    /// A trap raised by a host function, with a message.
    pub fn host(message: impl Into<String>) -> Self {
        Trap {
            code: TrapCode::HostError,
            message: Some(message.into()),
        }
    }
    /// The trap code.
    pub fn code(&self) -> TrapCode {
        self.code
    }
    /// The host message, if any.
    pub fn host_message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

/// As `Display` (for messages built without `core::fmt`).
impl Piece for Trap {
    fn add_to(&self, s: &mut String) {
        s.push_str(self.code.message());
        if let Some(m) = &self.message {
            s.push_str(": ");
            s.push_str(m);
        }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.code),
            None => write!(f, "{}", self.code),
        }
    }
}

/// Any error from Ember's API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The module is malformed or invalid (what, and where: function index, byte offset).
    Compile(CompileError),
    /// An import is missing or has the wrong type.
    Link(String),
    /// Execution trapped (in a call, a start function, or while initialising segments).
    Trap(Trap),
    /// An API call was given wrong arguments (count, types, values from another store, ...).
    Usage(String),
    /// A memory or table is larger than the engine's configured limit
    /// ([`Config::max_memory_pages`](crate::Config::max_memory_pages),
    /// [`Config::max_table_elements`](crate::Config::max_table_elements)) or could not be
    /// allocated.
    Limit(String),
}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(e)
    }
}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

impl From<TrapCode> for Error {
    fn from(t: TrapCode) -> Self {
        Error::Trap(Trap::new(t))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(e) => write!(f, "{e}"),
            Error::Link(m) => write!(f, "link error: {m}"),
            Error::Trap(t) => write!(f, "trap: {t}"),
            Error::Usage(m) => write!(f, "{m}"),
            Error::Limit(m) => write!(f, "resource limit: {m}"),
        }
    }
}

/// As `Display` (for messages built without `core::fmt`).
impl Piece for Error {
    fn add_to(&self, s: &mut String) {
        let (prefix, m) = match self {
            Error::Compile(e) => return e.add_to(s),
            Error::Trap(t) => {
                s.push_str("trap: ");
                return t.add_to(s);
            }
            Error::Link(m) => ("link error: ", m),
            Error::Usage(m) => ("", m),
            Error::Limit(m) => ("resource limit: ", m),
        };
        s.push_str(prefix);
        s.push_str(m);
    }
}

impl core::error::Error for Error {}

/// `Result` with Ember's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use ember_bytecode::msg;

    #[test]
    fn pieces_read_as_display() {
        let errors = [
            Error::Compile(CompileError {
                message: String::from("bad"),
                offset: 10,
                func_index: Some(2),
            }),
            Error::Link(String::from("l")),
            Error::Trap(Trap::new(TrapCode::Unreachable)),
            Error::Trap(Trap::host("h")),
            Error::Usage(String::from("u")),
            Error::Limit(String::from("m")),
        ];
        for e in errors {
            assert_eq!(msg!(e), e.to_string());
        }
    }
}
