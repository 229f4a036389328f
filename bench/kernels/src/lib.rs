//! Benchmark kernels. Every export has the signature `(n: i32) -> i64`: `n` scales the work and
//! the result is a checksum both engines must agree on.
#![no_std]

mod coremark;
mod hash;
mod nbody;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// A small deterministic PRNG (xorshift32).
pub(crate) struct Rng(u32);

impl Rng {
    pub(crate) fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
}

#[inline(never)]
fn fib_rec(n: u32) -> u64 {
    if n < 2 { u64::from(n) } else { fib_rec(n - 1) + fib_rec(n - 2) }
}

/// Recursive Fibonacci: call-heavy.
#[unsafe(no_mangle)]
pub extern "C" fn fib(n: i32) -> i64 {
    fib_rec(n as u32) as i64
}

/// Sieve of Eratosthenes over 0..32768, `n` times: counts primes.
#[unsafe(no_mangle)]
pub extern "C" fn sieve(n: i32) -> i64 {
    const N: usize = 32768;
    let mut flags = [false; N];
    let mut total = 0i64;
    for _ in 0..n {
        flags.fill(true);
        let mut count = 0;
        let mut i = 2;
        while i < N {
            if flags[i] {
                count += 1;
                let mut j = i * i;
                while j < N {
                    flags[j] = false;
                    j += i;
                }
            }
            i += 1;
        }
        total += count;
    }
    total
}

/// Multiplies two 64×64 f64 matrices `reps` times (accumulating), returns a checksum.
#[unsafe(no_mangle)]
pub extern "C" fn matmul(reps: i32) -> i64 {
    const M: usize = 64;
    let n = M;
    let mut a = [[0f64; M]; M];
    let mut b = [[0f64; M]; M];
    let mut c = [[0f64; M]; M];
    let mut rng = Rng(12345);
    for i in 0..n {
        for j in 0..n {
            a[i][j] = f64::from(rng.next() % 1000) / 100.0;
            b[i][j] = f64::from(rng.next() % 1000) / 100.0;
        }
    }
    for _ in 0..reps {
        for i in 0..n {
            for k in 0..n {
                let aik = a[i][k];
                for j in 0..n {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        a[0][0] += 1.0;
    }
    let mut sum = 0f64;
    for row in c.iter().take(n) {
        for &x in row.iter().take(n) {
            sum += x;
        }
    }
    sum.to_bits() as i64
}

/// N-body simulation (5 bodies), `n` steps: returns the final energy's bits.
#[unsafe(no_mangle)]
pub extern "C" fn nbody(n: i32) -> i64 {
    nbody::run(n as u32).to_bits() as i64
}

/// SHA-256 over a 4 KiB buffer, `n` times (each round hashes the previous digest in).
#[unsafe(no_mangle)]
pub extern "C" fn sha256(n: i32) -> i64 {
    hash::sha256_rounds(n as u32)
}

/// Sorts 8192 pseudo-random u32 `n` times (fresh data each time): returns a checksum.
#[unsafe(no_mangle)]
pub extern "C" fn sort(n: i32) -> i64 {
    const N: usize = 8192;
    let mut v = [0u32; N];
    let mut rng = Rng(2463534242);
    let mut sum = 0i64;
    for _ in 0..n {
        for x in v.iter_mut() {
            *x = rng.next();
        }
        v.sort_unstable();
        sum = sum.wrapping_mul(31).wrapping_add(i64::from(v[N / 2]) ^ i64::from(v[17]));
    }
    sum
}

/// CRC, linked list and state machine mix (in the spirit of CoreMark), `n` iterations.
#[unsafe(no_mangle)]
pub extern "C" fn coremark(n: i32) -> i64 {
    coremark::run(n as u32)
}

/// Memory copy and fill over 64 KiB buffers, `n` rounds.
#[unsafe(no_mangle)]
pub extern "C" fn memops(n: i32) -> i64 {
    const N: usize = 65536;
    let mut a = [0u8; N];
    let mut b = [0u8; N];
    let mut sum = 0i64;
    for r in 0..n {
        a.fill(r as u8);
        a[r as usize % N] = 7;
        b.copy_from_slice(&a);
        b.copy_within(0..N / 2, N / 4 + (r as usize & 15));
        for chunk in b.chunks_exact(4096) {
            a[..4096].copy_from_slice(chunk);
            sum = sum.wrapping_add(i64::from(a[(r as usize * 31) % 4096]));
        }
    }
    sum
}
