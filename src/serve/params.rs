//! Query parameters of the API, checked before any work is done.
//!
//! A dashboard or a script that sends `from=yesterday` deserves to be told
//! which parameter was wrong and what would be right, not an empty curve, so
//! every parameter is parsed here into a typed value and every failure is an
//! [`ApiError`] naming the parameter. Unknown and repeated parameters are
//! refused too: a typo such as `?form=` silently ignored would answer a
//! question nobody asked.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::query::Granularity;

/// An answer that is not the data asked for: its status, and the JSON body
/// `{"error": "...", "parameter": "from"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub parameter: Option<String>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

impl ApiError {
    /// A 400 naming the parameter at fault.
    pub fn bad(parameter: &str, error: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: error.into(),
            parameter: Some(parameter.to_string()),
        }
    }

    /// A 404 naming the parameter that points at nothing.
    pub fn not_found(parameter: Option<&str>, error: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            error: error.into(),
            parameter: parameter.map(str::to_string),
        }
    }

    /// A 503: the server is too busy to build this answer now (the
    /// router adds `Retry-After`).
    pub fn busy(error: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: error.into(),
            parameter: None,
        }
    }

    /// A 500: the store failed, not the request.
    pub fn internal(error: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: error.into(),
            parameter: None,
        }
    }

    pub fn body(&self) -> serde_json::Value {
        serde_json::to_value(ErrorBody {
            error: &self.error,
            parameter: self.parameter.as_deref(),
        })
        .unwrap_or_default()
    }
}

/// `from` and `to`, each optional.
pub type Range = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Longest accepted parameter value: nothing legitimate comes near it, and
/// echoing a huge value back in an error helps no one.
const MAX_VALUE_LEN: usize = 200;

