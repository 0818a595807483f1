//! Archives inside a leak tree: zip (with `zip`), 7z (with `sevenz-rust2`) and tar / tar.gz
//! (with `tar` and `flate2`).
//! Members come out as child documents; encrypted members and members past the limits are
//! listed as not searched, never dropped.

use super::{ContainerLimits, DocError, DocKind, Extracted};
use std::io::Read;

/// A zip that is really an Office or OpenDocument file (renamed, or without an extension).
/// Only the central directory (and `mimetype`) is read, so a file on disk is not loaded whole.
pub fn zip_kind<R: Read + std::io::Seek>(source: R) -> Option<DocKind> {
    let mut z = zip::ZipArchive::new(source).ok()?;
    let has = |n: &str| z.index_for_name(n).is_some();
    if has("xl/workbook.xml") || has("xl/workbook.bin") {
        return Some(DocKind::Spreadsheet);
    }
    if has("word/document.xml") {
        return Some(DocKind::Docx);
    }
    let mut mime = String::new();
    if let Ok(f) = z.by_name("mimetype") {
        let _ = f.take(200).read_to_string(&mut mime);
    }
    if mime.contains("opendocument.spreadsheet") {
        Some(DocKind::Spreadsheet)
    } else if mime.contains("opendocument.text") {
        Some(DocKind::Odt)
    } else {
        None
    }
}

/// The members of a zip archive.
pub fn zip(bytes: &[u8], limits: &ContainerLimits) -> Result<Extracted, DocError> {
    let mut z =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DocError::new("zip", e))?;
    let mut out = Extracted::default();
    let mut total = 0u64;
    for i in 0..z.len() {
        let listed = z
            .name_for_index(i)
            .and_then(|n| n.ok())
            .map_or_else(|| format!("member {}", i + 1), |n| n.to_string());
        if i >= limits.max_members {
            out.notes.push(format!(
                "only the first {} members were read",
                limits.max_members
            ));
            break;
        }
        let mut f = match z.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                let member = listed;
                let reason = if e.to_string().to_ascii_lowercase().contains("password") {
                    "encrypted (password needed)".to_string()
                } else {
                    format!("could not be read: {e}")
                };
                out.unsearched_children.push((member, reason));
                continue;
            }
        };
        if f.is_dir() {
            continue;
        }
        let member = listed;
        if f.encrypted() {
            out.unsearched_children
                .push((member, "encrypted (password needed)".into()));
            continue;
        }
        let allowed = limits
            .max_member
            .min(limits.max_total.saturating_sub(total));
        let mut data = Vec::new();
        match (&mut f).take(allowed + 1).read_to_end(&mut data) {
            Ok(_) if data.len() as u64 > allowed => {
                out.unsearched_children.push((
                    member,
                    format!(
                        "decompresses to more than {allowed} bytes: a zip bomb? (raise --max-decompressed to search it)"
                    ),
                ));
                total = limits.max_total;
            }
            Ok(_) => {
                total += data.len() as u64;
                out.children.push((member, data));
            }
            Err(e) => {
                let reason = if e.to_string().to_ascii_lowercase().contains("password") {
                    "encrypted (password needed)".to_string()
                } else {
                    format!("could not be read: {e}")
                };
                out.unsearched_children.push((member, reason));
            }
        }
    }
    Ok(out)
}

