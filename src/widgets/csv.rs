//! CSV text for tables (RFC 4180: comma separated, fields quoted when they
//! hold a comma, a quote or a line break). Numbers shown with digit
//! grouping ("1,248,424") are written plain ("1248424") so a spreadsheet
//! reads them as numbers.

/// One CSV field, quoted when needed.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Characters the page uses to group digits or as spacing inside numbers.
const GROUPING: [char; 5] = [',', '\u{2009}', '\u{202f}', '\u{a0}', ' '];

/// `s` without digit grouping when it is a grouped number ("1,248,424",
/// "−3 200.5"), with a Unicode minus read as `-`; any other text unchanged
/// (trimmed, whitespace runs collapsed to one space).
pub fn plain_number(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t.trim();
    let body = t.replace('\u{2212}', "-");
    let digits: String = body.chars().filter(|c| !GROUPING.contains(c)).collect();
    let (sign, rest) = match digits.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", digits.as_str()),
    };
    let mut parts = rest.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let grouped_ok = {
        // Groups after the first have exactly three digits.
        let groups: Vec<&str> = body
            .trim_start_matches('-')
            .split('.')
            .next()
            .unwrap_or("")
            .split(|c| GROUPING.contains(&c))
            .collect();
        groups.len() == 1
            || (groups[0].len() <= 3
                && !groups[0].is_empty()
                && groups[1..].iter().all(|g| g.len() == 3))
    };
    let numeric = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    if numeric && grouped_ok {
        format!("{sign}{rest}")
    } else {
        t.to_string()
    }
}

/// Rows of cell texts as CSV (numbers made plain, fields escaped), one line
/// per row, each ending in `\n`.
pub fn to_csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r.iter().map(|c| field(&plain_number(c))).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b\"c"), "\"a,b\"\"c\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn grouped_numbers_become_plain() {
        assert_eq!(plain_number("1,248,424"), "1248424");
        assert_eq!(plain_number(" 147,584 "), "147584");
        assert_eq!(plain_number("\u{2212}3\u{2009}200.5"), "-3200.5");
        assert_eq!(plain_number("12"), "12");
        assert_eq!(plain_number("0.25"), "0.25");
        // Not numbers, or not digit grouping: left as text.
        assert_eq!(plain_number("weight [4, 3, 3, 3]"), "weight [4, 3, 3, 3]");
        assert_eq!(plain_number("3, 4"), "3, 4");
        assert_eq!(plain_number("12,34"), "12,34");
        assert_eq!(plain_number("8.9\u{d7}"), "8.9\u{d7}");
        assert_eq!(plain_number("1."), "1.");
        assert_eq!(plain_number("a  b\n c"), "a b c");
    }

    #[test]
    fn rows_make_csv() {
        let rows = vec![
            vec!["layer".to_string(), "params".to_string()],
            vec!["conv 3×3, g=2".to_string(), "1,152".to_string()],
            vec!["say \"hi\"".to_string(), "7".to_string()],
        ];
        assert_eq!(
            to_csv(&rows),
            "layer,params\n\"conv 3×3, g=2\",1152\n\"say \"\"hi\"\"\",7\n"
        );
        assert_eq!(to_csv(&[]), "");
    }
}
