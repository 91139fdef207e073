//! Lone UTF-16 surrogates in JSON `\u` escapes.
//!
//! Tools that cut tweet text by UTF-16 units leave half an emoji behind
//! (`"netflix is down \ud83d"`). JSON like that is invalid and serde_json
//! refuses it, which would cost the whole tweet, or a whole v2 page of up to
//! 100 tweets, for half a character. A record refused for any reason is
//! looked at again here: when it holds a lone surrogate escape, it is read
//! once more with each one replaced by `\ufffd`, the replacement character,
//! which is what a lenient decoder makes of it. Valid records never come
//! here, so the import's hot path pays nothing.

/// `record` with every lone surrogate escape replaced by `\ufffd`, or `None`
/// when it holds none.
pub fn mend(record: &[u8]) -> Option<Vec<u8>> {
    let mut mended: Option<Vec<u8>> = None;
    let (mut i, mut copied) = (0, 0);
    while i < record.len() {
        if record[i] != b'\\' {
            i += 1;
            continue;
        }
        // Any escape but `\u` is two bytes, `\\` included: the `u` after an
        // escaped backslash is text.
        let Some(unit) = escape_at(record, i) else {
            i += 2;
            continue;
        };
        let low_follows = escape_at(record, i + 6).is_some_and(|u| (0xDC00..=0xDFFF).contains(&u));
        match unit {
            0xD800..=0xDBFF if low_follows => i += 12,
            0xD800..=0xDFFF => {
                let out = mended.get_or_insert_with(|| Vec::with_capacity(record.len()));
                out.extend_from_slice(&record[copied..i]);
                out.extend_from_slice(b"\\ufffd");
                i += 6;
                copied = i;
            }
            _ => i += 6,
        }
    }
    let mut out = mended?;
    out.extend_from_slice(&record[copied..]);
    Some(out)
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn escape_at(record: &[u8], at: usize) -> Option<u32> {
    let escape = record.get(at..at + 6)?;
    if &escape[..2] != b"\\u" {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(s: &str) -> Option<String> {
        mend(s.as_bytes()).map(|m| String::from_utf8(m).unwrap())
    }

    #[test]
    fn lone_halves_are_replaced_and_pairs_kept() {
        assert_eq!(
            mended(r#"{"t":"down \ud83d"}"#).unwrap(),
            r#"{"t":"down \ufffd"}"#
        );
        assert_eq!(
            mended(r#"{"t":"\udc00 again"}"#).unwrap(),
            r#"{"t":"\ufffd again"}"#
        );
        assert_eq!(
            mended(r#"{"t":"\ud83d\ud83d\ude00 x"}"#).unwrap(),
            r#"{"t":"\ufffd\ud83d\ude00 x"}"#
        );
        assert_eq!(mended(r#"{"t":"\uD83D\uDE00 fine"}"#), None);
        assert_eq!(mended(r#"{"t":"\u00e9 plain"}"#), None);
    }

    #[test]
    fn an_escaped_backslash_is_not_an_escape() {
        assert_eq!(mended(r#"{"t":"C:\\ud83d"}"#), None);
        assert_eq!(
            mended(r#"{"t":"\\\ud83d"}"#).unwrap(),
            r#"{"t":"\\\ufffd"}"#
        );
    }

    #[test]
    fn what_it_mends_parses_and_short_escapes_do_not_panic() {
        let m = mend(br#"{"t":"x \ud83d y \udfff"}"#).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&m).unwrap();
        assert_eq!(v["t"], "x \u{fffd} y \u{fffd}");
        for cut in [r"\", r"\u", r"\ud8", r"\ud83", "\\ud83d\\u", "\\ud83d\\udc"] {
            assert_eq!(
                mended(cut),
                if cut.len() >= 6 {
                    Some("\\ufffd".to_string() + &cut[6..])
                } else {
                    None
                },
                "{cut}"
            );
        }
    }
}
