//! Deterministic input data (a xorshift PRNG over a small vocabulary).

use std::fmt::Write;

struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.next() as usize % words.len()]
    }
}

const WORDS: &[&str] = &[
    "the", "interpreter", "running", "bytecode", "of", "a", "module", "translating", "stack",
    "register", "value", "memory", "loading", "storing", "branch", "table", "function", "calling",
    "returning", "engine", "wasm", "fast", "slow", "benchmark", "measuring", "and", "is", "with",
];

/// Prose of about `len` bytes, with numbers such as `12.50` sprinkled in.
pub fn text(len: usize) -> String {
    let mut rng = Rng(0xdead_beef);
    let mut s = String::with_capacity(len + 64);
    while s.len() < len {
        let r = rng.next();
        if r % 11 == 0 {
            let _ = write!(s, "{}.{:02} ", r % 1000, (r >> 10) % 100);
        } else {
            s.push_str(rng.pick(WORDS));
            s.push(if r % 13 == 0 { '\n' } else { ' ' });
        }
    }
    s
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        match rng.next() % 17 {
            0 => {
                let _ = write!(s, "**{w}**");
            }
            1 => {
                let _ = write!(s, "*{w}*");
            }
            2 => {
                let _ = write!(s, "`{w}`");
            }
            3 => {
                let _ = write!(s, "[{w}](https://example.invalid/{w})");
            }
            _ => s.push_str(w),
        }
        s.push(if i + 1 == words { '.' } else { ' ' });
    }
    s
}

/// A markdown document of about 12 KB: headings, paragraphs, lists, code, quotes, tables.
pub fn markdown() -> String {
    let mut rng = Rng(0x1234_5678);
    let mut s = String::new();
    let mut section = 0;
    while s.len() < 12_000 {
        section += 1;
        let _ = writeln!(s, "## Section {section}: {}\n", rng.pick(WORDS));
        for _ in 0..2 {
            let _ = writeln!(s, "{}\n", sentence(&mut rng, 30));
        }
        for i in 0..4 {
            let _ = writeln!(s, "{}. {}", i + 1, sentence(&mut rng, 6));
        }
        let _ = writeln!(s, "\n> {}\n", sentence(&mut rng, 12));
        let _ = writeln!(s, "```rust\nfn f(x: u32) -> u32 {{ x * {} }}\n```\n", rng.next() % 100);
        let _ = writeln!(s, "| a | b |\n|---|---|\n| {} | {} |\n", rng.pick(WORDS), rng.next());
    }
    s
}

/// A JSON document of about 40 KB: an array of records with nested objects and arrays.
pub fn json() -> String {
    let mut rng = Rng(0xcafe_f00d);
    let mut s = String::from("[");
    let mut i = 0;
    while s.len() < 40_000 {
        if i > 0 {
            s.push(',');
        }
        let r = rng.next();
        let _ = write!(
            s,
            r#"{{"id":{i},"name":"{} {}","score":{}.{},"ok":{},"tags":["{}","{}"],"pos":{{"x":{},"y":-{}}},"note":null}}"#,
            rng.pick(WORDS),
            rng.pick(WORDS),
            r % 1000,
            r % 97,
            r % 2 == 0,
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.next() % 5000,
            rng.next() % 5000
        );
        i += 1;
    }
    s.push(']');
    s
}
