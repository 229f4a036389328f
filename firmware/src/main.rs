//! Ember on bare metal. Boots, runs `app.wat` (recursive fib, a memory-heavy sort and hash, a
//! host function, a trap that is caught), checks every result against what Ember computed on
//! the build machine, prints a report and exits with status 0 only if all matched.
//!
//! With feature `full` the firmware translates the embedded `.wasm` at boot; without it
//! (runtime-only) it runs the precompiled blob in place from flash with
//! `Module::deserialize_static`, and links no translator.
//!
//! It prints with `ember_hal::Console`'s methods rather than `write!`: `core::fmt`'s formatting
//! machinery would cost a few kilobytes of flash.
#![no_std]
#![no_main]

extern crate alloc;

#[cfg_attr(target_arch = "arm", path = "cortex_m.rs")]
#[cfg_attr(target_arch = "riscv32", path = "riscv.rs")]
mod board;

use ember::{Config, Engine, Error, Linker, Module, Store, Trap, TrapCode};
use ember_hal::heap::Heap;
use ember_hal::{Clock, Console, Exit};

mod expected {
    include!(concat!(env!("OUT_DIR"), "/expected.rs"));
}

/// The program: WebAssembly for the full build, a precompiled blob (kept in flash) otherwise.
#[cfg(feature = "full")]
static APP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/app.wasm"));
#[cfg(not(feature = "full"))]
static APP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/app.ember"));

/// Heap size (the program's 64 KiB memory, the engine, the module).
const HEAP_SIZE: usize = 256 * 1024;
static mut HEAP_MEM: [u8; HEAP_SIZE] = [0; HEAP_SIZE];

#[global_allocator]
static HEAP: Heap = Heap::empty();

/// Byte painted over the unused stack to measure its peak use.
const PAINT: u8 = 0xA5;

unsafe extern "C" {
    static mut _sdata: u32;
    static mut _edata: u32;
    static _sidata: u32;
    static mut _sbss: u32;
    static mut _ebss: u32;
    static _stack_bottom: u8;
    static _stack_top: u8;
}

/// Copies `.data` from flash and zeroes `.bss`.
///
/// # Safety
/// Call once at boot, before anything uses `.data` or `.bss`.
pub(crate) unsafe fn init_memory() {
    // SAFETY: the linker script defines these word-aligned bounds; nothing uses the sections yet.
    unsafe {
        let mut src = &raw const _sidata;
        let mut dst = &raw mut _sdata;
        while dst < &raw mut _edata {
            dst.write_volatile(src.read());
            dst = dst.add(1);
            src = src.add(1);
        }
        let mut z = &raw mut _sbss;
        while z < &raw mut _ebss {
            z.write_volatile(0);
            z = z.add(1);
        }
    }
}

/// The board's services through the `ember-hal` traits.
struct Board;

impl Console for Board {
    fn write(&mut self, bytes: &[u8]) -> usize {
        board::write(bytes);
        bytes.len()
    }
}

impl Exit for Board {
    fn exit(&mut self, code: i32) -> ! {
        board::exit(code)
    }
}

impl Clock for Board {
    fn now(&self) -> u64 {
        board::cycles()
    }
    fn ticks_per_second(&self) -> u64 {
        0
    }
}

/// Fills the stack below the current frame with `PAINT`.
fn paint_stack() {
    let bottom = &raw const _stack_bottom as usize;
    let below_sp = board::stack_pointer() - 256;
    let mut p = bottom as *mut u8;
    while (p as usize) < below_sp {
        // SAFETY: between the stack's bottom and (well below) the live frames: unused stack.
        unsafe { p.write_volatile(PAINT) };
        p = p.wrapping_add(1);
    }
}

/// Bytes of stack ever used (the first unpainted byte from the bottom).
fn stack_peak() -> usize {
    let bottom = &raw const _stack_bottom as usize;
    let top = &raw const _stack_top as usize;
    let mut p = bottom as *const u8;
    // SAFETY: reads within the stack region.
    while (p as usize) < top && unsafe { p.read_volatile() } == PAINT {
        p = p.wrapping_add(1);
    }
    top - p as usize
}

/// Entry from the board's reset code.
pub(crate) fn app_main() -> ! {
    paint_stack();
    // SAFETY: called once, before any allocation; the firmware is single-threaded and its
    // fault handlers do not allocate.
    unsafe { HEAP.init((&raw mut HEAP_MEM).cast::<u8>(), HEAP_SIZE) };
    let mut out = Board;
    out.write_str("ember firmware on ");
    out.write_str(board::NAME);
    out.write_str(if cfg!(feature = "full") {
        " (full: translates app.wasm, "
    } else {
        " (runtime-only: app.ember in place, "
    });
    out.write_u64(APP.len() as u64);
    out.write_str(" bytes)\n");
    let start = out.now();
    let status = match run(&mut out) {
        Ok(()) => 0,
        Err(failure) => {
            out.write_str("FAIL: ");
            failure.print(&mut out);
            out.write_str("\n");
            1
        }
    };
    let cycles = out.now().wrapping_sub(start);
    out.write_str("ram: heap peak ");
    out.write_u64(HEAP.peak() as u64);
    out.write_str(" bytes, stack peak ");
    out.write_u64(stack_peak() as u64);
    out.write_str(" bytes; cycles ");
    out.write_u64(cycles);
    out.write_str(if status == 0 { "\nPASS\n" } else { "\nFAILED\n" });
    out.exit(status)
}

