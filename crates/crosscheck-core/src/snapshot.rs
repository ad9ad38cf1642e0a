//! Saved parts of the index, read back at start instead of rebuilt from the store. A part is a
//! directory of one file per shard, written and read in parallel. Each file starts with its
//! part's magic, the fingerprint of the build that wrote it, the stamp the store held when it
//! was saved and its shard number, and ends with a checksum: a file of another build (whose
//! normalisation or name rules may differ), of another stamp, or damaged, is not read, and the
//! part is rebuilt from the store. A part is saved into a new directory, synced, then renamed
//! over the old one.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::country::CountryCode;
use crate::shard::SHARDS;

/// Of this build's core sources (build.rs): derived data is only trusted from the same rules.
const BUILD: u64 = parse_hex(env!("CROSSCHECK_CORE_FINGERPRINT"));

const fn parse_hex(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut v = 0u64;
    let mut i = 0;
    while i < b.len() {
        let d = match b[i] {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("fingerprint is not lowercase hex"),
        };
        v = (v << 4) | d as u64;
        i += 1;
    }
    v
}

pub(crate) fn bad(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_owned())
}

fn shard_path(dir: &Path, shard: usize) -> PathBuf {
    dir.join(format!("{shard:02}.shard"))
}

/// Cheap enough for gigabytes (one multiply a word), enough to catch a torn or damaged file.
fn checksum(bytes: &[u8]) -> u64 {
    bytes.chunks(8).fold(0x9e37_79b9_7f4a_7c15, |h: u64, w| {
        let mut word = [0u8; 8];
        word[..w.len()].copy_from_slice(w);
        (h ^ u64::from_le_bytes(word))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29)
    })
}

#[derive(Default)]
pub(crate) struct Enc(pub(crate) Vec<u8>);

impl Enc {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(crate) fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    pub(crate) fn country(&mut self, c: CountryCode) {
        self.0.extend_from_slice(&c.to_stored());
    }
    /// None as `u32::MAX`, else the count and the codes.
    pub(crate) fn countries(&mut self, list: Option<&[CountryCode]>) {
        match list {
            None => self.u32(u32::MAX),
            Some(list) => {
                self.u32(list.len() as u32);
                for c in list {
                    self.country(*c);
                }
            }
        }
    }
    pub(crate) fn strs<S: AsRef<str>>(&mut self, list: &[S]) {
        self.len(list.len());
        for s in list {
            self.bytes(s.as_ref().as_bytes());
        }
    }
}

pub(crate) struct Dec<'a>(pub(crate) &'a [u8]);

impl<'a> Dec<'a> {
    pub(crate) fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if n > self.0.len() {
            return Err(bad("saved index file ends early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    pub(crate) fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> io::Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub(crate) fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }
    pub(crate) fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    pub(crate) fn len(&mut self) -> io::Result<usize> {
        let n = usize::try_from(self.u64()?).map_err(|_| bad("length out of range"))?;
        // No count may promise more bytes than the file has left.
        if n > self.0.len() {
            return Err(bad("length beyond the end of the file"));
        }
        Ok(n)
    }
    pub(crate) fn bytes(&mut self) -> io::Result<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    pub(crate) fn str(&mut self) -> io::Result<&'a str> {
        std::str::from_utf8(self.bytes()?).map_err(|_| bad("text is not UTF-8"))
    }
    pub(crate) fn country(&mut self) -> io::Result<CountryCode> {
        let c = self.take(3)?;
        if !c.iter().all(u8::is_ascii_uppercase) {
            return Err(bad("not a country code"));
        }
        Ok(CountryCode::from_stored([c[0], c[1], c[2]]))
    }
    pub(crate) fn countries(&mut self) -> io::Result<Option<Vec<CountryCode>>> {
        match self.u32()? {
            u32::MAX => Ok(None),
            n => (0..n)
                .map(|_| self.country())
                .collect::<io::Result<_>>()
                .map(Some),
        }
    }
    pub(crate) fn strs(&mut self) -> io::Result<Box<[Box<str>]>> {
        (0..self.len()?)
            .map(|_| self.str().map(Into::into))
            .collect()
    }
    /// The file was read to its end: nothing left over that another layout would have meant.
    pub(crate) fn end(&self) -> io::Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(bad("bytes after the end of the saved index"))
        }
    }
}

/// A part's file kind and layout version.
pub(crate) type Magic = [u8; 8];

/// One shard's file: header, what `body` writes, checksum.
fn seal(magic: &Magic, stamp: u64, shard: usize, body: impl FnOnce(&mut Enc)) -> Vec<u8> {
    let mut e = Enc::default();
    e.0.extend_from_slice(magic);
    e.u64(BUILD);
    e.u64(stamp);
    e.u64(shard as u64);
    body(&mut e);
    let sum = checksum(&e.0);
    e.u64(sum);
    e.0
}

