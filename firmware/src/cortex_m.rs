//! Board glue for QEMU `mps2-an386` (Cortex-M4F): vector table, reset, semihosting console and
//! exit, the DWT cycle counter.

use core::arch::{asm, global_asm};

/// The board's name, for the banner.
#[cfg(target_abi = "eabihf")]
pub const NAME: &str = "Cortex-M4 (thumbv7em, QEMU mps2-an386)";
/// The board's name, for the banner.
#[cfg(not(target_abi = "eabihf"))]
pub const NAME: &str = "Cortex-M0 (thumbv6m)";

// Initial stack pointer, reset, then the 14 system exceptions (all fatal here).
global_asm!(
    r#"
    .section .vector_table, "a"
    .word _stack_top
    .word reset
    .rept 14
    .word fault
    .endr
    "#
);

/// First code after reset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn reset() -> ! {
    // Hard-float code needs the FPU on before its first floating-point instruction.
    // SAFETY: CPACR is the architectural coprocessor access register of the Cortex-M4F.
    #[cfg(target_abi = "eabihf")]
    unsafe {
        let cpacr = 0xE000_ED88 as *mut u32;
        cpacr.write_volatile(cpacr.read_volatile() | (0xF << 20));
        asm!("dsb", "isb", options(nostack));
    }
    // SAFETY: runs once, before anything reads `.data` or `.bss`.
    unsafe { crate::init_memory() };
    crate::app_main()
}

/// Any exception: report it and stop.
#[unsafe(no_mangle)]
pub extern "C" fn fault() -> ! {
    write(b"fatal: CPU exception\n");
    exit(2)
}

/// An ARM semihosting call.
fn semihost(op: u32, arg: usize) -> u32 {
    let r: u32;
    // SAFETY: `bkpt 0xab` is the semihosting trap; QEMU (with semihosting enabled) handles it
    // and touches only the memory `arg` points to, which each caller keeps valid.
    unsafe { asm!("bkpt #0xab", inout("r0") op => r, in("r1") arg, options(nostack)) };
    r
}

/// Writes bytes to the host's console (semihosting `SYS_WRITEC`).
pub fn write(bytes: &[u8]) {
    for b in bytes {
        semihost(0x03, b as *const u8 as usize);
    }
}

/// Stops QEMU with `code` as its exit status (semihosting `SYS_EXIT_EXTENDED`).
pub fn exit(code: i32) -> ! {
    let block = [0x20026u32, code as u32]; // ADP_Stopped_ApplicationExit, status
    semihost(0x20, block.as_ptr() as usize);
    loop {
        core::hint::spin_loop();
    }
}

/// Current stack pointer.
pub fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register.
    unsafe { asm!("mov {}, sp", out(reg) sp, options(nomem, nostack)) };
    sp
}

/// The DWT cycle counter (0 where the emulator does not model it).
#[cfg(target_abi = "eabihf")]
pub fn cycles() -> u64 {
    // SAFETY: DEMCR, DWT_CTRL and DWT_CYCCNT are architectural Cortex-M4 registers.
    unsafe {
        let demcr = 0xE000_EDFC as *mut u32;
        demcr.write_volatile(demcr.read_volatile() | (1 << 24));
        let ctrl = 0xE000_1000 as *mut u32;
        ctrl.write_volatile(ctrl.read_volatile() | 1);
        u64::from((0xE000_1004 as *const u32).read_volatile())
    }
}

/// No cycle counter on the Cortex-M0.
#[cfg(not(target_abi = "eabihf"))]
pub fn cycles() -> u64 {
    0
}
