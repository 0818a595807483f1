//! Atomic output: write to a temporary file in the destination directory, sync, then rename,
//! so a crash never leaves a half-written file under the real name.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes through `f` into a temporary file, then renames it to `path`.
pub fn write_with(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<fs_err::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let file = fs_err::File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        f(&mut w)?;
        w.flush()?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs_err::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs_err::remove_file(&tmp);
    }
    result
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_leaves_no_temp_on_error() {
        let dir = std::env::temp_dir().join(format!("bm-atomic-{}", std::process::id()));
        fs_err::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt");
        write_bytes(&p, b"hello").unwrap();
        assert_eq!(fs_err::read(&p).unwrap(), b"hello");
        let err = write_with(&p, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(fs_err::read(&p).unwrap(), b"hello", "old content kept");
        let left: Vec<_> = fs_err::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temp file left");
        fs_err::remove_dir_all(&dir).unwrap();
    }
}
