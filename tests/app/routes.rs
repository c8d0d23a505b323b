//! Every route the router serves has a row in the access matrix (`access.rs`), so that a
//! new route cannot go untested as anonymous, as the wrong role and out of scope. The
//! routes are read from `src/web`: each `.route("PATH", …)` with the methods named in it,
//! under `/api/v1` for the API's own router.

use std::collections::BTreeSet;
use std::path::Path;

use crate::access::{PUBLIC, fill, fixture_activity_time, get_routes, post_routes};
use crate::helpers::{PASSWORD, TestApp};

/// A path with every parameter written `{}`, so that `{id}` and `{own}` compare equal.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                out.push_str("{}");
            }
            '}' => in_parameter = false,
            _ if !in_parameter => out.push(c),
            _ => {}
        }
    }
    out
}

/// (method, path shape) of every route in a router source text.
fn routes_in(text: &str, prefix: &str, out: &mut BTreeSet<(String, String)>) {
    for (at, _) in text.match_indices(".route(") {
        let rest = &text[at + ".route(".len()..];
        let Some(open) = rest.find('"') else { continue };
        let Some(close) = rest[open + 1..].find('"') else {
            continue;
        };
        let path = &rest[open + 1..open + 1 + close];
        let mut depth = 1;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &rest[..end];
        for method in ["get", "post", "put", "patch", "delete"] {
            let named = body.match_indices(&format!("{method}(")).any(|(i, _)| {
                !body[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            });
            if named {
                out.insert((method.to_uppercase(), shape(&format!("{prefix}{path}"))));
            }
        }
    }
}

fn served_routes() -> BTreeSet<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeSet<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/web is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).expect("under src/web");
                let prefix = if relative.starts_with("api") || relative == Path::new("api.rs") {
                    "/api/v1"
                } else {
                    ""
                };
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                routes_in(&text, prefix, out);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut out = BTreeSet::new();
    walk(&root, &root, &mut out);
    out
}

fn matrix() -> BTreeSet<(String, String)> {
    let rows = |method: &str, routes: Vec<(&'static str, &'static [&'static str])>| {
        routes
            .into_iter()
            .map(|(path, _)| (method.to_string(), shape(path)))
            .collect::<Vec<_>>()
    };
    rows("GET", get_routes())
        .into_iter()
        .chain(rows("POST", post_routes()))
        .chain(PUBLIC.iter().map(|(m, p)| (m.to_string(), shape(p))))
        .collect()
}

#[test]
fn every_served_route_has_a_row_in_the_access_matrix_and_every_row_is_served() {
    let served = served_routes();
    assert!(served.len() > 90, "read only {} routes", served.len());
    let matrix = matrix();
    let missing: Vec<_> = served.difference(&matrix).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/app/access.rs: {missing:?}"
    );
    let stale: Vec<_> = matrix.difference(&served).collect();
    assert!(stale.is_empty(), "rows for routes nobody serves: {stale:?}");
}

#[test]
fn the_route_reader_sees_chained_and_merged_methods() {
    let mut out = BTreeSet::new();
    routes_in(
        r#".route("/a/{id}", only::<B>(get(show)).merge(only::<C>(post(update))))
           .route("/b", get(form).post(receive).layer(DefaultBodyLimit::max(1)))
           .route("/c", only::<C>(post(members::get_out)))"#,
        "",
        &mut out,
    );
    let expected: BTreeSet<(String, String)> = [
        ("GET", "/a/{}"),
        ("POST", "/a/{}"),
        ("GET", "/b"),
        ("POST", "/b"),
        ("POST", "/c"),
    ]
    .iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    assert_eq!(out, expected);
}

#[tokio::test]
async fn the_public_routes_answer_without_signing_in() {
    let app = TestApp::spawn().await;
    // Within the fixture activity's check-in window.
    app.clock.set(fixture_activity_time());
    for (method, path) in PUBLIC {
        // Each on its own, as a stranger: signing in changes the client's CSRF token.
        let client = app.client();
        let path = fill(&app, &path.replace("{*path}", "css/app.css")).await;
        let status = if method == "GET" {
            client.get(&path).await.status()
        } else if path.starts_with("/checkin/") {
            client
                .post_form(&path, &[("name", "路人甲"), ("phone", "13800138000")])
                .await
                .status()
        } else {
            client
                .post_form(&path, &[("username", "leader"), ("password", PASSWORD)])
                .await
                .status()
        };
        assert!(
            status.is_success() || status.is_redirection(),
            "{method} {path}: {status}"
        );
    }
}
