//! `index.html`: the chart and the tables of a report on one page.
//!
//! It is the file a user attaches to a post-mortem, so it stands alone: the
//! SVG is inlined, the styles are inline, nothing is fetched. Everything
//! that came from posts is escaped, since post text is written by strangers.

use html_escape::encode_text;

use super::incidents::hour_rfc3339;
use super::posts::PostGroup;
use crate::detect::Incident;
use crate::spread::Spread;
use crate::store::keys::Hour;

pub struct Page<'a> {
    /// The topic's display name (`Netflix`).
    pub title: &'a str,
    pub topic: &'a str,
    /// The span the report covers, as text.
    pub span: String,
    pub svg: &'a str,
    pub incidents: &'a [Incident],
    /// The spread of the incident the report centres on.
    pub spread: Option<&'a Spread>,
    pub posts: &'a [PostGroup],
    /// The first and last hour the posts were taken from.
    pub posts_hours: (Hour, Hour),
    /// Whether those are the largest incident's hours (else the report's
    /// whole span): the posts are not those of the span in the title.
    pub posts_of_largest: bool,
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}\
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:0.9em}\
th{background:#f3f3f3}td.n{text-align:right}.muted{color:#777}";

fn cell(s: &str) -> String {
    format!("<td>{}</td>", encode_text(s))
}

fn num(s: impl std::fmt::Display) -> String {
    format!("<td class=\"n\">{s}</td>")
}

fn header(cols: &[&str]) -> String {
    let mut h = String::from("<tr>");
    for c in cols {
        h.push_str(&format!("<th>{}</th>", encode_text(c)));
    }
    h.push_str("</tr>\n");
    h
}

pub fn render(page: &Page) -> String {
    let mut html = String::new();
    let title = format!("{} complaints: outage report", page.title);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str(&format!("<title>{}</title>\n", encode_text(&title)));
    html.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    html.push_str(&format!("<h1>{}</h1>\n", encode_text(&title)));
    html.push_str(&format!(
        "<p class=\"muted\">Topic <code>{}</code>, {}. Times are UTC. Data: \
         <a href=\"curve.csv\">curve.csv</a>, <a href=\"incidents.csv\">incidents.csv</a>, \
         <a href=\"spread.csv\">spread.csv</a>, <a href=\"posts.csv\">posts.csv</a>.</p>\n",
        encode_text(page.topic),
        encode_text(&page.span)
    ));
    html.push_str("<figure>\n");
    html.push_str(page.svg.trim_start_matches(|c: char| c != '<'));
    html.push_str("\n</figure>\n");

    html.push_str("<h2>Incidents</h2>\n");
    if page.incidents.is_empty() {
        html.push_str("<p>No incident found: complaints stayed within their normal range.</p>\n");
    } else {
        html.push_str("<table>\n");
        html.push_str(&header(&[
            "#",
            "start",
            "peak",
            "end",
            "hours",
            "complaints",
            "peak",
            "baseline at peak",
            "ratio",
            "regions (first hit first)",
        ]));
        for inc in page.incidents {
            html.push_str(&format!(
                "<tr>{}{}{}{}{}{}{}{}{}{}</tr>\n",
                num(inc.number),
                cell(&hour_rfc3339(inc.start)),
                cell(&hour_rfc3339(inc.peak)),
                cell(&hour_rfc3339(inc.end)),
                num(inc.end - inc.start + 1),
                num(inc.complaints),
                num(inc.peak_complaints),
                num(format!("{:.2}", inc.baseline_at_peak)),
                num(format!("{:.1}", inc.ratio)),
                cell(&inc.regions.join(", ")),
            ));
        }
        html.push_str("</table>\n");
    }

    if let Some(spread) = page.spread {
        html.push_str(&format!(
            "<h2>Spread by region, {} to {} (the largest incident)</h2>\n<table>\n",
            encode_text(&hour_rfc3339(spread.from)),
            encode_text(&hour_rfc3339(spread.to))
        ));
        html.push_str(&header(&[
            "region",
            "onset",
            "peak",
            "end",
            "complaints",
            "peak",
            "share",
        ]));
        for r in &spread.rows {
            let t = |h: Option<u32>| h.map(hour_rfc3339).unwrap_or_else(|| "–".into());
            html.push_str(&format!(
                "<tr>{}{}{}{}{}{}{}</tr>\n",
                cell(&r.region),
                cell(&t(r.onset)),
                cell(&t(r.peak)),
                cell(&t(r.end)),
                num(r.complaints),
                num(r.peak_complaints),
                num(format!("{:.1}%", r.share * 100.0)),
            ));
        }
        html.push_str(
            "</table>\n<p class=\"muted\">Onset: the first hour the region's own \
             complaints rose significantly above its normal; regions without one had \
             complaints, but no more than usual.</p>\n",
        );
    }

    // posts.csv holds the same posts as this table, and more of them:
    // say which hours they come from, as the spread's heading does.
    let (posts_from, posts_to) = page.posts_hours;
    html.push_str(&format!(
        "<h2>What people said, {} to {}{}</h2>\n",
        encode_text(&hour_rfc3339(posts_from)),
        encode_text(&hour_rfc3339(posts_to)),
        if page.posts_of_largest {
            " (the largest incident)"
        } else {
            ""
        }
    ));
    html.push_str(
        "<p class=\"muted\">Complaints, identical texts grouped, most repeated first; \
         <a href=\"posts.csv\">posts.csv</a> lists more.</p>\n",
    );
    if page.posts.is_empty() {
        html.push_str("<p>No posts kept for this range.</p>\n");
    } else {
        html.push_str("<table>\n");
        html.push_str(&header(&[
            "first posted",
            "region",
            "lang",
            "label",
            "score",
            "count",
            "text",
        ]));
        for g in page.posts {
            let p = &g.first;
            let time = chrono::DateTime::from_timestamp(p.time, 0)
                .map(super::rfc3339)
                .unwrap_or_default();
            html.push_str(&format!(
                "<tr>{}{}{}{}{}{}{}</tr>\n",
                cell(&time),
                cell(&p.region),
                cell(p.lang.as_deref().unwrap_or("")),
                cell(g.label().as_str()),
                num(format!("{:+.3}", p.compound())),
                num(g.count),
                cell(p.text.as_deref().unwrap_or("(text not kept)")),
            ));
        }
        html.push_str("</table>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PostRecord;

    #[test]
    fn strangers_text_is_escaped_and_the_svg_inlined() {
        let posts = vec![PostGroup {
            first: PostRecord {
                source: "twitter".into(),
                id: "1".into(),
                time: 1_356_381_067,
                region: "US".into(),
                lang: Some("en".into()),
                compound_micros: -500_000,
                complaint: true,
                problem: true,
                repost: false,
                text: Some("<script>alert(1)</script> netflix is down".into()),
            },
            count: 3,
        }];
        let html = render(&Page {
            title: "Netflix",
            topic: "netflix",
            span: "2012-12-20 to 2012-12-27".into(),
            svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            incidents: &[],
            spread: None,
            posts: &posts,
            posts_hours: (378_450, 378_451),
            posts_of_largest: false,
        });
        assert!(html.contains("<svg xmlns"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; netflix is down"));
        assert!(html.contains("No incident found"));
        assert!(html.contains("<td class=\"n\">3</td>"));
        // 378_450 h is 2013-03-04T18:00Z.
        assert!(html
            .contains("<h2>What people said, 2013-03-04T18:00:00Z to 2013-03-04T19:00:00Z</h2>"));
    }

    #[test]
    fn incidents_are_listed_by_their_own_numbers() {
        // A report over a range lists the store's incident 4 alone: it is
        // still number 4, as `spread --incident 4` knows it.
        let incident = crate::detect::Incident {
            number: 4,
            topic: "netflix".into(),
            start: 376_772,
            peak: 376_775,
            end: 376_793,
            complaints: 1234,
            peak_complaints: 210,
            baseline_at_peak: 12.345,
            ratio: 17.0108,
            regions: vec!["US".into()],
        };
        let html = render(&Page {
            title: "Netflix",
            topic: "netflix",
            span: "2012-12-24 to 2012-12-25".into(),
            svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            incidents: &[incident],
            spread: None,
            posts: &[],
            posts_hours: (376_772, 376_793),
            posts_of_largest: true,
        });
        assert!(
            html.contains("<tr><td class=\"n\">4</td><td>2012-12-24T20:00:00Z</td>"),
            "{html}"
        );
    }
}
