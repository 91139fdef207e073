//! One line of `outcry score` output, written by hand into a reused buffer.
//!
//! The output is what `serde_json::to_string` of a struct of these fields
//! wrote before (tests below hold it to that, byte for byte), without the
//! float-to-text conversions and the allocation per line that scoring a
//! million posts a second cannot afford. The buffer is bytes, not a
//! `String`: what goes in is ASCII or already a `&str`, and the digits of
//! each number would otherwise be checked as UTF-8 on their way in.

use outcry::pipeline::Judged;

/// Appends `x` rounded to four decimals as serde_json writes an `f64`.
///
/// A rounded score is `k / 10000` for a small integer `k`, whose shortest
/// round-trip form is its plain decimal: written from `k` directly, that is
/// a few integer operations instead of a float-to-text conversion. Anything
/// else (never seen: scores lie in [-1, 1]) goes through serde_json itself.
/// Five scores a line made this the dearest step of scoring a short post,
/// so the digits come in pairs from a table and the rounding avoids the
/// library call `f64::round` compiles to on a baseline x86-64 target.
fn push_score(out: &mut Vec<u8>, x: f64) {
    let scaled = (x * 10_000.0).abs();
    if scaled.is_nan() || scaled >= 1e6 {
        // NaN, infinities and the never-seen large scores.
        let r = (x * 10_000.0).round() / 10_000.0;
        out.extend_from_slice(
            serde_json::to_string(&r)
                .as_deref()
                .unwrap_or("null")
                .as_bytes(),
        );
        return;
    }
    // Half away from zero, as `round`: the fraction is exact below 2^52.
    let whole_part = scaled as u32;
    let k = whole_part + u32::from(scaled - f64::from(whole_part) >= 0.5);
    let (whole, frac) = (k / 10_000, k % 10_000);
    // Sign, up to three digits, the point, four decimals: trailing zeros of
    // the decimals are dropped below, all but the first.
    let mut buf = [b'-', b'0', b'0', b'0', b'.', 0, 0, 0, 0];
    let [hi0, hi1] = pair(frac / 100);
    let [lo0, lo1] = pair(frac % 100);
    buf[5] = hi0;
    buf[6] = hi1;
    buf[7] = lo0;
    buf[8] = lo1;
    let [w1, w2] = pair(whole % 100);
    buf[2] = w1;
    buf[3] = w2;
    buf[1] = b'0' + (whole / 100) as u8;
    let mut start = match whole {
        0..=9 => 3,
        10..=99 => 2,
        _ => 1,
    };
    // A score that rounds to zero has no sign: "-0.0" beside a neutral
    // label reads as a lean that is not there (serde_json would write it).
    if x.is_sign_negative() && k != 0 {
        start -= 1;
        buf[start] = b'-';
    }
    let end = match frac {
        _ if frac % 1000 == 0 => 6,
        _ if frac % 100 == 0 => 7,
        _ if frac % 10 == 0 => 8,
        _ => 9,
    };
    out.extend_from_slice(buf.get(start..end).unwrap_or(b"0.0"));
}

/// The two decimal digits of `n` (below 100).
#[inline]
fn pair(n: u32) -> [u8; 2] {
    const DIGITS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
    let i = (n as usize % 100) * 2;
    [DIGITS[i], DIGITS[i + 1]]
}

/// Appends `s` as a JSON string the way serde_json does: only `"`, `\` and
/// control characters are escaped, and those rare strings go through
/// serde_json itself.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.extend_from_slice(
            serde_json::to_string(s)
                .as_deref()
                .unwrap_or("\"\"")
                .as_bytes(),
        );
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Appends one output line (with its newline): the fields of the old
/// `serde_json::to_string` of a struct, in the same order and format.
pub(super) fn render_into(j: &Judged, out: &mut Vec<u8>) {
    // Shown so that the documented thresholds, applied to the printed
    // numbers, give the printed label and flag.
    let compound = j.sentiment.label.shown_compound(j.sentiment.compound);
    let complaint_score = j.complaint.shown_score();
    out.extend_from_slice("{\"compound\":".as_bytes());
    push_score(out, compound);
    out.extend_from_slice(",\"positive\":".as_bytes());
    push_score(out, j.sentiment.positive);
    out.extend_from_slice(",\"neutral\":".as_bytes());
    push_score(out, j.sentiment.neutral);
    out.extend_from_slice(",\"negative\":".as_bytes());
    push_score(out, j.sentiment.negative);
    out.extend_from_slice(",\"label\":\"".as_bytes());
    out.extend_from_slice(j.sentiment.label.as_str().as_bytes());
    out.extend_from_slice("\",\"complaint\":".as_bytes());
    out.extend_from_slice(if j.complaint.complaint {
        b"true"
    } else {
        b"false"
    });
    out.extend_from_slice(",\"complaint_score\":".as_bytes());
    push_score(out, complaint_score);
    out.extend_from_slice(",\"lang\":\"".as_bytes());
    out.extend_from_slice(j.lang.code().as_bytes());
    out.extend_from_slice("\",\"signals\":[".as_bytes());
    for (i, s) in j.complaint.signals.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_str(out, s);
    }
    out.extend_from_slice("]}\n".as_bytes());
}

