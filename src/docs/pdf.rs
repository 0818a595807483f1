//! PDF: the text layer of each page, read with `lopdf`. Pages with images and no text are
//! scanned paper: a PDF with no text at all is "not searched" (it needs OCR); one with some
//! such pages gets a note naming them.

use super::{DocError, Extracted, TextBlock};

/// Most decompressed bytes of one page's content.
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// Extracts the text of every page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, DocError> {
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(e) => {
            let msg = e.to_string();
            if msg.to_ascii_lowercase().contains("encrypt")
                || msg.to_ascii_lowercase().contains("password")
            {
                return Ok(Extracted {
                    not_searched: Some(format!("an encrypted PDF (password needed): {msg}")),
                    ..Extracted::default()
                });
            }
            return Err(DocError::new("PDF", e));
        }
    };
    let mut out = Extracted::default();
    let mut image_only = Vec::new();
    let pages = doc.get_pages();
    for (&n, &id) in &pages {
        let text = page_text(&doc, id).unwrap_or_default();
        if text.trim().is_empty() {
            let images = doc.get_page_images(id).map(|v| v.len()).unwrap_or(0);
            if images > 0 {
                image_only.push(n);
            }
            continue;
        }
        out.text.push(TextBlock {
            loc: format!("page {n}"),
            number: u64::from(n),
            text,
        });
    }
    if out.text.is_empty() {
        out.not_searched = Some(if image_only.is_empty() {
            format!("a PDF of {} page(s) with no text layer", pages.len())
        } else {
            format!(
                "a scanned-image PDF ({} page(s) of pictures, no text layer): it needs OCR (e.g. ocrmypdf) before it can be searched",
                image_only.len()
            )
        });
    } else if !image_only.is_empty() {
        out.notes.push(format!(
            "pages {} are pictures without a text layer and were not searched (OCR needed)",
            image_only
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(out)
}

/// The text layer of one page, as `lopdf`'s `extract_text` gives it (text shown by `Tj`, `TJ`,
/// `'` and `"` in each font's encoding; a line break at `T*` and `ET`), each page's content
/// bounded by [`MAX_PAGE_CONTENT`]. `extract_text` itself walks the whole page tree on every
/// call, so a page at a time cost pages x pages.
fn page_text(doc: &lopdf::Document, page: lopdf::ObjectId) -> lopdf::Result<String> {
    use lopdf::Object;
    let encodings: std::collections::BTreeMap<Vec<u8>, lopdf::Encoding> = doc
        .get_page_fonts(page)?
        .into_iter()
        .filter_map(|(name, font)| {
            font.get_font_encoding_with_limit(doc, MAX_PAGE_CONTENT)
                .ok()
                .map(|e| (name, e))
        })
        .collect();
    let content =
        lopdf::content::Content::decode(&doc.get_page_content_with_limit(page, MAX_PAGE_CONTENT)?)?;
    fn collect(text: &mut String, enc: &lopdf::Encoding, operands: &[Object]) {
        for o in operands {
            match o {
                Object::String(bytes, _) => {
                    let _ = enc.write_to_string(bytes, text);
                }
                Object::Array(items) => {
                    collect(text, enc, items);
                    text.push(' ');
                }
                Object::Integer(i) if *i < -100 => text.push(' '),
                _ => {}
            }
        }
    }
    let new_line = |text: &mut String| {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
    };
    let mut text = String::new();
    let mut enc = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                enc = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| encodings.get(name));
            }
            "Tj" | "TJ" => {
                if let Some(e) = enc {
                    collect(&mut text, e, &op.operands);
                }
            }
            "'" => {
                if let Some(e) = enc {
                    new_line(&mut text);
                    collect(&mut text, e, &op.operands);
                }
            }
            "\"" => {
                if let Some(e) = enc {
                    new_line(&mut text);
                    collect(&mut text, e, op.operands.get(2..).unwrap_or(&[]));
                }
            }
            "T*" | "ET" => new_line(&mut text),
            _ => {}
        }
    }
    Ok(text)
}

/// Writes a simple PDF, one page per entry of `pages`, each line of text in Helvetica; a page
/// given as `None` holds only a grey picture (a scanned page without a text layer). Used by
/// the sample generator and tests.
pub fn write_simple(pages: &[Option<Vec<String>>]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => 16,
            "Height" => 16,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
        },
        vec![0x80; 256],
    ));
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
        "XObject" => dictionary! { "Im1" => image_id },
    });
    let mut kids = Vec::new();
    for page in pages {
        let ops = match page {
            Some(lines) => {
                let mut ops = vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 11.into()]),
                    Operation::new("TL", vec![15.into()]),
                    Operation::new("Td", vec![56.into(), 780.into()]),
                ];
                for l in lines {
                    // WinAnsi: Latin-1 covers the names the generator uses.
                    let bytes: Vec<u8> = l
                        .chars()
                        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                        .collect();
                    ops.push(Operation::new(
                        "Tj",
                        vec![Object::String(bytes, lopdf::StringFormat::Literal)],
                    ));
                    ops.push(Operation::new("T*", vec![]));
                }
                ops.push(Operation::new("ET", vec![]));
                ops
            }
            None => vec![
                Operation::new("q", vec![]),
                Operation::new(
                    "cm",
                    vec![
                        480.into(),
                        0.into(),
                        0.into(),
                        700.into(),
                        56.into(),
                        80.into(),
                    ],
                ),
                Operation::new("Do", vec!["Im1".into()]),
                Operation::new("Q", vec![]),
            ],
        };
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().unwrap_or_default(),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_text_are_located_and_scanned_pages_noted() {
        let pdf = write_simple(&[
            Some(vec!["Rent statement".into(), "Mrs Mary O'Brien".into()]),
            None,
            Some(vec!["Balance due".into()]),
        ]);
        let e = extract(&pdf).unwrap();
        assert_eq!(e.text.len(), 2);
        assert_eq!(e.text[0].loc, "page 1");
        assert!(e.text[0].text.contains("Mary O'Brien"), "{:?}", e.text[0]);
        assert_eq!(e.text[1].loc, "page 3");
        assert!(e.notes[0].contains("pages 2"), "{:?}", e.notes);
        assert!(e.not_searched.is_none());
    }

    #[test]
    fn an_image_only_pdf_is_not_searched() {
        let e = extract(&write_simple(&[None, None])).unwrap();
        assert!(e.text.is_empty());
        assert!(e.not_searched.unwrap().contains("OCR"));
    }

    /// Page by page, the text is lopdf's own `extract_text` of that page (up to line breaks),
    /// for a PDF of many pages, read with one walk of the page tree.
    #[test]
    fn page_text_is_lopdfs_text_of_each_page() {
        let pages: Vec<Option<Vec<String>>> = (0..300)
            .map(|i| {
                (i % 7 != 3).then(|| {
                    vec![
                        format!("Page {i} Mrs Mary O'Brien"),
                        format!("Sort code 12-34-{:02} account 1234{i:04}", i % 100),
                    ]
                })
            })
            .collect();
        let pdf = write_simple(&pages);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for (&n, &id) in &doc.get_pages() {
            let ours = page_text(&doc, id).unwrap();
            let theirs = doc.extract_text(&[n]).unwrap();
            assert_eq!(words(&ours), words(&theirs), "page {n}");
        }
        let e = extract(&pdf).unwrap();
        assert_eq!(e.text.len(), 300 - 43);
        assert!(e.text[1].text.contains("Page 1 Mrs Mary O'Brien"));
        assert_eq!(e.text[1].loc, "page 2");
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(extract(b"%PDF-1.4 nothing here").is_err());
    }
}
