//! `breachmatch keygen`.

use crate::util::Workdir;

#[test]
fn keygen_writes_private_32_byte_key_and_refuses_overwrite() {
    let wd = Workdir::new("keygen");
    let out = wd.run(&["keygen", "--out", "k.key"]);
    assert!(out.status.success());
    let key = fs_err::read(wd.path("k.key")).unwrap();
    assert_eq!(key.len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs_err::metadata(wd.path("k.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(&hex::encode(&key)), "key printed");
    let err = wd.fails(&["keygen", "--out", "k.key"]);
    assert!(err.contains("k.key"), "{err}");
    assert_eq!(
        fs_err::read(wd.path("k.key")).unwrap(),
        key,
        "key overwritten"
    );
}

#[test]
fn key_is_never_taken_on_the_command_line() {
    let wd = Workdir::new("nokeyarg");
    let err = wd.fails(&[
        "index",
        "--tenants",
        "t.csv",
        "--key",
        "abcd",
        "--out",
        "x.bmx",
    ]);
    assert!(err.contains("--key"), "{err}");
}