pub(super) fn render_error(n: u64, reason: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(
        serde_json::json!({ "line": n, "error": reason })
            .to_string()
            .as_bytes(),
    );
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcry::lang::Lang;
    use outcry::sentiment::Label;

    /// What the scores were rounded with before they were written by hand.
    fn round(x: f64) -> f64 {
        (x * 10_000.0).round() / 10_000.0
    }

    /// As serde_json writes the rounded score, zero unsigned.
    fn serde_score(x: f64) -> String {
        let r = round(x);
        serde_json::to_string(&if r == 0.0 { 0.0 } else { r }).unwrap()
    }

    fn pushed(x: f64) -> String {
        let mut s = Vec::new();
        push_score(&mut s, x);
        String::from_utf8(s).unwrap()
    }

    #[test]
    fn scores_are_written_as_serde_json_writes_them() {
        for k in -1_000_000..=1_000_000 {
            let x = f64::from(k) / 10_000.0;
            assert_eq!(pushed(x), serde_score(x), "{x}");
        }
        assert_eq!(pushed(-0.00001), "0.0");
        assert_eq!(pushed(-0.0), "0.0");
        assert_eq!(pushed(-0.00005), "-0.0001");
        assert_eq!(pushed(0.0001), "0.0001");
        assert_eq!(pushed(0.12345), serde_score(0.12345));
        for x in [
            -0.0,
            1e-9,
            -1e-9,
            0.99995,
            -0.99995,
            1.0 / 3.0,
            -2.0 / 3.0,
            123.456789,
            99.99995,
            -99.99995,
            99.99994999,
            100.0,
            -100.00005,
            0.000_049_999_999_999_999_996,
            -0.000_05,
            5e-324,
            -5e-324,
            -1e-310,
            1e7,
            -1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(pushed(x), serde_score(x), "{x}");
        }
        let mut x = -1.5f64;
        while x < 1.5 {
            assert_eq!(pushed(x), serde_score(x), "{x}");
            x += 0.000_013_7;
        }
    }

    #[test]
    fn lines_are_written_as_serde_json_writes_them() {
        use outcry::lexicons::Lexicons;
        use outcry::pipeline::Pipeline;
        use outcry::sentiment::Sentiment;
        let pipeline = Pipeline::new(&Lexicons::embedded()).unwrap();
        // A real judgement, its figures and signals then set to ones that
        // need every case of the writing (rounding up, quotes, escapes).
        let mut j = pipeline.judge("netflix não funciona", &[], Some(Lang::Pt));
        j.sentiment = Sentiment {
            compound: -0.52345,
            positive: 0.0,
            neutral: 0.25,
            negative: 0.75,
            label: Label::Negative,
        };
        j.complaint.score = 0.91;
        j.complaint.complaint = true;
        j.complaint.signals = vec![
            "outage".into(),
            "problem:não \"funciona\"\t".into(),
            "problem:\u{1}\\".into(),
        ];
        #[derive(serde::Serialize)]
        struct Line<'a> {
            compound: f64,
            positive: f64,
            neutral: f64,
            negative: f64,
            label: &'static str,
            complaint: bool,
            complaint_score: f64,
            lang: &'static str,
            signals: &'a [String],
        }
        let want = serde_json::to_string(&Line {
            compound: round(j.sentiment.compound),
            positive: round(j.sentiment.positive),
            neutral: round(j.sentiment.neutral),
            negative: round(j.sentiment.negative),
            label: j.sentiment.label.as_str(),
            complaint: j.complaint.complaint,
            complaint_score: round(j.complaint.score),
            lang: j.lang.code(),
            signals: &j.complaint.signals,
        })
        .unwrap();
        let mut got = Vec::new();
        render_into(&j, &mut got);
        assert_eq!(String::from_utf8(got).unwrap(), format!("{want}\n"));
        let mut err = Vec::new();
        render_error(7, "no field \"text\"", &mut err);
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "{\"error\":\"no field \\\"text\\\"\",\"line\":7}\n"
        );
    }

    #[test]
    fn scores_a_hair_below_a_threshold_do_not_print_as_it() {
        use outcry::lexicons::Lexicons;
        use outcry::pipeline::Pipeline;
        let pipeline = Pipeline::new(&Lexicons::embedded()).unwrap();
        let mut j = pipeline.judge("the table", &[], Some(Lang::En));
        let line = |j: &Judged| {
            let mut s = Vec::new();
            render_into(j, &mut s);
            serde_json::from_slice::<serde_json::Value>(&s).unwrap()
        };
        // Not flagged, a hair under 0.5: printed as 0.4999, not 0.5.
        j.complaint.complaint = false;
        j.complaint.score = 0.499_996;
        assert_eq!(line(&j)["complaint_score"], 0.4999);
        // Flagged at exactly 0.5, and not flagged well below: as they are.
        j.complaint.complaint = true;
        j.complaint.score = 0.5;
        assert_eq!(line(&j)["complaint_score"], 0.5);
        j.complaint.complaint = false;
        j.complaint.score = 0.123_44;
        assert_eq!(line(&j)["complaint_score"], 0.1234);
        // Neutral a hair inside ±0.05: printed inside, either side.
        j.sentiment.label = Label::Neutral;
        j.sentiment.compound = 0.049_996;
        assert_eq!(line(&j)["compound"], 0.0499);
        j.sentiment.compound = -0.049_996;
        assert_eq!(line(&j)["compound"], -0.0499);
        j.sentiment.compound = 0.0123;
        assert_eq!(line(&j)["compound"], 0.0123);
        // Positive and negative compounds are never moved.
        j.sentiment.label = Label::Positive;
        j.sentiment.compound = 0.05;
        assert_eq!(line(&j)["compound"], 0.05);
        j.sentiment.label = Label::Negative;
        j.sentiment.compound = -0.7;
        assert_eq!(line(&j)["compound"], -0.7);
    }
}
