//! The machine's PostgreSQL installation, as the managed cluster needs it: where its
//! binaries are, whether it ships a loadable module, and the unprivileged user to run it as
//! when this process is root.

use std::ffi::CString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(super) const PACKAGE_HINT: &str = "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH \
     or under /usr/lib/postgresql/*/bin. Install them with `apt-get install postgresql` \
     (Debian/Ubuntu), or set DATABASE_URL to use an existing server.";

/// The folder holding initdb, pg_ctl and postgres: PATH first, then the newest
/// /usr/lib/postgresql/*/bin.
pub(super) fn find_binaries() -> Option<PathBuf> {
    find_binaries_in(std::env::var_os("PATH"), Path::new("/usr/lib/postgresql"))
}

fn find_binaries_in(path: Option<std::ffi::OsString>, versions_root: &Path) -> Option<PathBuf> {
    let has_all = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|p| dir.join(p).is_file())
    };
    if let Some(dir) = path.and_then(|p| std::env::split_paths(&p).find(|d| has_all(d))) {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(versions_root)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| has_all(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// Whether the PostgreSQL installation of `bin` has the loadable module `name`: in
/// `pg_config --pkglibdir` when pg_config is there, else in `bin/../lib` (Debian's layout).
/// `bin` may hold only links to the binaries (/usr/local/bin): the real folder counts.
pub(super) fn has_module(bin: &Path, name: &str) -> bool {
    let real = fs::canonicalize(bin.join("postgres"));
    let bin = real.as_deref().ok().and_then(Path::parent).unwrap_or(bin);
    let from_pg_config = Command::new(bin.join("pg_config"))
        .arg("--pkglibdir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let libdir = from_pg_config.or_else(|| bin.parent().map(|p| p.join("lib")));
    libdir.is_some_and(|dir| dir.join(format!("{name}.so")).is_file())
}

pub(super) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

pub(super) fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let name = CString::new(name).ok()?;
    // SAFETY: getpwnam returns null or a pointer to a static record, read at once.
    unsafe {
        let record = libc::getpwnam(name.as_ptr());
        if record.is_null() {
            None
        } else {
            Some(((*record).pw_uid, (*record).pw_gid))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_binaries_the_error_names_the_package_to_install() {
        let empty = std::env::temp_dir().join(format!("tj-no-pg-{}", std::process::id()));
        fs::create_dir_all(&empty).unwrap();
        assert_eq!(
            find_binaries_in(Some(empty.clone().into_os_string()), &empty),
            None
        );
        assert!(PACKAGE_HINT.contains("apt-get install postgresql"));
        fs::remove_dir_all(&empty).unwrap();
    }

    #[test]
    fn a_module_counts_only_when_its_library_is_there() {
        let root = std::env::temp_dir().join(format!("tj-pg-modules-{}", std::process::id()));
        fs::create_dir_all(root.join("bin")).unwrap();
        fs::create_dir_all(root.join("lib")).unwrap();
        fs::write(root.join("lib/pg_stat_statements.so"), "").unwrap();
        fs::write(root.join("bin/postgres"), "").unwrap();
        assert!(has_module(&root.join("bin"), "pg_stat_statements"));
        assert!(!has_module(&root.join("bin"), "no_such_module"));
        // Through a folder of links to the binaries, as in /usr/local/bin.
        fs::create_dir_all(root.join("links")).unwrap();
        std::os::unix::fs::symlink(root.join("bin/postgres"), root.join("links/postgres")).unwrap();
        assert!(has_module(&root.join("links"), "pg_stat_statements"));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_newest_versioned_folder_wins() {
        let root = std::env::temp_dir().join(format!("tj-pg-versions-{}", std::process::id()));
        for version in ["9", "15", "13"] {
            let bin = root.join(version).join("bin");
            fs::create_dir_all(&bin).unwrap();
            for program in ["initdb", "pg_ctl", "postgres"] {
                fs::write(bin.join(program), "").unwrap();
            }
        }
        assert_eq!(find_binaries_in(None, &root), Some(root.join("15/bin")));
        fs::remove_dir_all(&root).unwrap();
    }
}
