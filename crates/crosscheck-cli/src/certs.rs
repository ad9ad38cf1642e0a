//! `crosscheck certs`: a development PKI. A CA (kept and reused in the directory, so more
//! bureaus can be added later), a server certificate for localhost, and client certificates
//! whose SAN URI `crosscheck://ROLE/NAME` is the caller's identity. Production deployments issue
//! the same shapes from their own CA.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use crosscheck_core::CountryCode;
use rcgen::string::Ia5String;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};

#[derive(clap::Args)]
pub struct Args {
    /// Directory for the PEM files (created); a CA already there (ca.pem, ca.key) is reused
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// A bureau to issue a client certificate for (country code); repeatable
    #[arg(long = "bureau", value_name = "CODE", value_parser = country)]
    bureaus: Vec<CountryCode>,
    /// An operator (import and export of all records, snapshots); repeatable
    #[arg(long = "operator", value_name = "NAME", value_parser = name)]
    operators: Vec<String>,
    /// An auditor (reads the audit trail); repeatable
    #[arg(long = "auditor", value_name = "NAME", value_parser = name)]
    auditors: Vec<String>,
    /// A DNS name or IP address of the server, besides localhost and 127.0.0.1; repeatable
    #[arg(long = "server-name", value_name = "NAME")]
    server_names: Vec<String>,
    /// Days the new certificates are valid
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u16).range(1..))]
    days: u16,
}

fn country(s: &str) -> Result<CountryCode, String> {
    crosscheck_core::record::country("--bureau", s).map_err(|e| e.reason)
}

/// Names travel in URIs and file names: letters, digits, `-` and `_` only.
fn name(s: &str) -> Result<String, String> {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}`: use letters, digits, - and _ only"))
    }
}

fn params(days: u16, common_name: &str) -> anyhow::Result<CertificateParams> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    let now = time::OffsetDateTime::now_utc();
    p.not_before = now - time::Duration::hours(1);
    p.not_after = now + time::Duration::days(i64::from(days));
    p.distinguished_name.push(DnType::CommonName, common_name);
    p.use_authority_key_identifier_extension = true;
    Ok(p)
}

/// Writes a file that must not exist yet; keys readable by their owner only.
fn write_new(path: &Path, text: &str, private: bool) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options
        .write(true)
        .create_new(true)
        .mode(if private { 0o600 } else { 0o644 });
    let mut file = options.open(path).with_context(|| {
        format!(
            "cannot create {} (an existing file is never replaced)",
            path.display()
        )
    })?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The CA of `dir`, made when missing.
fn ca(dir: &Path, days: u16) -> anyhow::Result<Issuer<'static, KeyPair>> {
    let (cert_path, key_path) = (dir.join("ca.pem"), dir.join("ca.key"));
    if cert_path.exists() || key_path.exists() {
        let read = |p: &Path| {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
        };
        let key = KeyPair::from_pem(&read(&key_path)?).context("ca.key")?;
        return Issuer::from_ca_cert_pem(&read(&cert_path)?, key).context("ca.pem");
    }
    let mut p = params(days.max(3650), "crosscheck development CA")?;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate()?;
    let cert = p.self_signed(&key)?;
    write_new(&cert_path, &cert.pem(), false)?;
    write_new(&key_path, &key.serialize_pem(), true)?;
    eprintln!("made {} (and its key)", cert_path.display());
    Ok(Issuer::new(p, key))
}

fn issue(
    dir: &Path,
    issuer: &Issuer<'static, KeyPair>,
    file: &str,
    mut p: CertificateParams,
) -> anyhow::Result<()> {
    let key = KeyPair::generate()?;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let cert = p.signed_by(&key, issuer)?;
    let (cert_path, key_path) = (
        dir.join(format!("{file}.pem")),
        dir.join(format!("{file}.key")),
    );
    if cert_path.exists() || key_path.exists() {
        bail!(
            "{} exists already; remove it to issue a new one",
            cert_path.display()
        );
    }
    write_new(&cert_path, &cert.pem(), false)?;
    write_new(&key_path, &key.serialize_pem(), true)?;
    eprintln!("made {} (and its key)", cert_path.display());
    Ok(())
}

fn client(
    dir: &Path,
    issuer: &Issuer<'static, KeyPair>,
    days: u16,
    role: &str,
    name: &str,
) -> anyhow::Result<()> {
    let uri = format!("{}{role}/{name}", crosscheck_server::identity::URI_SCHEME);
    let mut p = params(days, &uri)?;
    p.subject_alt_names = vec![SanType::URI(Ia5String::try_from(uri.as_str())?)];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    issue(dir, issuer, &format!("{role}-{name}"), p)
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let issuer = ca(&args.out, args.days)?;
    if !args.out.join("server.pem").exists() || !args.server_names.is_empty() {
        let mut p = params(args.days, "crosscheck server")?;
        let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        names.extend(args.server_names.iter().cloned());
        p.subject_alt_names = CertificateParams::new(names)?.subject_alt_names;
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        issue(&args.out, &issuer, "server", p)?;
    }
    for b in &args.bureaus {
        client(&args.out, &issuer, args.days, "bureau", b.as_str())?;
    }
    for o in &args.operators {
        client(&args.out, &issuer, args.days, "operator", o)?;
    }
    for a in &args.auditors {
        client(&args.out, &issuer, args.days, "auditor", a)?;
    }
    Ok(())
}
