//! The layers of `src/` only look down: domain ← db ← services ← web, with `import` and
//! `export` as readers and writers that know neither the database nor the web, and the
//! application state below `auth` and `web`. This reads every source file and fails when a
//! module names one it may not (CONVENTIONS.md, "Layers only look down").

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each top-level module of the library may name through `crate::`. A module is
/// always free to name itself; `main`, `lib`, `cli`, `demo`, `startup` and `generate` sit
/// on top and may name anything.
fn allowed(layer: &str) -> Option<&'static [&'static str]> {
    const FOUNDATION: [&str; 4] = ["domain", "clock", "crypto", "error"];
    Some(match layer {
        "domain" => &[],
        "clock" | "error" => &["domain"],
        "crypto" | "config" => &["domain", "clock"],
        "pg" => &["config"],
        "state" => &["domain", "clock", "crypto", "config"],
        "import" => &["domain", "config"],
        "export" => &["domain", "import"],
        "report" => &["domain", "export"],
        "db" => &FOUNDATION,
        "services" => &[
            "domain", "clock", "crypto", "error", "config", "db", "import", "export", "report",
        ],
        "auth" => &[
            "domain", "clock", "crypto", "error", "config", "db", "services", "state",
        ],
        "web" => &[
            "domain", "clock", "crypto", "error", "config", "db", "services", "state", "auth",
            "import", "export", "report",
        ],
        _ => return None,
    })
}

/// The modules `lib.rs` declares, so that a name like `crate::MIGRATOR` is not taken for one.
const MODULES: [&str; 18] = [
    "auth", "cli", "clock", "config", "crypto", "db", "demo", "domain", "error", "export",
    "generate", "import", "pg", "report", "services", "startup", "state", "web",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a source text names through `crate::`, including each item of a
/// `use crate::{a, b::c}` group.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        // `tuanjian::crate::` cannot occur; skip only identifiers ending in "crate" (e.g. `my_crate::`).
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            items.push(item);
            for item in items {
                let head: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(head);
            }
        } else {
            names.insert(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    names.retain(|n| MODULES.contains(&n.as_str()));
    names
}

#[test]
fn no_module_names_a_layer_above_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut checked = 0;
    let mut back_edges = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).expect("under src/");
        let first = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a file name");
        let layer = first.trim_end_matches(".rs");
        let Some(may) = allowed(layer) else {
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for name in named_modules(&text) {
            if name != layer && !may.contains(&name.as_str()) {
                back_edges.push(format!("{} names crate::{name}", relative.display()));
            }
        }
    }
    assert!(checked > 50, "checked only {checked} files");
    assert!(
        back_edges.is_empty(),
        "lower layers name higher ones:\n{}",
        back_edges.join("\n")
    );
}

#[test]
fn the_reader_of_module_names_sees_groups_and_paths() {
    let text = "use crate::{db::{self, audit::Event}, domain::ids::UnitId};\n\
                let x = crate::web::flash::redirect();\nuse my_crate::auth;\n\
                static M: () = crate::MIGRATOR;";
    let names: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(names, ["db", "domain", "web"]);
}
