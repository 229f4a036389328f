//! Command-line values: parsing arguments by parameter type, printing results.

use ember::{Val, ValType};

/// Parses `text` as a value of type `ty`: integers in decimal or `0x` hex (optionally negative;
/// values up to the unsigned maximum are taken as bit patterns), floats as Rust parses them
/// (`inf`, `NaN` included), references only as `null`.
pub fn parse_arg(text: &str, ty: ValType) -> Result<Val, String> {
    let bad = || format!("cannot parse `{text}` as {ty}");
    match ty {
        ValType::I32 => {
            let v = parse_int(text).ok_or_else(bad)?;
            if v < i128::from(i32::MIN) || v > i128::from(u32::MAX) {
                return Err(format!("`{text}` is out of range for i32"));
            }
            Ok(Val::I32(v as u32 as i32))
        }
        ValType::I64 => {
            let v = parse_int(text).ok_or_else(bad)?;
            if v < i128::from(i64::MIN) || v > i128::from(u64::MAX) {
                return Err(format!("`{text}` is out of range for i64"));
            }
            Ok(Val::I64(v as u64 as i64))
        }
        ValType::F32 => text.parse::<f32>().map(Val::from).map_err(|_| bad()),
        ValType::F64 => text.parse::<f64>().map(Val::from).map_err(|_| bad()),
        ValType::FuncRef if text == "null" => Ok(Val::FuncRef(None)),
        ValType::ExternRef if text == "null" => Ok(Val::ExternRef(None)),
        ValType::FuncRef | ValType::ExternRef => {
            Err(format!("only `null` can be passed as {ty}, not `{text}`"))
        }
    }
}

/// Parses a decimal or `0x` hexadecimal integer with an optional sign.
fn parse_int(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<u64>().ok()?,
    };
    let magnitude = i128::from(magnitude);
    Some(if negative { -magnitude } else { magnitude })
}

/// Formats a result: integers in signed decimal, floats with Rust's `Display`, references as
/// `null`, `ref.func` or `ref.extern`.
pub fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(*b).to_string(),
        Val::F64(b) => f64::from_bits(*b).to_string(),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "ref.func".to_string(),
        Val::ExternRef(Some(_)) => "ref.extern".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_by_type() {
        assert_eq!(parse_arg("42", ValType::I32), Ok(Val::I32(42)));
        assert_eq!(parse_arg("-7", ValType::I32), Ok(Val::I32(-7)));
        assert_eq!(parse_arg("0xffffffff", ValType::I32), Ok(Val::I32(-1)));
        assert_eq!(parse_arg("0x10", ValType::I64), Ok(Val::I64(16)));
        assert!(parse_arg("0x100000000", ValType::I32).is_err());
        assert!(parse_arg("twelve", ValType::I32).is_err());
        assert!(parse_arg("1.5", ValType::I64).is_err());
    }

    #[test]
    fn parses_floats_and_refs() {
        assert_eq!(
            parse_arg("1.5", ValType::F32),
            Ok(Val::F32(1.5f32.to_bits()))
        );
        assert_eq!(
            parse_arg("-0.25", ValType::F64),
            Ok(Val::F64((-0.25f64).to_bits()))
        );
        assert_eq!(parse_arg("null", ValType::FuncRef), Ok(Val::FuncRef(None)));
        assert!(parse_arg("3", ValType::ExternRef).is_err());
    }

    #[test]
    fn formats_results() {
        assert_eq!(format_val(&Val::I32(-1)), "-1");
        assert_eq!(format_val(&Val::I64(832040)), "832040");
        assert_eq!(format_val(&Val::F32(2.5f32.to_bits())), "2.5");
        assert_eq!(format_val(&Val::F64(0.1f64.to_bits())), "0.1");
        assert_eq!(format_val(&Val::ExternRef(None)), "null");
    }
}
