//! OFAC's CSV dialect: no header, fields double-quoted when they hold text, `""` inside quotes, CRLF or LF,
//! and a DOS end-of-file byte (0x1A) on the last line. Written here rather than taken from a general CSV
//! crate so that every error can name the line a record starts on.

use super::ListError;

/// One record and the 1-based line it starts on.
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Splits `bytes` into records. Invalid UTF-8 is decoded as Windows-1252, which is what older OFAC files
/// used; this never fails on encoding.
pub(crate) fn records(file: &str, bytes: &[u8]) -> Result<Vec<Record>, ListError> {
    let text = decode(bytes);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    loop {
        // Skip blank lines and the end-of-file byte.
        while let Some(&c) = chars.peek() {
            match c {
                '\r' | '\u{1a}' => {
                    chars.next();
                }
                '\n' => {
                    chars.next();
                    line += 1;
                }
                _ => break,
            }
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    return Err(ListError::at(
                        file,
                        start,
                        "record",
                        "a quoted field is never closed",
                    ));
                }
                fields.push(finish(field, was_quoted));
                break;
            };
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        line += 1;
                        field.push(' ');
                    }
                    '\r' => {}
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                '"' if field.trim().is_empty() && !was_quoted => {
                    field.clear();
                    quoted = true;
                    was_quoted = true;
                }
                ',' => {
                    fields.push(finish(std::mem::take(&mut field), was_quoted));
                    was_quoted = false;
                }
                '\n' => {
                    line += 1;
                    fields.push(finish(std::mem::take(&mut field), was_quoted));
                    break;
                }
                '\r' | '\u{1a}' => {}
                _ => field.push(c),
            }
        }
        out.push(Record {
            line: start,
            fields,
        });
    }
}

/// `-0-` is OFAC's empty value; it arrives with a trailing space.
fn finish(field: String, was_quoted: bool) -> String {
    if was_quoted {
        return field;
    }
    let trimmed = field.trim();
    if trimmed == "-0-" {
        String::new()
    } else if trimmed.len() == field.len() {
        field
    } else {
        trimmed.to_owned()
    }
}

fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        records("t.csv", text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|r| r.fields)
            .collect()
    }

    #[test]
    fn reads_ofac_quoting_and_empties() {
        assert_eq!(
            fields("36,\"AERO, \"\"X\"\"\",-0- ,aka\r\n\u{1a}"),
            vec![vec!["36", "AERO, \"X\"", "", "aka"]]
        );
    }

    #[test]
    fn counts_lines_across_quoted_newlines() {
        let records = records("t.csv", b"1,\"a\nb\"\n2,c\n").unwrap();
        assert_eq!(records[0].fields, vec!["1", "a b"]);
        assert_eq!(records[1].line, 3);
    }

    #[test]
    fn unclosed_quote_names_file_and_line() {
        let err = records("alt.csv", b"1,a\n2,\"open").err().unwrap();
        assert_eq!(
            err.to_string(),
            "alt.csv line 2, field record: a quoted field is never closed"
        );
    }

    #[test]
    fn latin1_bytes_decode() {
        assert_eq!(fields("1,Jos\u{e9}")[0][1], "José");
        assert_eq!(records("t.csv", b"1,Jos\xe9").unwrap()[0].fields[1], "José");
    }
}