/// The body of a shard's file, once its checksum and header say it is this part's, of this
/// build, stamp and shard.
fn open<'a>(bytes: &'a [u8], magic: &Magic, stamp: u64, shard: usize) -> io::Result<Dec<'a>> {
    let (body, sum) = bytes.split_at(bytes.len().saturating_sub(8));
    if body.len() < 32 || Dec(sum).u64()? != checksum(body) {
        return Err(bad("checksum mismatch"));
    }
    let mut d = Dec(body);
    if d.take(8)? != magic {
        return Err(bad("not this part of the index"));
    }
    if d.u64()? != BUILD {
        return Err(bad("saved by another build"));
    }
    if d.u64()? != stamp || d.u64()? != shard as u64 {
        return Err(bad("not this store's index"));
    }
    Ok(d)
}

/// Writes a part into `dir` (replaced as a whole), one file per shard from `body`, stamped.
pub(crate) fn save(
    dir: &Path,
    magic: &Magic,
    stamp: u64,
    body: impl Fn(usize, &mut Enc) + Sync,
) -> io::Result<()> {
    let mut partial = dir.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    remove_dir(&partial)?;
    std::fs::create_dir_all(&partial)?;
    (0..SHARDS).into_par_iter().try_for_each(|i| {
        let bytes = seal(magic, stamp, i, |e| body(i, e));
        let mut file = std::fs::File::create(shard_path(&partial, i))?;
        file.write_all(&bytes)?;
        file.sync_all()
    })?;
    remove_dir(dir)?;
    std::fs::rename(&partial, dir)?;
    if let Some(parent) = dir.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

fn remove_dir(dir: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        Ok(()) | Err(_) => Ok(()),
    }
}

/// Reads every shard's file of the part in `dir` in parallel, each through `body` (given the
/// shard's number; it must read the file to its end); an error when any is missing, of another build or stamp, or
/// damaged.
pub(crate) fn load<T: Send>(
    dir: &Path,
    magic: &Magic,
    stamp: u64,
    body: impl Fn(usize, &mut Dec) -> io::Result<T> + Sync,
) -> io::Result<Vec<T>> {
    (0..SHARDS)
        .into_par_iter()
        .map(|i| {
            let bytes = std::fs::read(shard_path(dir, i))?;
            let mut d = open(&bytes, magic, stamp, i)?;
            let part = body(i, &mut d)?;
            d.end()?;
            Ok(part)
        })
        .collect()
}

/// The stamp of the part saved in `dir` by this build, if there is one (from its first file).
pub(crate) fn saved_stamp(dir: &Path, magic: &Magic) -> Option<u64> {
    let mut head = [0u8; 24];
    std::fs::File::open(shard_path(dir, 0))
        .and_then(|mut f| f.read_exact(&mut head))
        .ok()?;
    let mut d = Dec(&head);
    (d.take(8).ok()? == magic && d.u64().ok()? == BUILD).then(|| d.u64().ok())?
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn temp_dir(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "crosscheck-{label}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Flips one bit in the middle of a shard's file.
    pub(crate) fn damage(dir: &Path, shard: usize) {
        let file = shard_path(dir, shard);
        let mut bytes = std::fs::read(&file).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        std::fs::write(&file, bytes).unwrap();
    }

    const MAGIC: &Magic = b"CCTEST01";

    #[test]
    fn a_part_reads_back_only_with_its_magic_build_stamp_and_whole() {
        let dir = temp_dir("snapshot").join("part");
        save(&dir, MAGIC, 7, |i, e| {
            e.u64(i as u64);
            e.strs(&[format!("shard {i}")]);
        })
        .unwrap();
        assert_eq!(saved_stamp(&dir, MAGIC), Some(7));
        assert_eq!(saved_stamp(&dir, b"CCTEST02"), None);
        let back = load(&dir, MAGIC, 7, |_, d| Ok((d.u64()?, d.strs()?))).unwrap();
        assert_eq!(back.len(), SHARDS);
        assert_eq!(back[5], (5, vec!["shard 5".into()].into()));
        let whole = |_, d: &mut Dec| Ok((d.u64()?, d.strs()?));
        assert!(load(&dir, MAGIC, 8, whole).is_err());
        assert!(load(&dir, b"CCTEST02", 7, whole).is_err());
        // A body that leaves bytes unread is another layout.
        assert!(load(&dir, MAGIC, 7, |_, d| d.u64()).is_err());
        damage(&dir, 9);
        assert!(load(&dir, MAGIC, 7, whole).is_err());
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn no_length_may_reach_past_the_end() {
        let mut e = Enc::default();
        e.len(1 << 40);
        assert!(Dec(&e.0).bytes().is_err());
        assert!(Dec(b"FRa").country().is_err());
    }
}