/// The members of a 7-Zip archive (with `sevenz-rust2`). An encrypted archive (its names or its
/// data behind a password) is not searched, and says so.
pub fn seven_zip(bytes: &[u8], limits: &ContainerLimits) -> Result<Extracted, DocError> {
    let mut out = Extracted::default();
    let mut reader = match sevenz_rust2::ArchiveReader::new(
        std::io::Cursor::new(bytes),
        sevenz_rust2::Password::empty(),
    ) {
        Ok(r) => r,
        Err(sevenz_rust2::Error::PasswordRequired) => {
            out.not_searched = Some("an encrypted 7-Zip archive (password needed)".into());
            return Ok(out);
        }
        Err(e) => return Err(DocError::new("7z", e)),
    };
    // One thread: documents are already scanned one per task.
    reader.set_thread_count(1);
    let mut total = 0u64;
    let mut members = 0usize;
    let result = reader.for_each_entries(|entry, r| {
        if entry.is_directory() {
            return Ok(true);
        }
        members += 1;
        let name = entry.name().to_string();
        if members > limits.max_members {
            out.notes.push(format!(
                "only the first {} members were read",
                limits.max_members
            ));
            return Ok(false);
        }
        let allowed = limits
            .max_member
            .min(limits.max_total.saturating_sub(total));
        if entry.size() > allowed {
            out.unsearched_children.push((
                name,
                format!(
                    "{} bytes, more than the {allowed} allowed (raise --max-decompressed)",
                    entry.size()
                ),
            ));
            // The data must still be read past to reach the next member.
            std::io::copy(r, &mut std::io::sink())?;
            return Ok(true);
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        r.take(allowed + 1).read_to_end(&mut data)?;
        total += data.len() as u64;
        out.children.push((name, data));
        Ok(true)
    });
    match result {
        Ok(()) => {}
        Err(sevenz_rust2::Error::PasswordRequired) => {
            out.children.clear();
            out.not_searched = Some("an encrypted 7-Zip archive (password needed)".into());
        }
        Err(e) => out
            .notes
            .push(format!("the archive could not be read to its end: {e}")),
    }
    Ok(out)
}

/// The members of a tar archive, gzipped or not.
pub fn tar(bytes: &[u8], limits: &ContainerLimits) -> Result<Extracted, DocError> {
    let reader: Box<dyn Read> = if bytes.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(bytes))
    } else {
        Box::new(bytes)
    };
    let mut a = tar::Archive::new(reader.take(limits.max_total));
    let mut out = Extracted::default();
    let entries = a.entries().map_err(|e| DocError::new("tar", e))?;
    for (i, entry) in entries.enumerate() {
        if i >= limits.max_members {
            out.notes.push(format!(
                "only the first {} members were read",
                limits.max_members
            ));
            break;
        }
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.notes
                    .push(format!("the archive ends early after {i} members: {e}"));
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let member = entry
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| format!("member {}", i + 1));
        let size = entry.size();
        if size > limits.max_member {
            out.unsearched_children.push((
                member,
                format!(
                    "{size} bytes, more than the {} allowed for one member (raise --max-decompressed)",
                    limits.max_member
                ),
            ));
            continue;
        }
        let mut data = Vec::with_capacity(size as usize);
        match entry.read_to_end(&mut data) {
            Ok(_) => out.children.push((member, data)),
            Err(e) => {
                out.unsearched_children
                    .push((member, format!("could not be read: {e}")));
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, body) in files {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn zip_members_come_out_and_bombs_are_listed() {
        let z = zip_of(&[("a/notes.txt", b"hello"), ("big.csv", &[b'x'; 5000])]);
        let limits = ContainerLimits {
            max_member: 1000,
            ..ContainerLimits::default()
        };
        let e = zip(&z, &limits).unwrap();
        assert_eq!(
            e.children,
            vec![("a/notes.txt".to_string(), b"hello".to_vec())]
        );
        assert_eq!(e.unsearched_children.len(), 1);
        assert!(e.unsearched_children[0].1.contains("zip bomb"));
    }

    #[test]
    fn office_files_inside_zips_are_recognised() {
        assert_eq!(
            zip_kind(std::io::Cursor::new(zip_of(&[(
                "word/document.xml",
                b"<w/>"
            )]))),
            Some(DocKind::Docx)
        );
        assert_eq!(
            zip_kind(std::io::Cursor::new(zip_of(&[(
                "xl/workbook.xml",
                b"<w/>"
            )]))),
            Some(DocKind::Spreadsheet)
        );
        assert_eq!(
            zip_kind(std::io::Cursor::new(zip_of(&[("a.txt", b"x")]))),
            None
        );
    }

    #[test]
    fn seven_zip_members_come_out() {
        let mut w = sevenz_rust2::ArchiveWriter::new(std::io::Cursor::new(Vec::new())).unwrap();
        w.push_archive_entry(
            sevenz_rust2::ArchiveEntry::new_file("hr/staff.csv"),
            Some(&b"Name,Email\nAnn Lee,ann@example.com\n"[..]),
        )
        .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let e = seven_zip(&bytes, &ContainerLimits::default()).unwrap();
        assert_eq!(e.children.len(), 1);
        assert_eq!(e.children[0].0, "hr/staff.csv");
        assert!(e.children[0].1.starts_with(b"Name,Email"));
        assert!(seven_zip(b"7z\xbc\xaf\x27\x1c broken", &ContainerLimits::default()).is_err());
    }

    #[test]
    fn tar_gz_members_come_out() {
        let mut t = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(5);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, "dir/a.txt", &b"hello"[..]).unwrap();
        let raw = t.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw).unwrap();
        let e = tar(&gz.finish().unwrap(), &ContainerLimits::default()).unwrap();
        assert_eq!(
            e.children,
            vec![("dir/a.txt".to_string(), b"hello".to_vec())]
        );
    }
}
