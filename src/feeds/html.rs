//! Mastodon (and RSS) HTML turned into the plain text the tagger reads.
//!
//! A toot's `content` is HTML: paragraphs, `<br>`, links whose hashtag is
//! split as `#<span>netflix</span>`, and long URLs cut into "invisible" and
//! "ellipsis" spans that only CSS hides. Tagging needs the words as the
//! author typed them: tags are dropped (a paragraph or line break becomes a
//! line break), entities are decoded, and the invisible spans are *kept*, so
//! a URL comes back whole instead of as its visible fragment (the ellipsis is
//! drawn by CSS, so no "…" is added). Not a full HTML parser: one linear pass
//! that cannot fail or loop, whatever the input.

/// Elements whose content is never text.
const SKIPPED: [&str; 4] = ["script", "style", "head", "template"];

pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skipping: Option<&'static str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skipping.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let after = &rest[lt + 1..];
        // "<" not followed by a tag start is a literal (`a < b`).
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            if skipping.is_none() {
                out.push('<');
            }
            rest = after;
            continue;
        }
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let end = tag_end(after);
        let tag = &after[..end];
        rest = after.get(end + 1..).unwrap_or("");
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if let Some(skip) = skipping {
            if closing && name == skip {
                skipping = None;
            }
            continue;
        }
        if !closing {
            if let Some(skip) = SKIPPED.iter().find(|s| **s == name) {
                skipping = Some(skip);
                continue;
            }
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "blockquote" | "ul" | "ol" | "pre" | "h1" | "h2" | "h3" | "h4" | "h5"
            | "h6" | "table" => paragraph(&mut out),
            "li" | "tr" if !closing => line(&mut out),
            "td" | "th" if !closing => out.push(' '),
            _ => {}
        }
    }
    tidy(&out)
}

/// Where a tag ends: the first `>` outside a quoted attribute value.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i,
            _ => {}
        }
    }
    s.len()
}

fn push_text(out: &mut String, raw: &str) {
    if raw.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(raw);
    // Source newlines are layout, not text: HTML collapses them to spaces.
    for c in decoded.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\u{a0}' => out.push(' '),
            c => out.push(c),
        }
    }
}

fn paragraph(out: &mut String) {
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

fn line(out: &mut String) {
    if !out.is_empty() {
        out.push('\n');
    }
}

/// Spaces collapsed within lines, lines trimmed, at most one blank line in a
/// row, none at either end.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for raw_line in s.split('\n') {
        let words: Vec<&str> = raw_line.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&words.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_shaped_toot_becomes_plain_text() {
        let html = concat!(
            r#"<p>Is <span class="h-card" translate="no"><a href="https://mastodon.social/@netflix" class="u-url mention">@<span>netflix</span></a></span> down? "#,
            r#"Nothing loads &amp; the app says error&nbsp;12 "#,
            r#"<a href="https://mastodon.social/tags/NetflixDown" class="mention hashtag" rel="tag">#<span>NetflixDown</span></a></p>"#,
            r#"<p>see <a href="https://downdetector.example/status/netflix/" target="_blank" rel="nofollow noopener"><span class="invisible">https://</span><span class="ellipsis">downdetector.example/status/ne</span><span class="invisible">tflix/</span></a><br />since 8pm</p>"#,
        );
        assert_eq!(
            to_text(html),
            "Is @netflix down? Nothing loads & the app says error 12 #NetflixDown\n\n\
             see https://downdetector.example/status/netflix/\nsince 8pm"
        );
    }

    #[test]
    fn odd_markup_never_breaks_the_text() {
        assert_eq!(to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(to_text("<p>x</p><script>netflix()</script><p>y"), "x\n\ny");
        assert_eq!(to_text("<a title='>'>ok</a>"), "ok");
        assert_eq!(to_text("<!-- netflix --> down"), "down");
        assert_eq!(to_text("unterminated <a href=\"x"), "unterminated");
        assert_eq!(to_text("<ul><li>one</li><li>two</li></ul>"), "one\ntwo");
        assert_eq!(to_text("&#233;t&eacute; &lt;3"), "été <3");
        assert_eq!(to_text(""), "");
    }
}
