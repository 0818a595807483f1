//! `breachmatch sample`: determinism against the committed sample_data/.

use crate::util::{Workdir, sample_data};

#[test]
fn regenerating_gives_byte_identical_files() {
    let wd = Workdir::new("sample-determinism");
    wd.ok(&["sample", "--out", "s", "--leak-tree"]);
    let committed = breachmatch::dump::expand_inputs(&[sample_data()]).unwrap();
    let fresh = breachmatch::dump::expand_inputs(&[wd.path("s")]).unwrap();
    let rel = |base: &std::path::Path, v: &[std::path::PathBuf]| -> Vec<String> {
        v.iter()
            .map(|p| p.strip_prefix(base).unwrap().display().to_string())
            .collect()
    };
    let fresh_names = rel(&wd.path("s"), &fresh);
    for name in &fresh_names {
        let a = fs_err::read(sample_data().join(name)).unwrap();
        let b = fs_err::read(wd.path("s").join(name)).unwrap();
        assert!(a == b, "{name} differs from the committed sample_data");
    }
    let committed_names = rel(&sample_data(), &committed);
    for name in &fresh_names {
        assert!(committed_names.contains(name), "{name} not committed");
    }
    let total: u64 = committed
        .iter()
        .map(|p| fs_err::metadata(p).unwrap().len())
        .sum();
    assert!(total < 5 * 1024 * 1024, "sample_data is {total} bytes");
}
