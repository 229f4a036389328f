//! Ember on bare metal. Boots, runs `app.wat` (recursive fib, a memory-heavy sort and hash, a
//! host function, a trap that is caught), checks every result against what Ember computed on
//! the build machine, prints a report and exits with status 0 only if all matched.
//!
//! With feature `full` the firmware translates the embedded `.wasm` at boot; without it
//! (runtime-only) it runs the precompiled blob in place from flash with
//! `Module::deserialize_static`, and links no translator.
#![no_std]
#![no_main]

extern crate alloc;

#[cfg_attr(target_arch = "arm", path = "cortex_m.rs")]
#[cfg_attr(target_arch = "riscv32", path = "riscv.rs")]
mod board;

use core::fmt::Write;
use ember::{Config, Engine, Error, Linker, Module, Store, TrapCode};
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

impl Write for Board {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        Console::write(self, s.as_bytes());
        Ok(())
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
    let build = if cfg!(feature = "full") { "full: translates app.wasm" } else { "runtime-only: app.ember in place" };
    let _ = writeln!(out, "ember firmware on {} ({build}, {} bytes)", board::NAME, APP.len());
    let start = out.now();
    let status = match run(&mut out) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(out, "FAIL: {e}");
            1
        }
    };
    let cycles = out.now().wrapping_sub(start);
    let _ = writeln!(
        out,
        "ram: heap peak {} bytes, stack peak {} bytes; cycles {cycles}",
        HEAP.peak(),
        stack_peak()
    );
    let _ = writeln!(out, "{}", if status == 0 { "PASS" } else { "FAILED" });
    out.exit(status)
}

/// Loads the program for this build.
fn load(engine: &Engine) -> Result<Module, Error> {
    #[cfg(feature = "full")]
    return Module::from_binary(engine, APP);
    #[cfg(not(feature = "full"))]
    return Module::deserialize_static(engine, APP);
}

fn run(out: &mut Board) -> Result<(), alloc::string::String> {
    use alloc::format;
    let err = |e: Error| format!("{e}");
    let engine = Engine::new(&Config::default().max_stack_slots(16 * 1024).max_call_depth(512));
    let module = load(&engine).map_err(err)?;
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "print", |x: i32| {
            let _ = writeln!(Board, "  wasm called print({x:#010x})");
        })
        .map_err(err)?;
    let instance = linker.instantiate(&mut store, &module).map_err(err)?;

    let fib = instance.get_typed_func::<i32, i32>(&store, "fib").map_err(err)?;
    let r = fib.call(&mut store, expected::FIB_N).map_err(err)?;
    let _ = writeln!(out, "fib({}) = {r}", expected::FIB_N);
    if r != expected::FIB {
        return Err(format!("fib: expected {}", expected::FIB));
    }

    let sort = instance.get_typed_func::<i32, i32>(&store, "sort_hash").map_err(err)?;
    let h = sort.call(&mut store, expected::SORT_N).map_err(err)?;
    let _ = writeln!(out, "sort_hash({}) = {h:#010x}", expected::SORT_N);
    if h != expected::HASH {
        return Err(format!("sort_hash: expected {:#010x}", expected::HASH));
    }

    let divide = instance.get_typed_func::<i32, i32>(&store, "divide").map_err(err)?;
    match divide.call(&mut store, 0) {
        Err(Error::Trap(t)) if t.code() == TrapCode::IntegerDivisionByZero => {
            let _ = writeln!(out, "divide(0) trapped as expected: {t}");
        }
        Ok(v) => return Err(format!("divide(0): expected a trap, got {v}")),
        Err(e) => return Err(format!("divide(0): expected a trap, got {e}")),
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
        write_decimal(&mut out, l.line());
    }
    #[cfg(not(feature = "panic-location"))]
    let _ = info;
    out.write(b"\n");
    board::exit(101)
}

/// Writes `n` in decimal without `core::fmt`.
#[cfg(feature = "panic-location")]
fn write_decimal(out: &mut impl Console, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write(&buf[i..]);
}
