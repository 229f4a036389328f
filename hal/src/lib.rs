//! Ember's hardware abstraction layer: the few platform services an embedding needs, as traits.
//!
//! Ember itself uses no OS services. Firmware and other bare-metal embedders implement these
//! traits for their board (console output, exit status, a cycle or time counter) and pass them
//! to host functions. [`heap::Heap`] turns a static memory region into the global allocator.
//! Board glue (semihosting, UART, test devices) comes with the firmware examples.
#![no_std]
#![deny(missing_docs)]

pub mod heap;

/// Text output (a UART, semihosting, a log buffer).
///
/// Besides [`write`](Console::write), it prints text and numbers without `core::fmt`, whose
/// formatting machinery costs a few kilobytes of flash (a firmware that formats nothing with
/// `write!` links none of it).
pub trait Console {
    /// Writes bytes; returns how many were written.
    fn write(&mut self, bytes: &[u8]) -> usize;

    /// Writes a string.
    fn write_str(&mut self, s: &str) {
        self.write(s.as_bytes());
    }

    /// Writes `n` in decimal.
    fn write_u64(&mut self, n: u64) {
        let mut digits = [b'0'; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            // `n / 10` and `n % 10` in 16-bit steps of 32-bit division: a 64-bit division is
            // a routine of about a kilobyte on 32-bit targets (`__udivdi3`, `__umoddi3`).
            let (mut q, mut r) = (0u64, 0u32);
            for shift in [48, 32, 16, 0] {
                let cur = r << 16 | ((n >> shift) as u32 & 0xffff);
                q = q << 16 | u64::from(cur / 10);
                r = cur % 10;
            }
            i -= 1;
            digits[i] = b'0' + r as u8;
            n = q;
            if n == 0 {
                break;
            }
        }
        self.write(&digits[i..]);
    }

    /// Writes `n` in decimal, with a `-` if negative.
    fn write_i64(&mut self, n: i64) {
        if n < 0 {
            self.write(b"-");
        }
        self.write_u64(n.unsigned_abs());
    }

    /// Writes `n` as `0x` and 8 hexadecimal digits (as `{:#010x}` formats it).
    fn write_hex32(&mut self, n: u32) {
        let mut text = *b"0x00000000";
        for (k, d) in text[2..].iter_mut().enumerate() {
            let nibble = (n >> (28 - 4 * k)) & 0xF;
            *d = b"0123456789abcdef"[nibble as usize];
        }
        self.write(&text);
    }
}

/// Ending the program with a status (semihosting exit, a test device, a reset).
pub trait Exit {
    /// Stops with `code` (0 = success). Does not return.
    fn exit(&mut self, code: i32) -> !;
}

/// A monotonic counter for measuring time or cycles.
pub trait Clock {
    /// The current counter value.
    fn now(&self) -> u64;
    /// Counter ticks per second (0 if the counter counts cycles of unknown frequency).
    fn ticks_per_second(&self) -> u64;
}

/// A console that stores output in a fixed buffer, dropping what does not fit. Useful in tests
/// and on boards whose output is read from memory by a debugger.
#[derive(Debug)]
pub struct BufferConsole<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Default for BufferConsole<N> {
    fn default() -> Self {
        BufferConsole {
            buf: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> BufferConsole<N> {
    /// What has been written so far.
    pub fn contents(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl<const N: usize> Console for BufferConsole<N> {
    fn write(&mut self, bytes: &[u8]) -> usize {
        let room = N - self.len;
        let n = bytes.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_numbers_as_core_fmt_does() {
        extern crate std;
        use std::format;
        for n in [
            0u64,
            7,
            10,
            4_294_967_296,
            u64::MAX,
            u64::MAX - 1,
            10_000_000_000_000_000_000,
            9_999_999_999_999_999_999,
            1 << 63,
            65_536,
            655_359,
        ] {
            let mut c = BufferConsole::<64>::default();
            c.write_u64(n);
            assert_eq!(c.contents(), format!("{n}").as_bytes());
        }
        for n in [0i64, -1, 42, i64::MIN, i64::MAX] {
            let mut c = BufferConsole::<64>::default();
            c.write_i64(n);
            assert_eq!(c.contents(), format!("{n}").as_bytes());
        }
        for n in [0u32, 0xdead_beef, 0x1234, u32::MAX] {
            let mut c = BufferConsole::<64>::default();
            c.write_hex32(n);
            c.write_str(" ok");
            assert_eq!(c.contents(), format!("{n:#010x} ok").as_bytes());
        }
    }

    #[test]
    fn buffer_console_keeps_what_fits() {
        let mut c = BufferConsole::<8>::default();
        assert_eq!(c.write(b"hello"), 5);
        assert_eq!(c.write(b" world"), 3);
        assert_eq!(c.contents(), b"hello wo");
        assert_eq!(c.write(b"!"), 0);
    }
}
