//! Real crates from crates.io behind `(n: i32) -> i64` exports: `n` scales the work, the result
//! is a checksum both engines must agree on. Inputs are generated deterministically in-module.

mod input;

fn checksum(bytes: &[u8]) -> i64 {
    // FNV-1a.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    h as i64
}

/// Markdown to HTML with pulldown-cmark, `n` times over a ~12 KB document.
#[unsafe(no_mangle)]
pub extern "C" fn markdown(n: i32) -> i64 {
    let doc = input::markdown();
    let mut sum = 0i64;
    for _ in 0..n {
        let parser = pulldown_cmark::Parser::new_ext(&doc, pulldown_cmark::Options::all());
        let mut html = String::with_capacity(doc.len() * 2);
        pulldown_cmark::html::push_html(&mut html, parser);
        sum = sum.wrapping_add(checksum(html.as_bytes()));
    }
    sum
}

/// Deflate then inflate ~64 KB of text with miniz_oxide, `n` times.
#[unsafe(no_mangle)]
pub extern "C" fn deflate(n: i32) -> i64 {
    let text = input::text(65536);
    let mut sum = 0i64;
    for i in 0..n {
        let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 6);
        let unpacked = miniz_oxide::inflate::decompress_to_vec(&packed).unwrap_or_default();
        sum = sum
            .wrapping_add(packed.len() as i64)
            .wrapping_add(checksum(&unpacked[..1024 + i as usize % 1024]));
    }
    sum
}

/// Regex compile + search over ~64 KB of text, `n` times.
#[unsafe(no_mangle)]
pub extern "C" fn regex(n: i32) -> i64 {
    let text = input::text(65536);
    let mut sum = 0i64;
    for _ in 0..n {
        let words = regex::Regex::new(r"\b[a-z]{4,}ing\b").ok();
        let nums = regex::Regex::new(r"([0-9]+)\.([0-9]{2})").ok();
        if let (Some(w), Some(d)) = (words, nums) {
            sum += w.find_iter(&text).count() as i64;
            for c in d.captures_iter(&text) {
                sum = sum.wrapping_add(c[1].len() as i64 * 3 + c[2].len() as i64);
            }
        }
    }
    sum
}

/// Parse and re-serialise a ~40 KB JSON document with serde_json, `n` times.
#[unsafe(no_mangle)]
pub extern "C" fn json(n: i32) -> i64 {
    let doc = input::json();
    let mut sum = 0i64;
    for _ in 0..n {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&doc) {
            let out = serde_json::to_string(&v).unwrap_or_default();
            sum = sum.wrapping_add(checksum(out.as_bytes()));
        }
    }
    sum
}
