//! A CoreMark-like mix: CRC-16, a linked list in an index arena, and a state machine that
//! classifies number-like tokens.

use crate::Rng;

fn crc16(mut crc: u16, byte: u8) -> u16 {
    let mut data = byte;
    for _ in 0..8 {
        let x16 = (data as u16 & 1) ^ (crc & 1);
        data >>= 1;
        if x16 == 1 {
            crc ^= 0x4002;
            crc = (crc >> 1) | 0x8000;
        } else {
            crc >>= 1;
        }
    }
    crc
}

const LEN: usize = 256;

struct List {
    next: [u16; LEN],
    val: [i16; LEN],
    head: u16,
}

const NIL: u16 = u16::MAX;

impl List {
    fn new(rng: &mut Rng) -> List {
        let mut l = List { next: [NIL; LEN], val: [0; LEN], head: 0 };
        for i in 0..LEN {
            l.val[i] = (rng.next() & 0x7fff) as i16;
            l.next[i] = if i + 1 < LEN { (i + 1) as u16 } else { NIL };
        }
        l
    }
    fn reverse(&mut self) {
        let (mut prev, mut cur) = (NIL, self.head);
        while cur != NIL {
            let n = self.next[cur as usize];
            self.next[cur as usize] = prev;
            prev = cur;
            cur = n;
        }
        self.head = prev;
    }
    fn find(&self, v: i16) -> Option<u16> {
        let mut cur = self.head;
        while cur != NIL {
            if self.val[cur as usize] & 0xff == v & 0xff {
                return Some(cur);
            }
            cur = self.next[cur as usize];
        }
        None
    }
    /// Insertion sort of the list by value (relinks nodes).
    fn sort(&mut self) {
        let mut sorted = NIL;
        let mut cur = self.head;
        while cur != NIL {
            let n = self.next[cur as usize];
            let v = self.val[cur as usize];
            if sorted == NIL || self.val[sorted as usize] >= v {
                self.next[cur as usize] = sorted;
                sorted = cur;
            } else {
                let mut p = sorted;
                while self.next[p as usize] != NIL && self.val[self.next[p as usize] as usize] < v {
                    p = self.next[p as usize];
                }
                self.next[cur as usize] = self.next[p as usize];
                self.next[p as usize] = cur;
            }
            cur = n;
        }
        self.head = sorted;
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Start,
    Int,
    Frac,
    Exp,
    ExpSign,
    ExpInt,
    Invalid,
}

fn classify(tok: &[u8]) -> State {
    let mut s = State::Start;
    for &c in tok {
        s = match (s, c) {
            (State::Start, b'0'..=b'9') | (State::Start, b'-') => State::Int,
            (State::Int, b'0'..=b'9') => State::Int,
            (State::Int, b'.') => State::Frac,
            (State::Frac, b'0'..=b'9') => State::Frac,
            (State::Int, b'e') | (State::Frac, b'e') => State::Exp,
            (State::Exp, b'+') | (State::Exp, b'-') => State::ExpSign,
            (State::Exp, b'0'..=b'9') | (State::ExpSign, b'0'..=b'9') => State::ExpInt,
            (State::ExpInt, b'0'..=b'9') => State::ExpInt,
            _ => State::Invalid,
        };
        if s == State::Invalid {
            break;
        }
    }
    s
}

pub(crate) fn run(iters: u32) -> i64 {
    const ALPHA: &[u8] = b"0123456789.e-+x";
    let mut rng = Rng(0x1234_5678);
    let mut text = [0u8; 1024];
    for b in text.iter_mut() {
        let r = rng.next();
        *b = if r % 7 == 0 { b',' } else { ALPHA[(r as usize >> 8) % ALPHA.len()] };
    }
    let mut list = List::new(&mut rng);
    let mut crc = 0u16;
    for it in 0..iters {
        let mut counts = [0u32; 7];
        for tok in text.split(|&c| c == b',') {
            counts[classify(tok) as usize] += 1;
        }
        for c in counts {
            crc = crc16(crc, c as u8);
        }
        list.reverse();
        if let Some(i) = list.find(it as i16) {
            crc = crc16(crc, i as u8);
        }
        if it % 8 == 0 {
            list.sort();
            for i in 0..LEN {
                list.val[i] = list.val[i].wrapping_mul(3).wrapping_add(it as i16);
            }
        }
        for i in 0..64 {
            crc = crc16(crc, text[(it as usize * 17 + i) % text.len()]);
        }
        text[it as usize % text.len()] = ALPHA[crc as usize % ALPHA.len()];
    }
    i64::from(crc)
}