/// The parameters of one request, known to be allowed and not repeated.
#[derive(Debug, Clone)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Checks the names against those the endpoint takes. An empty value
    /// (`from=`) counts as absent, so a form can send its empty fields.
    pub fn parse(pairs: Vec<(String, String)>, allowed: &[&str]) -> Result<Params, ApiError> {
        let mut kept: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for (name, value) in pairs {
            if !allowed.contains(&name.as_str()) {
                let shown: String = name.chars().take(40).collect();
                let takes = if allowed.is_empty() {
                    "no parameters".to_string()
                } else {
                    allowed.join(", ")
                };
                return Err(ApiError::bad(
                    &shown,
                    format!("unknown parameter {shown:?}; this endpoint takes {takes}"),
                ));
            }
            if kept.iter().any(|(n, _)| *n == name) {
                return Err(ApiError::bad(
                    &name,
                    format!("{name} is given more than once"),
                ));
            }
            if value.len() > MAX_VALUE_LEN {
                return Err(ApiError::bad(
                    &name,
                    format!("{name} is longer than {MAX_VALUE_LEN} bytes"),
                ));
            }
            kept.push((name, value));
        }
        Ok(Params { pairs: kept })
    }

    /// The parameters in a canonical order, for keeping answers: `b=2&a=1`
    /// and `a=1&b=2` ask the same question.
    pub fn key(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .filter_map(|(n, _)| self.get(n).map(|v| (n.as_str(), v)))
            .collect();
        pairs.sort();
        pairs
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The value, trimmed; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name)
            .ok_or_else(|| ApiError::bad(name, format!("{name} is required")))
    }

    pub fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.get(name)
            .map(|v| {
                crate::query::parse_time(v).ok_or_else(|| {
                    ApiError::bad(
                        name,
                        format!(
                            "{name} {v:?} is not a UTC time like 2012-12-24T20:00:00Z, \
                             2012-12-24T20 or 2012-12-24 (from 1970 on)"
                        ),
                    )
                })
            })
            .transpose()
    }

    /// `from` and `to`, with `from` not after `to`.
    pub fn range(&self) -> Result<Range, ApiError> {
        let from = self.time("from")?;
        let to = self.time("to")?;
        if crate::query::reversed(from, to) {
            return Err(ApiError::bad("from", "from is after to"));
        }
        Ok((from, to))
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.get(name)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(ApiError::bad(
                    name,
                    format!("{name} must be true or false, not {v:?}"),
                )),
            })
            .transpose()
    }

    /// A whole number in `min..=max`.
    pub fn number(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
        self.get(name)
            .map(|v| match v.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::bad(
                    name,
                    format!("{name} must be a whole number from {min} to {max}, not {v:?}"),
                )),
            })
            .transpose()
    }

    /// `by=hour|day`, hour by default.
    pub fn granularity(&self) -> Result<Granularity, ApiError> {
        match self.get("by").map(str::to_ascii_lowercase).as_deref() {
            None | Some("hour") => Ok(Granularity::Hour),
            Some("day") => Ok(Granularity::Day),
            Some(other) => Err(ApiError::bad(
                "by",
                format!("by must be hour or day, not {other:?}"),
            )),
        }
    }

    /// A region as the store spells it (see [`crate::query::parse_region`]);
    /// `None` for every region together.
    pub fn region(&self) -> Result<Option<String>, ApiError> {
        match self.get("region") {
            None => Ok(None),
            Some(v) => crate::query::parse_region(v)
                .map_err(|why| ApiError::bad("region", format!("region {why}"))),
        }
    }

    /// A topic name as the store spells it: lowercase letters, digits, `-`
    /// and `_`. Whether the topic exists is the caller's question (404).
    pub fn topic(&self) -> Result<String, ApiError> {
        let v = self.required("topic")?;
        let ok = v.len() <= 64
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(v.to_ascii_lowercase())
        } else {
            Err(ApiError::bad(
                "topic",
                "topic must be a topic name such as netflix (letters, digits, - and _)",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &[(&str, &str)], allowed: &[&str]) -> Result<Params, ApiError> {
        Params::parse(
            q.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            allowed,
        )
    }

    #[test]
    fn errors_name_the_parameter() {
        let p = params(
            &[("topic", "netflix"), ("from", "tomorrow")],
            &["topic", "from", "to"],
        )
        .unwrap();
        let e = p.range().unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.parameter.as_deref(), Some("from"));
        assert!(e.error.contains("\"tomorrow\""), "{}", e.error);
        assert_eq!(
            e.body(),
            serde_json::json!({"error": e.error, "parameter": "from"})
        );

        let p = params(
            &[("from", "2012-12-25"), ("to", "2012-12-24")],
            &["from", "to"],
        )
        .unwrap();
        assert_eq!(p.range().unwrap_err().error, "from is after to");
    }

    #[test]
    fn unknown_repeated_and_empty_parameters() {
        let e = params(&[("form", "x")], &["topic", "from"]).unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("form"));
        assert_eq!(
            e.error,
            "unknown parameter \"form\"; this endpoint takes topic, from"
        );
        let e = params(&[("topic", "a"), ("topic", "b")], &["topic"]).unwrap_err();
        assert_eq!(e.error, "topic is given more than once");
        let p = params(&[("topic", "Netflix"), ("from", "")], &["topic", "from"]).unwrap();
        assert_eq!(p.get("from"), None);
        assert_eq!(p.key(), "topic=Netflix");
        let q = params(&[("to", "2"), ("from", " 1")], &["from", "to"]).unwrap();
        assert_eq!(q.key(), "from=1&to=2");
        assert_eq!(p.topic().unwrap(), "netflix");
        let p = params(&[], &["topic"]).unwrap();
        assert_eq!(p.topic().unwrap_err().error, "topic is required");
        let p = params(&[("topic", "<script>")], &["topic"]).unwrap();
        assert_eq!(p.topic().unwrap_err().parameter.as_deref(), Some("topic"));
    }

    #[test]
    fn numbers_booleans_regions_and_buckets() {
        let p = params(
            &[
                ("limit", "0"),
                ("complaints", "TRUE"),
                ("region", "br"),
                ("by", "Day"),
                ("incident", "-1"),
            ],
            &["limit", "complaints", "region", "by", "incident"],
        )
        .unwrap();
        assert_eq!(
            p.number("limit", 1, 1000).unwrap_err().error,
            "limit must be a whole number from 1 to 1000, not \"0\""
        );
        assert!(p.number("incident", 1, 100).is_err());
        assert_eq!(p.number("absent", 1, 5).unwrap(), None);
        assert_eq!(p.bool("complaints").unwrap(), Some(true));
        assert_eq!(p.region().unwrap().as_deref(), Some("BR"));
        assert_eq!(p.granularity().unwrap(), Granularity::Day);

        let p = params(
            &[("region", "USA"), ("by", "week"), ("c", "maybe")],
            &["region", "by", "c"],
        )
        .unwrap();
        assert_eq!(p.region().unwrap_err().parameter.as_deref(), Some("region"));
        assert_eq!(
            p.granularity().unwrap_err().error,
            "by must be hour or day, not \"week\""
        );
        assert!(p.bool("c").is_err());
        // Well formed, but no post is ever placed in ZZ.
        let p = params(&[("region", "ZZ")], &["region"]).unwrap();
        let e = p.region().unwrap_err();
        assert_eq!(e.parameter.as_deref(), Some("region"));
        assert!(
            e.error.starts_with("region \"ZZ\" is not a country's"),
            "{}",
            e.error
        );
        let p = params(&[("region", "Unknown")], &["region"]).unwrap();
        assert_eq!(p.region().unwrap().as_deref(), Some("unknown"));
        // `other` groups small regions in a spread; no counter is kept
        // under it.
        let p = params(&[("region", "other")], &["region"]).unwrap();
        assert!(p.region().is_err());
        // `all` is what the curve calls every region together.
        let p = params(&[("region", "All")], &["region"]).unwrap();
        assert_eq!(p.region().unwrap(), None);
    }
}
