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

/// `sample` never replaces real files silently: a folder that holds files needs --force.
#[test]
fn sample_into_a_folder_in_use_needs_force() {
    let wd = Workdir::new("sample-in-use");
    wd.write("real/tenants.csv", "Tenant ID,Name\nR1,Real Person\n");
    let err = wd.fails(&[
        "sample",
        "--out",
        "real",
        "--tenants",
        "50",
        "--dump-rows",
        "20",
    ]);
    assert!(
        err.contains("already holds files") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        fs_err::read_to_string(wd.path("real/tenants.csv")).unwrap(),
        "Tenant ID,Name\nR1,Real Person\n"
    );
    wd.ok(&[
        "sample",
        "--out",
        "real",
        "--tenants",
        "50",
        "--dump-rows",
        "20",
        "--force",
    ]);
    assert!(wd.path("real/ground_truth.csv").exists());
}
