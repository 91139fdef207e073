//! The text at a dotted path (`text`, `data.text`) of one JSON line, found
//! without building the rest of the document.
//!
//! A tweet as the v1.1 API wrote it is some 2.7 KB of user object, entities
//! and counts around a 100-byte text. Parsing each line into a
//! `serde_json::Value` took three times as long as scoring the text. Here
//! the document is still read to its end, every part of it checked as a
//! `Value` would check it, so a line is refused exactly when, and with
//! the reason that, it was before, and a repeated key keeps its last value;
//! but whatever is not on the path is read past, never stored.
//!
//! serde's `IgnoredAny` would skip faster, but serde_json's skipping does not
//! check what a `Value` checks (a number beyond f64, nesting deeper than
//! 128): a line it refused would have been read.
//!
//! A line refused for holding a lone surrogate escape (half an emoji) is
//! read again mended, as `import` reads a tweet (see `sources::surrogates`).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use outcry::sources::surrogates;

/// What the path leads to.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// Some part of the path is missing, or leads through something that is
    /// not an object.
    Missing,
    NotString,
    Text(String),
}

/// Looks for `path` (the parts still to follow) in the value it is given.
struct Find<'p> {
    path: &'p [&'p str],
}

impl<'de> DeserializeSeed<'de> for Find<'_> {
    type Value = Found;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
        d.deserialize_any(self)
    }
}

impl Find<'_> {
    /// What a value other than a string or an object means here.
    fn other<E>(&self) -> Result<Found, E> {
        Ok(if self.path.is_empty() {
            Found::NotString
        } else {
            Found::Missing
        })
    }

    fn text<E>(&self, s: &str) -> Result<Found, E> {
        Ok(if self.path.is_empty() {
            Found::Text(s.to_string())
        } else {
            Found::Missing
        })
    }
}

impl<'de> Visitor<'de> for Find<'_> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, s: &str) -> Result<Found, E> {
        self.text(s)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Found, E> {
        self.other()
    }

    fn visit_i64<E>(self, _: i64) -> Result<Found, E> {
        self.other()
    }

    fn visit_u64<E>(self, _: u64) -> Result<Found, E> {
        self.other()
    }

    fn visit_f64<E>(self, _: f64) -> Result<Found, E> {
        self.other()
    }

    fn visit_unit<E>(self) -> Result<Found, E> {
        self.other()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Found, A::Error> {
        Skip.visit_seq(seq)?;
        self.other()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            Skip.visit_map(map)?;
            return Ok(Found::NotString);
        };
        let mut found = Found::Missing;
        while let Some(on_path) = map.next_key_seed(KeyIs(first))? {
            if on_path {
                // A repeated key: the last one counts, as in a `Value`.
                found = map.next_value_seed(Find { path: rest })?;
            } else {
                map.next_value_seed(Skip)?;
            }
        }
        Ok(found)
    }
}

/// Reads a value as a `Value` is read (the same checks of every string,
/// number and level of nesting, the same errors), keeping nothing.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// Whether an object's key is the one wanted, compared without copying it
/// (unless it holds escapes).
struct KeyIs<'p>(&'p str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// Why `field` cannot name a field, if it cannot: every line would be
/// answered with an error, so the run is refused before reading any.
pub(super) fn check_field(field: &str) -> Result<(), String> {
    if field.is_empty() {
        return Err("--field \"\" names no field: give the key of the text to score (text), or a dotted path to it (user.description)".into());
    }
    if field.split('.').any(str::is_empty) {
        return Err(format!("--field {field:?} has an empty key: dots separate the keys of a nested path (user.description), so none may be empty"));
    }
    Ok(())
}

/// The string at `field` (parts joined by dots) of the JSON document
/// `line`, or why there is none.
pub(super) fn text_at(line: &str, field: &str) -> Result<String, String> {
    let path: Vec<&str> = field.split('.').collect();
    let found = find(serde_json::Deserializer::from_str(line), &path)
        .or_else(|e| match surrogates::mend(line.as_bytes()) {
            // Valid lines never come here: the hot path pays nothing.
            Some(mended) => find(serde_json::Deserializer::from_slice(&mended), &path),
            None => Err(e),
        })
        .map_err(|e| format!("not JSON: {e}"))?;
    match found {
        Found::Text(text) => Ok(text),
        Found::Missing => Err(not_an_object(line).unwrap_or_else(|| format!("no field {field:?}"))),
        Found::NotString => Err(format!("field {field:?} is not a string")),
    }
}

