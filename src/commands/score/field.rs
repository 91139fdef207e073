//! The text at a dotted path (`text`, `data.text`) of one JSON line, found
//! without building the rest of the document.
//!
//! A tweet as the v1.1 API wrote it is some 2.7 KB of user object, entities
//! and counts around a 100-byte text. Parsing each line into a
//! `serde_json::Value` took three times as long as scoring the text. Here
//! the document is still read to its end (so a broken line is refused just
//! as before, and a repeated key keeps its last value), but whatever is not
//! on the path is skipped as it is read, never stored.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.other()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Found::NotString);
        };
        let mut found = Found::Missing;
        while let Some(on_path) = map.next_key_seed(KeyIs(first))? {
            if on_path {
                // A repeated key: the last one counts, as in a `Value`.
                found = map.next_value_seed(Find { path: rest })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Whether an object's key is the one wanted, compared without copying it.
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

/// The string at `field` (parts joined by dots) of the JSON document
/// `line`, or why there is none.
pub(super) fn text_at(line: &str, field: &str) -> Result<String, String> {
    let path: Vec<&str> = field.split('.').collect();
    let mut de = serde_json::Deserializer::from_str(line);
    let found = Find { path: &path }
        .deserialize(&mut de)
        .and_then(|found| de.end().map(|()| found))
        .map_err(|e| format!("not JSON: {e}"))?;
    match found {
        Found::Text(text) => Ok(text),
        Found::Missing => Err(format!("no field {field:?}")),
        Found::NotString => Err(format!("field {field:?} is not a string")),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What `outcry score --field` answered before: the whole line parsed
    /// into a `serde_json::Value`.
    fn through_value(line: &str, field: &str) -> Result<String, String> {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
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
    }

    #[test]
    fn a_broken_number_off_the_path_is_refused_in_other_words() {
        // Found by the proptest below: skipping reads a cut number as
        // "invalid number" where a `Value` ran out of input.
        for line in ["[-148879.", r#"{"x":-1.,"text":"ok"}"#] {
            let (now, before) = (text_at(line, "text"), through_value(line, "text"));
            assert!(now.unwrap_err().starts_with("not JSON"), "{line}");
            assert!(before.unwrap_err().starts_with("not JSON"), "{line}");
        }
    }

    #[test]
    fn flaws_off_the_path_that_are_not_syntax_no_longer_refuse_the_line() {
        // A `Value` refused these for a part it never used; their text is
        // read now. Syntax errors anywhere still refuse the line.
        let deep = format!(
            r#"{{"x":{}{},"text":"ok"}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        for line in [r#"{"x":1e999,"text":"ok"}"#, deep.as_str()] {
            assert!(through_value(line, "text").is_err(), "{line}");
            assert_eq!(text_at(line, "text"), Ok("ok".to_string()), "{line}");
        }
        let line = r#"{"text":1e999}"#;
        assert!(text_at(line, "text").unwrap_err().starts_with("not JSON"));
        let deep = format!(r#"{{"text":{}"ok"{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(text_at(&deep, "text")
            .unwrap_err()
            .contains("is not a string"));
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
            let mut line = v.to_string();
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
            // A broken line is refused either way, though the reason may be
            // worded otherwise ("invalid number" where a `Value` said "EOF
            // while parsing a value").
            let (now, before) = (text_at(&line, field), through_value(&line, field));
            match (&now, &before) {
                (Err(a), Err(b)) if b.starts_with("not JSON") => {
                    prop_assert!(a.starts_with("not JSON"), "{} / {}: {}", a, b, line);
                }
                _ => prop_assert_eq!(now, before, "{}", line),
            }
        }
    }
}
