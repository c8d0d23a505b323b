//! Settings from flags and environment: the command line of the `tuanjian` binary. Longer
//! than 300 lines on purpose: every flag with its environment variable and its parsing is
//! declared here, in one place, as `--help` shows them.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::retention::Retention;
use crate::domain::role::{Grant, Role};

/// The largest file an office may upload (a workbook or an attachment), in bytes.
pub const MAX_UPLOAD_FILE_BYTES: usize = 20 * 1024 * 1024;
/// A multipart upload's whole body: the largest file and room for the other fields.
pub const UPLOAD_LIMIT: usize = MAX_UPLOAD_FILE_BYTES + 1024 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "tuanjian",
    version,
    about = "团工委工作平台 / League work committee system"
)]
pub struct Cli {
    /// Folder for the managed PostgreSQL cluster and other local state.
    #[arg(long, global = true, env = "TUANJIAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Whether the data folder was given (flag or environment) rather than defaulted: the
    /// key file's default place depends on it (`crypto::key_file`, `cli::parse`).
    #[arg(skip)]
    pub data_dir_given: bool,

    /// The personal-data key file. By default `DATA_DIR.keys` beside a data folder that is
    /// given, so that a copy of the folder does not carry the keys; `./data/keys` otherwise.
    #[arg(long, global = true, env = "TUANJIAN_KEYS_FILE")]
    pub keys_file: Option<PathBuf>,

    /// Use this PostgreSQL server instead of a managed local cluster.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The owner of the database, for the migrations, when DATABASE_URL names the
    /// application's own role (README, "Database roles").
    #[arg(
        long,
        global = true,
        env = "DATABASE_OWNER_URL",
        hide_env_values = true
    )]
    pub database_owner_url: Option<String>,

    /// The zone's time zone (IANA name): it decides "today" for every rule and the time
    /// shown to people.
    #[arg(long, global = true, env = "TUANJIAN_TIME_ZONE", default_value = "Asia/Shanghai", value_parser = parse_zone)]
    pub time_zone: chrono_tz::Tz,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Write the database to FILE: a pg_dump with a manifest and checksum, never the keys.
    Backup { file: PathBuf },
    /// Restore a backup into an empty database (or, with --replace, over the current one)
    /// and migrate it; refuses a damaged file or one of a newer schema, writing nothing.
    Restore {
        file: PathBuf,
        /// Replace a database that holds data; it stays until the restore has succeeded.
        #[arg(long)]
        replace: bool,
    },
    /// Manage accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Survey rounds (摸排).
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// The personal-data keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Reports written from the data.
    #[command(subcommand)]
    Report(ReportCommand),
    /// The audit log's hash chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Fill an empty database with generated data of province scale, for benchmarks.
    // Only in a build with the `generate` feature (`make bench` makes one).
    #[cfg(feature = "generate")]
    Generate(GenerateArgs),
}

