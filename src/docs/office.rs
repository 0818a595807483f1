//! Word (docx) and OpenDocument text (odt): zip + XML, read with `zip` and `quick-xml`.
//! Paragraphs are numbered in document order (body first, then headers and footers).

use super::{DocError, Extracted, TextBlock};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::Read;

/// Most bytes of XML read from one part (a bomb guard; real documents are far smaller).
const MAX_PART: u64 = 256 << 20;

/// A docx: `word/document.xml`, then headers, footers, footnotes and comments.
pub fn docx(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut zip = open(bytes)?;
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| {
            n.starts_with("word/")
                && n.ends_with(".xml")
                && (n == "word/document.xml"
                    || ["header", "footer", "footnotes", "endnotes", "comments"]
                        .iter()
                        .any(|p| n[5..].starts_with(p)))
        })
        .collect();
    if !names.iter().any(|n| n == "word/document.xml") {
        return Err(DocError("no word/document.xml: not a Word document".into()));
    }
    names.sort_by_key(|n| (n != "word/document.xml", n.clone()));
    let mut paras = Vec::new();
    for n in names {
        let xml = part(&mut zip, &n)?;
        paragraphs(&xml, "p", Some("t"), &mut paras)?;
    }
    Ok(blocks(paras))
}

/// An odt: `content.xml` (paragraphs and headings).
pub fn odt(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut zip = open(bytes)?;
    let xml = part(&mut zip, "content.xml")?;
    let mut paras = Vec::new();
    paragraphs(&xml, "p", None, &mut paras)?;
    Ok(blocks(paras))
}

fn open(bytes: &[u8]) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, DocError> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocError::new("zip", e))
}

fn part(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<u8>, DocError> {
    let f = zip.by_name(name).map_err(|e| DocError::new(name, e))?;
    let mut out = Vec::new();
    f.take(MAX_PART + 1)
        .read_to_end(&mut out)
        .map_err(|e| DocError::new(name, e))?;
    if out.len() as u64 > MAX_PART {
        return Err(DocError(format!("{name} is larger than {MAX_PART} bytes")));
    }
    Ok(out)
}

fn blocks(paras: Vec<String>) -> Extracted {
    let mut out = Extracted::default();
    for (i, text) in paras.into_iter().enumerate() {
        out.text.push(TextBlock {
            loc: format!("paragraph {}", i + 1),
            number: i as u64 + 1,
            text,
        });
    }
    out
}

/// Collects the text of every `para` element (by local name; odt headings `h` too). With
/// `text_tag`, only text inside that element counts (docx `w:t`, so field codes are skipped).
/// Tabs, line breaks and odt `text:s` become spaces; table cells are separate paragraphs.
fn paragraphs(
    xml: &[u8],
    para: &str,
    text_tag: Option<&str>,
    out: &mut Vec<String>,
) -> Result<(), DocError> {
    let xml = std::str::from_utf8(xml).map_err(|e| DocError::new("XML", e))?;
    let mut r = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut in_text = 0usize;
    let mut cur = String::new();
    let is_para = |n: &str| n == para || (text_tag.is_none() && n == "h");
    loop {
        match r.read_event().map_err(|e| DocError::new("XML", e))? {
            Event::Start(e) => {
                let n = e.local_name();
                if is_para(n.as_ref()) {
                    depth += 1;
                } else if Some(n.as_ref()) == text_tag {
                    in_text += 1;
                }
            }
            Event::End(e) => {
                let n = e.local_name();
                if is_para(n.as_ref()) {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !t.is_empty() {
                            out.push(t);
                        }
                        cur.clear();
                    }
                } else if Some(n.as_ref()) == text_tag {
                    in_text = in_text.saturating_sub(1);
                }
            }
            Event::Empty(e) => {
                let n = e.local_name();
                if depth > 0 && matches!(n.as_ref(), "tab" | "br" | "s" | "line-break" | "cr") {
                    cur.push(' ');
                }
            }
            Event::Text(t) if depth > 0 && (text_tag.is_none() || in_text > 0) => {
                cur.push_str(&t.xml10_content());
            }
            Event::CData(t) if depth > 0 && (text_tag.is_none() || in_text > 0) => {
                cur.push_str(&t.xml10_content());
            }
            Event::GeneralRef(g) if depth > 0 && (text_tag.is_none() || in_text > 0) => {
                match g.resolve_char_ref() {
                    Ok(Some(c)) => cur.push(c),
                    _ => cur.push_str(&super::text::decode_entities(&format!(
                        "&{};",
                        g.xml10_content()
                    ))),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, body) in files {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn docx_paragraphs_join_runs_and_skip_field_codes() {
        let doc = r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>
          <w:p><w:r><w:t>Dear Mrs </w:t></w:r><w:r><w:t>O&apos;Brien</w:t></w:r></w:p>
          <w:p><w:r><w:instrText>MERGEFIELD x</w:instrText><w:t>DOB:</w:t><w:tab/><w:t>1 May 1970</w:t></w:r></w:p>
          <w:tbl><w:tr><w:tc><w:p><w:r><w:t>SW1A 1AA</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
          </w:body></w:document>"#;
        let e = docx(&zip_of(&[
            ("word/document.xml", doc),
            (
                "word/footer1.xml",
                r#"<w:ftr xmlns:w="w"><w:p><w:r><w:t>Housing Ltd</w:t></w:r></w:p></w:ftr>"#,
            ),
        ]))
        .unwrap();
        let got: Vec<&str> = e.text.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            got,
            [
                "Dear Mrs O'Brien",
                "DOB: 1 May 1970",
                "SW1A 1AA",
                "Housing Ltd"
            ]
        );
        assert_eq!(e.text[2].loc, "paragraph 3");
    }

    #[test]
    fn odt_paragraphs_and_headings() {
        let c = r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>
            <text:h>Rent statement</text:h><text:p>Mr<text:s/>John Smith</text:p></office:text></office:body></office:document-content>"#;
        let e = odt(&zip_of(&[("content.xml", c)])).unwrap();
        let got: Vec<&str> = e.text.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(got, ["Rent statement", "Mr John Smith"]);
    }

    #[test]
    fn a_zip_without_a_document_is_an_error() {
        assert!(docx(&zip_of(&[("a.txt", "x")])).is_err());
        assert!(docx(b"not a zip").is_err());
    }
}