/// Loads the program for this build.
fn load(engine: &Engine) -> Result<Module, Error> {
    #[cfg(feature = "full")]
    return Module::from_binary(engine, APP);
    #[cfg(not(feature = "full"))]
    return Module::deserialize_static(engine, APP);
}

/// Why a run failed.
enum Failure {
    /// Ember returned an error.
    Ember(Error),
    /// A function returned something else than on the build machine: name, result, expected.
    Wrong(&'static str, i32, i32),
    /// `divide(0)` returned this instead of trapping.
    NoTrap(i32),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Ember(e)
    }
}

impl Failure {
    fn print(&self, out: &mut Board) {
        match self {
            Failure::Ember(e) => print_error(out, e),
            Failure::Wrong(name, got, expected) => {
                out.write_str(name);
                out.write_str(" returned ");
                out.write_i64((*got).into());
                out.write_str(", expected ");
                out.write_i64((*expected).into());
            }
            Failure::NoTrap(v) => {
                out.write_str("divide(0) returned ");
                out.write_i64((*v).into());
                out.write_str(" instead of trapping");
            }
        }
    }
}

/// Prints `e` (what its `Display` says, except that offsets are in decimal).
fn print_error(out: &mut Board, e: &Error) {
    match e {
        Error::Trap(t) => {
            out.write_str("trap: ");
            print_trap(out, t);
        }
        Error::Compile(c) => {
            out.write_str(&c.message);
            if let Some(f) = c.func_index {
                out.write_str(" (function ");
                out.write_u64(f.into());
                out.write_str(",");
            } else {
                out.write_str(" (");
            }
            out.write_str(" at offset ");
            out.write_u64(c.offset as u64);
            out.write_str(")");
        }
        Error::Link(m) => {
            out.write_str("link error: ");
            out.write_str(m);
        }
        Error::Limit(m) => {
            out.write_str("resource limit: ");
            out.write_str(m);
        }
        Error::Usage(m) => out.write_str(m),
        _ => out.write_str("error"),
    }
}

/// Prints a trap as its `Display` does.
fn print_trap(out: &mut Board, t: &Trap) {
    out.write_str(t.code().message());
    if let Some(m) = t.host_message() {
        out.write_str(": ");
        out.write_str(m);
    }
}

fn run(out: &mut Board) -> Result<(), Failure> {
    let engine = Engine::new(&Config::default().max_stack_slots(16 * 1024).max_call_depth(512));
    let module = load(&engine)?;
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.func_wrap("env", "print", |x: i32| {
        Board.write_str("  wasm called print(");
        Board.write_hex32(x as u32);
        Board.write_str(")\n");
    })?;
    let instance = linker.instantiate(&mut store, &module)?;

    let fib = instance.get_typed_func::<i32, i32>(&store, "fib")?;
    let r = fib.call(&mut store, expected::FIB_N)?;
    out.write_str("fib(");
    out.write_i64(expected::FIB_N.into());
    out.write_str(") = ");
    out.write_i64(r.into());
    out.write_str("\n");
    if r != expected::FIB {
        return Err(Failure::Wrong("fib", r, expected::FIB));
    }

    let sort = instance.get_typed_func::<i32, i32>(&store, "sort_hash")?;
    let h = sort.call(&mut store, expected::SORT_N)?;
    out.write_str("sort_hash(");
    out.write_i64(expected::SORT_N.into());
    out.write_str(") = ");
    out.write_hex32(h as u32);
    out.write_str("\n");
    if h != expected::HASH {
        return Err(Failure::Wrong("sort_hash", h, expected::HASH));
    }

    let divide = instance.get_typed_func::<i32, i32>(&store, "divide")?;
    match divide.call(&mut store, 0) {
        Err(Error::Trap(t)) if t.code() == TrapCode::IntegerDivisionByZero => {
            out.write_str("divide(0) trapped as expected: ");
            print_trap(out, &t);
            out.write_str("\n");
        }
        Ok(v) => return Err(Failure::NoTrap(v)),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// Reports a panic and stops with status 101. Only with feature `panic-location` does it print
/// the panic's file and line: reading the location keeps every panic site's location and
/// message, and the code formatting them, in the firmware (about 5 KB on Cortex-M).
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut out = Board;
    out.write(b"panic");
    #[cfg(feature = "panic-location")]
    if let Some(l) = info.location() {
        out.write(b" at ");
        out.write(l.file().as_bytes());
        out.write(b":");
        out.write_u64(l.line().into());
    }
    #[cfg(not(feature = "panic-location"))]
    let _ = info;
    out.write(b"\n");
    board::exit(101)
}
