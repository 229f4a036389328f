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
pub trait Console {
    /// Writes bytes; returns how many were written.
    fn write(&mut self, bytes: &[u8]) -> usize;
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
    fn buffer_console_keeps_what_fits() {
        let mut c = BufferConsole::<8>::default();
        assert_eq!(c.write(b"hello"), 5);
        assert_eq!(c.write(b" world"), 3);
        assert_eq!(c.contents(), b"hello wo");
        assert_eq!(c.write(b"!"), 0);
    }
}