#[cfg(feature = "generate")]
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("size").required(true).args(["scale", "members"])))]
pub struct GenerateArgs {
    /// 50k, 500k or 5m members, with units, organisations and the rest in proportion.
    #[arg(long, value_parser = parse_scale)]
    pub scale: Option<u64>,
    /// Any number of members instead of a named scale (at least 1000).
    #[arg(long)]
    pub members: Option<u64>,
    /// The same seed (and day) gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain (the archive files given, then the table) and report the first
    /// broken link; exits 1 if there is one.
    Verify {
        /// Archive files written by `audit archive`, checked and joined to the table.
        #[arg(long = "archive", num_args = 1..)]
        archives: Vec<PathBuf>,
    },
    /// Move the events before a day (at least 185 days ago) to FILE and out of the table.
    Archive {
        /// The first day kept in the table (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        before: chrono::NaiveDate,
        /// The archive file to write; must not exist.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new encryption key version to the key file and re-encrypt every member's
    /// resident ID and phone with it.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The work summary and plan of a period (工作总结及工作计划), as the report page shows it.
    WorkSummary {
        /// 2018H1, 2018H2 or 2018.
        #[arg(long)]
        period: String,
        /// The survey round's id; the latest as of a day in or before the period if not given.
        #[arg(long)]
        survey: Option<i64>,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// Where to write it; standard output if not given.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Docx,
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Import a survey workbook (.xlsx or .xls): all rows or, on any fault, none.
    Import {
        /// The workbook.
        file: PathBuf,
        /// The round's as-of date (YYYY-MM-DD); read from the workbook when not given.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
    },
}

/// `50k`, `500k`, `5m` or a plain number of members.
/// (The generator's sizes; parsed here so that the settings depend on nothing above them.)
#[cfg(feature = "generate")]
pub fn parse_scale(text: &str) -> Result<u64, String> {
    let text = text.trim().to_ascii_lowercase().replace(['_', ','], "");
    let (digits, factor) = match text.as_bytes().last() {
        Some(b'k') => (&text[..text.len() - 1], 1_000),
        Some(b'm') => (&text[..text.len() - 1], 1_000_000),
        _ => (text.as_str(), 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("expected a scale like 50k, 500k or 5m, not {text:?}"))
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| "expected YYYY-MM-DD".to_string())
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Create the demo accounts and data; only allowed on a loopback address.
    #[arg(long)]
    pub demo: bool,

    /// Address and port to listen on.
    #[arg(long, env = "TUANJIAN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// The address users reach the server at, e.g. https://tuanjian.example.org when a
    /// TLS proxy is in front. An https URL turns on HSTS and `__Host-` secure cookies.
    #[arg(long, env = "TUANJIAN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Take the client address from the last X-Forwarded-For hop (behind a proxy only).
    #[arg(long, env = "TUANJIAN_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Years a member's resident ID and phone are kept after they leave (离团, 超龄离团,
    /// transferred out of the zone); the hourly pass then erases them (PIPL art. 47).
    #[arg(long, env = "TUANJIAN_RETENTION_YEARS", default_value_t = Retention::DEFAULT_YEARS,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(Retention::MAX_YEARS)))]
    pub retention_years: u32,
    /// Roles whose accounts must use a second factor (TOTP), comma-separated, or `none`.
    /// Default: admin,committee,leader; none in demo mode.
    #[arg(long, env = "TUANJIAN_SECOND_FACTOR_REQUIRED", value_parser = parse_roles)]
    pub second_factor_required: Option<RoleList>,
}

/// Roles named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleList(pub Vec<Role>);

/// The roles that must use a second factor unless configured otherwise: those who read or
/// administer the whole zone. Secretaries, many and scoped to one unit, may choose.
pub const SECOND_FACTOR_REQUIRED_BY_DEFAULT: [Role; 3] =
    [Role::Admin, Role::Committee, Role::Leader];

/// `admin,committee`, or `none` (or nothing) for no role.
pub fn parse_roles(text: &str) -> Result<RoleList, String> {
    let text = text.trim();
    if text.is_empty() || text == "none" {
        return Ok(RoleList(Vec::new()));
    }
    text.split(',')
        .map(|name| parse_role(name.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map(RoleList)
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account; the password is read from standard input when it is not a terminal.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The unit a secretary is scoped to, by its exact name.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value = "")]
        display_name: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected committee, leader, secretary or admin".to_string())
}

/// What the web layer needs to know about how it is served.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Send Strict-Transport-Security.
    pub hsts: bool,
    /// The origin (scheme://host[:port]) requests must come from, when known.
    pub public_origin: Option<String>,
    pub trust_proxy: bool,
    /// How long a leaver's resident ID and phone are kept (`startup::housekeeping`).
    pub retention: Retention,
    /// The roles whose accounts must enrol a second factor before reaching anything.
    pub second_factor_required: Vec<Role>,
}

impl Settings {
    /// Whether one of these grants is of a role that must use a second factor.
    pub fn requires_second_factor(&self, grants: &[Grant]) -> bool {
        grants
            .iter()
            .any(|g| self.second_factor_required.contains(&g.role))
    }

