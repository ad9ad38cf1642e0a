//! Fingerprints the sources of this crate: a saved index is only read back by a build of the
//! same normalisation and name rules (`snapshot.rs`).

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    println!("cargo::rerun-if-changed=src");
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    all.sort();
    // FNV-1a over each path and its bytes.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &all {
        let name = path.to_string_lossy().into_owned().into_bytes();
        for b in name.iter().chain(&std::fs::read(path).unwrap_or_default()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo::rustc-env=CROSSCHECK_CORE_FINGERPRINT={h:016x}");
}
