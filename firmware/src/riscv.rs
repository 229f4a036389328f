//! Board glue for QEMU `virt` (RV32IMAC, machine mode, `-bios none`): entry, the 16550 UART,
//! the SiFive test device for the exit status, `mcycle`.

use core::arch::{asm, global_asm};

/// The board's name, for the banner.
pub const NAME: &str = "RISC-V (riscv32imac, QEMU virt)";

global_asm!(
    r#"
    .section .text.start, "ax"
    .globl _start
_start:
    la sp, _stack_top
    call rv_start
1:  j 1b
    "#
);

/// First Rust code.
#[unsafe(no_mangle)]
extern "C" fn rv_start() -> ! {
    // SAFETY: runs once, before anything reads `.data` or `.bss`.
    unsafe { crate::init_memory() };
    crate::app_main()
}

/// Writes bytes to the UART.
pub fn write(bytes: &[u8]) {
    let thr = 0x1000_0000 as *mut u8;
    for &b in bytes {
        // SAFETY: the virt machine's 16550 transmit register; QEMU never reports it busy.
        unsafe { thr.write_volatile(b) };
    }
}

/// Stops QEMU with `code` as its exit status (SiFive test device).
pub fn exit(code: i32) -> ! {
    let test = 0x10_0000 as *mut u32;
    let value = if code == 0 { 0x5555 } else { ((code as u32) << 16) | 0x3333 };
    // SAFETY: the virt machine's test device: writing it ends the emulation.
    unsafe { test.write_volatile(value) };
    loop {
        core::hint::spin_loop();
    }
}

/// Current stack pointer.
pub fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mv {}, sp", out(reg) sp, options(nomem, nostack)) };
    sp
}

/// The 64-bit `mcycle` counter.
pub fn cycles() -> u64 {
    loop {
        let (hi, lo, hi2): (u32, u32, u32);
        // SAFETY: reads machine-mode counter CSRs.
        unsafe {
            asm!("csrr {0}, mcycleh", "csrr {1}, mcycle", "csrr {2}, mcycleh",
                 out(reg) hi, out(reg) lo, out(reg) hi2, options(nomem, nostack));
        }
        if hi == hi2 {
            return (u64::from(hi) << 32) | u64::from(lo);
        }
    }
}