/// What `path` leads to in the one document `de` reads.
fn find<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    path: &[&str],
) -> serde_json::Result<Found> {
    let found = Find { path }.deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

/// What the JSON document `line` is, when it is not an object: then no
/// field is missing from it, it holds none. Only for a line read whole.
fn not_an_object(line: &str) -> Option<String> {
    // A document that parsed starts, after JSON's whitespace, with its
    // value's first byte.
    let first = line
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .as_bytes()
        .first()?;
    let what = match first {
        b'{' => return None,
        b'[' => "a JSON array",
        b'"' => "a JSON string",
        b't' | b'f' => "a JSON boolean",
        b'n' => "JSON null",
        _ => "a JSON number",
    };
    Some(format!("{what}, not an object"))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What `outcry score --field` answered before, the whole line parsed
    /// into a `serde_json::Value`, with what it answers since: a line
    /// refused is parsed again mended, as `import` parses a tweet, and a
    /// document that is not an object is called what it is.
    fn through_value(line: &str, field: &str) -> Result<String, String> {
        use serde_json::Value;
        let value: Value = serde_json::from_str(line)
            .or_else(|e| match surrogates::mend(line.as_bytes()) {
                Some(mended) => serde_json::from_slice(&mended),
                None => Err(e),
            })
            .map_err(|e| format!("not JSON: {e}"))?;
        let what = match value {
            Value::Object(_) => None,
            Value::Array(_) => Some("a JSON array"),
            Value::String(_) => Some("a JSON string"),
            Value::Bool(_) => Some("a JSON boolean"),
            Value::Null => Some("JSON null"),
            Value::Number(_) => Some("a JSON number"),
        };
        if let Some(what) = what {
            return Err(format!("{what}, not an object"));
        }
        let mut at = &value;
        for part in field.split('.') {
            at = at.get(part).ok_or_else(|| format!("no field {field:?}"))?;
        }
        at.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("field {field:?} is not a string"))
    }

    #[test]
    fn hand_picked_lines_answer_as_a_value_did() {
        let lines = [
            r#"{"text":"netflix is down","user":{"name":"Ana","text":"bio"}}"#,
            r#"{"user":{"name":"Ana"},"text":"no funciona \u00e9 \ud83d\ude02 \"q\""}"#,
            r#"{"text":"first","text":"last"}"#,
            r#"{"text":"first","text":3}"#,
            r#"{"text":3,"text":"last"}"#,
            r#"{"data":{"text":"nested"}}"#,
            r#"{"data":["text"]}"#,
            r#"{"data":"text"}"#,
            r#"{"te\u0078t":"escaped key"}"#,
            r#"["text"]"#,
            r#""text""#,
            "42",
            " \t-1.5e3 ",
            "null",
            "\r\ntrue",
            "false",
            r#"{"text":null}"#,
            r#"{"text":{"a":1}}"#,
            r#"{"text":"ok"} trailing"#,
            r#"{"text":"ok","x":[1,2,}"#,
            r#"{"text":"ok","x":"\q"}"#,
            r#"{"text":"ok""#,
            "",
            "   ",
            r#"{"text":"ok"}   "#,
            r#"{"a":{"b":{"c":"deep"}},"a":{"b":{}}}"#,
        ];
        for line in lines {
            for field in ["text", "data.text", "user.name", "a.b.c", "te\u{78}t"] {
                assert_eq!(
                    text_at(line, field),
                    through_value(line, field),
                    "{line} / {field}"
                );
            }
        }
        assert_eq!(
            text_at(r#"{"text":"first","text":"last"}"#, "text"),
            Ok("last".to_string())
        );
        assert_eq!(
            text_at("[1,2,3]", "text"),
            Err("a JSON array, not an object".to_string())
        );
        assert_eq!(
            text_at(r#"{"data":[1]}"#, "data.text"),
            Err(r#"no field "data.text""#.to_string())
        );
    }

    #[test]
    fn half_an_emoji_is_read_as_import_reads_it() {
        // On the path, off it, as a key, and beside a whole pair.
        let lines = [
            (
                r#"{"text":"lone \ud83d surrogate"}"#,
                "lone \u{fffd} surrogate",
            ),
            (r#"{"text":"\udc00\ud83d\ude02"}"#, "\u{fffd}\u{1f602}"),
            (r#"{"user":{"name":"Ana \ud83d"},"text":"ok"}"#, "ok"),
            (r#"{"\ud800":1,"text":"ok"}"#, "ok"),
        ];
        for (line, text) in lines {
            assert_eq!(text_at(line, "text"), Ok(text.to_string()), "{line}");
        }
        // Mended, a line may still be refused: for what is wrong with it
        // besides, at the column it was.
        let cut = r#"{"text":"down \ud83d"#;
        let err = text_at(cut, "text").unwrap_err();
        assert!(
            err.starts_with("not JSON: EOF while parsing a string"),
            "{err}"
        );
        assert!(err.ends_with(&format!("column {}", cut.len())), "{err}");
    }

    #[test]
    fn a_field_with_an_empty_key_is_refused() {
        for ok in ["text", "user.description", "a.b.c", " "] {
            assert_eq!(check_field(ok), Ok(()), "{ok:?}");
        }
        assert!(check_field("").unwrap_err().contains("names no field"));
        for bad in ["a.", ".a", "a..b", "."] {
            let why = check_field(bad).unwrap_err();
            assert!(
                why.starts_with(&format!("--field {bad:?} has an empty key")),
                "{why}"
            );
        }
    }

    #[test]
    fn flaws_off_the_path_refuse_the_line_as_before() {
        // What serde's `IgnoredAny` would have let through (found in
        // review): a number beyond f64, nesting deeper than 128, anywhere
        // in the line. (A lone surrogate escape was one too; it is mended
        // now, see `half_an_emoji_is_read_as_import_reads_it`.)
        let deep = format!(
            r#"{{"x":{}{},"text":"ok"}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let lines = [
            r#"{"x":1e999,"text":"ok"}"#,
            r#"{"text":[1e999]}"#,
            r#"[-148879."#,
            r#"{"x":-1.,"text":"ok"}"#,
            deep.as_str(),
        ];
        for line in lines {
            let now = text_at(line, "text");
            assert!(
                now.as_ref().is_err_and(|e| e.starts_with("not JSON")),
                "{line}: {now:?}"
            );
            assert_eq!(now, through_value(line, "text"), "{line}");
        }
    }

    /// JSON values of a few levels, keys from a small set so that paths meet
    /// them.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            "[a-z é😂\"\\\\\n]{0,8}".prop_map(Value::String),
            // Escapes as other tools write them, lone surrogates included.
            // and what no `Value` holds (see `unmark`).
            prop::sample::select(vec!["\\u00e9", "\\ud83d\\ude02", "\\ud800", "\\udc00x"])
                .prop_map(|e| Value::String(format!("@ESC{e}@"))),
            Just(Value::String("@BIG@".into())),
            Just(Value::String("@DEEP@".into())),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop::sample::select(vec!["text", "data", "user", "a"]),
                        inner
                    ),
                    0..4
                )
                .prop_map(|entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    /// Writes the marked strings of `value()` as what they stand for: a raw
    /// escape, a number beyond f64, nesting deeper than serde_json's limit.
    fn unmark(line: &str) -> String {
        let deep = format!("{}1{}", "[".repeat(130), "]".repeat(130));
        line.replace(r"@ESC\\", r"\")
            .replace("\"@BIG@\"", "1e999")
            .replace("\"@DEEP@\"", &deep)
            .replace('@', "")
    }

    #[test]
    fn marks_stand_for_what_no_value_holds() {
        let v = serde_json::json!(["@ESC\\ud800@", "@BIG@", "@DEEP@"]);
        let line = unmark(&v.to_string());
        assert!(line.starts_with(r#"["\ud800",1e999,[[["#), "{line}");
        assert!(serde_json::from_str::<serde_json::Value>(&line).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn any_line_answers_as_a_value_did(
            v in value(),
            // Where to cut or spoil the line, as a share of its length.
            cut in prop::option::of(0.0f64..1.0),
            spoil in prop::option::of((0.0f64..1.0, prop::sample::select(vec!['{', '"', ',', ':', ']', 'x', '\\']))),
            field in prop::sample::select(vec!["text", "data.text", "user.a", "a", "a.a.a"]),
        ) {
            let mut line = unmark(&v.to_string());
            if let Some((at, c)) = spoil {
                let at = (line.len() as f64 * at) as usize;
                if line.is_char_boundary(at) {
                    line.insert(at, c);
                }
            }
            if let Some(cut) = cut {
                let at = (line.len() as f64 * cut) as usize;
                if line.is_char_boundary(at) {
                    line.truncate(at);
                }
            }
            prop_assert_eq!(text_at(&line, field), through_value(&line, field), "{}", line);
        }
    }
}
