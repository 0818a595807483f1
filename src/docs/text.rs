//! Plain text and HTML: split into located paragraphs.

use super::{Extracted, TextBlock};

/// Longest paragraph kept as one block; longer runs (a log with no blank lines) are cut at a
/// line end so that a block stays a "nearby" context.
pub const MAX_BLOCK_CHARS: usize = 4000;

/// Plain text: paragraphs separated by blank lines, located by the line they start on.
pub fn plain(text: &str) -> Extracted {
    let mut out = Extracted::default();
    let mut cur = String::new();
    let mut start = 0u64;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if line.trim().is_empty() || cur.len() > MAX_BLOCK_CHARS {
            flush(&mut out.text, &mut cur, start, "line");
            if line.trim().is_empty() {
                continue;
            }
        }
        if cur.is_empty() {
            start = n;
        } else {
            cur.push('\n');
        }
        cur.push_str(line);
    }
    flush(&mut out.text, &mut cur, start, "line");
    out
}

fn flush(blocks: &mut Vec<TextBlock>, cur: &mut String, number: u64, unit: &str) {
    if !cur.trim().is_empty() {
        blocks.push(TextBlock {
            loc: format!("{unit} {number}"),
            number,
            text: std::mem::take(cur),
        });
    }
    cur.clear();
}

/// Tags that end a paragraph.
const BLOCK_TAGS: [&str; 20] = [
    "p",
    "div",
    "br",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
];

/// HTML: tags dropped (script and style with their content), entities decoded, block tags end
/// paragraphs, table cells are separated by spaces. Paragraphs are numbered in order.
pub fn html(src: &str) -> Extracted {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut rest = src;
    while let Some(lt) = rest.find('<') {
        cur.push_str(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let closing = rest[1..gt].starts_with('/');
        let tag = rest[1..gt].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[gt + 1..];
        if !closing && (name == "script" || name == "style") {
            // Skip to the closing tag, in any case, without copying the rest of the file
            // (a saved page can hold thousands of these).
            let close = format!("</{name}");
            let mut at = None;
            let mut from = 0;
            while let Some(i) = rest[from..].find("</") {
                let start = from + i;
                if rest.as_bytes()[start..]
                    .get(..close.len())
                    .is_some_and(|b| b.eq_ignore_ascii_case(close.as_bytes()))
                {
                    at = Some(start);
                    break;
                }
                from = start + 2;
            }
            rest = at.map_or("", |e| &rest[e..]);
            continue;
        }
        if BLOCK_TAGS.contains(&name.as_str()) {
            push_para(&mut paras, &mut cur);
        } else if name == "td" || name == "th" {
            cur.push(' ');
        }
    }
    cur.push_str(&decode_entities(rest));
    push_para(&mut paras, &mut cur);
    let mut out = Extracted::default();
    for (i, p) in paras.into_iter().enumerate() {
        out.text.push(TextBlock {
            loc: format!("paragraph {}", i + 1),
            number: i as u64 + 1,
            text: p,
        });
    }
    out
}

fn push_para(paras: &mut Vec<String>, cur: &mut String) {
    let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    if !t.is_empty() {
        paras.push(t);
    }
    cur.clear();
}

/// Decodes the HTML entities a letter or export uses (named ones of Latin-1 text, and
/// numeric ones).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "pound" => Some('£'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_paragraphs_carry_their_first_line() {
        let e = plain("Dear Mrs Smith,\n\nYour rent is due.\nPay by Friday.\n\n\nRegards\n");
        let got: Vec<(&str, &str)> = e
            .text
            .iter()
            .map(|b| (b.loc.as_str(), b.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("line 1", "Dear Mrs Smith,"),
                ("line 3", "Your rent is due.\nPay by Friday."),
                ("line 7", "Regards")
            ]
        );
    }

    #[test]
    fn html_drops_tags_scripts_and_decodes_entities() {
        let e = html(
            "<html><head><style>p{color:red}</style><script>var a='<p>x</p>';</script></head>\
             <body><p>Mary&nbsp;O&#39;Brien &amp; son</p><!-- <p>hidden</p> -->\
             <table><tr><td>DOB</td><td>01/02/1980</td></tr></table><p>SW1A&#x20;1AA</body>",
        );
        let got: Vec<&str> = e.text.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(got, ["Mary O'Brien & son", "DOB 01/02/1980", "SW1A 1AA"]);
        assert_eq!(e.text[1].loc, "paragraph 2");
    }

    #[test]
    fn scripts_and_styles_end_at_their_closing_tag_in_any_case() {
        let e = html(
            "<p>Before</p><SCRIPT>document.write('</div><p>no</p>')</Script ><p>After</p>\
             <style>a{}</STYLE><p>Last</p><script>never closed <p>gone</p>",
        );
        let got: Vec<&str> = e.text.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(got, ["Before", "After", "Last"]);
        // Many scripts: each skipped from where it stands.
        let page: String = (0..2000)
            .map(|i| format!("<script>var x{i} = '</b>';</script><p>Para {i}</p>"))
            .collect();
        assert_eq!(html(&page).text.len(), 2000);
    }

    #[test]
    fn stray_ampersands_and_unknown_entities_stay() {
        assert_eq!(decode_entities("A & B &foo; &#65;"), "A & B &foo; A");
    }

    proptest::proptest! {
        /// Any markup or text is read without a panic.
        #[test]
        fn any_markup_is_read_without_panic(src in "(<p>|</p>|<script>|</script>|<!--|-->|&amp;|&#x|&#|;|<|>|\\PC){0,80}") {
            let _ = html(&src);
            let _ = plain(&src);
            let _ = decode_entities(&src);
        }
    }
}
