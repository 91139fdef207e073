//! CSV that is safe to open in a spreadsheet.
//!
//! Post text is written by strangers; a cell starting `=` or `@` is run as a
//! formula by Excel, LibreOffice and Google Sheets. Such cells are prefixed
//! with an apostrophe, which those programs show as text.

/// Makes a cell inert if a spreadsheet would evaluate it.
pub fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_kept() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("+1"), "'+1");
        assert_eq!(inert("-2+3"), "'-2+3");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("\tx"), "'\tx");
        assert_eq!(inert("netflix is down"), "netflix is down");
        assert_eq!(inert(""), "");
    }
}