    /// Plain HTTP is only acceptable on loopback; everywhere else the cookies are secure.
    pub fn for_serving(bind: SocketAddr, public_url: Option<&str>, trust_proxy: bool) -> Self {
        let https = public_url.is_some_and(|u| u.starts_with("https://"));
        let public_origin = public_url.map(|u| origin_of(u.trim_end_matches('/')));
        Settings {
            secure_cookies: https || !bind.ip().is_loopback(),
            hsts: https,
            public_origin,
            trust_proxy,
            retention: Retention::default(),
            second_factor_required: SECOND_FACTOR_REQUIRED_BY_DEFAULT.to_vec(),
        }
    }

    /// Settings for plain HTTP on loopback, as in tests and the demo: no role must use a
    /// second factor (the tests that need one set it).
    pub fn local() -> Self {
        Settings {
            secure_cookies: false,
            hsts: false,
            public_origin: None,
            trust_proxy: false,
            retention: Retention::default(),
            second_factor_required: Vec::new(),
        }
    }
}

fn parse_zone(name: &str) -> Result<chrono_tz::Tz, String> {
    name.parse()
        .map_err(|_| format!("unknown time zone {name:?}; use an IANA name such as Asia/Shanghai"))
}

fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(slash) => url[..after_scheme + slash].to_string(),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "generate")]
    #[test]
    fn scales_and_numbers_parse() {
        assert_eq!(super::parse_scale("50k"), Ok(50_000));
        assert_eq!(super::parse_scale("500K"), Ok(500_000));
        assert_eq!(super::parse_scale("5m"), Ok(5_000_000));
        assert_eq!(super::parse_scale("20000"), Ok(20_000));
        assert_eq!(super::parse_scale("20_000"), Ok(20_000));
        assert!(super::parse_scale("5g").is_err());
        assert!(super::parse_scale("").is_err());
    }

    use super::*;

    #[test]
    fn the_retention_period_defaults_to_three_years_and_refuses_none_or_a_lifetime() {
        let years = |args: &[&str]| {
            let all = [&["tuanjian", "serve"], args].concat();
            Cli::try_parse_from(all).map(|cli| match cli.command {
                Command::Serve(serve) => serve.retention_years,
                _ => unreachable!("a serve command"),
            })
        };
        // Unset in the environment the tests run in: the flag's default.
        if std::env::var_os("TUANJIAN_RETENTION_YEARS").is_none() {
            assert_eq!(years(&[]).unwrap(), Retention::DEFAULT_YEARS);
        }
        assert_eq!(years(&["--retention-years", "5"]).unwrap(), 5);
        assert!(years(&["--retention-years", "0"]).is_err());
        assert!(years(&["--retention-years", "31"]).is_err());
    }

    #[test]
    fn loopback_plain_http_gets_plain_cookies_and_anything_else_secure_ones() {
        let local = Settings::for_serving("127.0.0.1:8080".parse().unwrap(), None, false);
        assert!(!local.secure_cookies && !local.hsts);
        let open = Settings::for_serving("0.0.0.0:8080".parse().unwrap(), None, false);
        assert!(open.secure_cookies && !open.hsts);
        let tls = Settings::for_serving(
            "127.0.0.1:8080".parse().unwrap(),
            Some("https://tj.example.org/app/"),
            true,
        );
        assert!(tls.secure_cookies && tls.hsts);
        assert_eq!(tls.public_origin.as_deref(), Some("https://tj.example.org"));
    }

    #[test]
    fn second_factor_roles_parse_from_the_command_line() {
        assert_eq!(
            parse_roles("admin, committee"),
            Ok(RoleList(vec![Role::Admin, Role::Committee]))
        );
        assert_eq!(parse_roles("none"), Ok(RoleList(Vec::new())));
        assert_eq!(parse_roles(""), Ok(RoleList(Vec::new())));
        assert!(parse_roles("admin,boss").is_err());
        let served = Settings::for_serving("127.0.0.1:8080".parse().unwrap(), None, false);
        let leader = [Grant {
            role: Role::Leader,
            unit_id: None,
        }];
        assert!(served.requires_second_factor(&leader));
        assert!(!Settings::local().requires_second_factor(&leader));
    }
}
