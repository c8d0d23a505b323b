//! TestApp: a real PostgreSQL database per test and the real router on a real socket.
//!
//! Without DATABASE_URL one throwaway cluster is started for the whole test run (under
//! /tmp, as the `postgres` user when run as root); a watchdog process stops it and removes
//! its folder as soon as this test process exits, however it exits. With DATABASE_URL
//! that server is used. Each test clones a template database that was migrated and given
//! the demo accounts once. The server under test connects as the application's role
//! (`tuanjian_app`, granted as `Database::open` grants it), so every test also proves that
//! those grants suffice; a test's own SQL (`app.db`) runs as the owner. Over 300 lines:
//! the database set-up and the HTTP client every test uses are one harness.

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::OnceCell;
use tuanjian::clock::Clock;
use tuanjian::config::Settings;
use tuanjian::pg::{Cluster, roles};
use tuanjian::startup::build_router;
use tuanjian::state::AppState;

pub const PASSWORD: &str = tuanjian::demo::PASSWORD;

/// The personal-data keys every test database was written with.
pub const TEST_KEYS: &str = "enc:1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nindex:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\n";

pub fn test_keys() -> tuanjian::crypto::Keys {
    tuanjian::crypto::Keys::parse(TEST_KEYS).expect("the test keys")
}

struct Server {
    /// Options for the maintenance database, where databases are created.
    admin: PgConnectOptions,
    template: String,
}

static SERVER: OnceCell<Server> = OnceCell::const_new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

async fn server() -> &'static Server {
    SERVER
        .get_or_init(|| async {
            let admin = match std::env::var("DATABASE_URL") {
                Ok(url) => url.parse().expect("DATABASE_URL is a PostgreSQL URL"),
                Err(_) => tokio::task::spawn_blocking(start_throwaway_cluster)
                    .await
                    .expect("starting the test cluster"),
            };
            let template = format!("tj_template_{}", std::process::id());
            create_database(&admin, &template, None).await;
            let pool = tuanjian::pg::pool(admin.clone().database(&template))
                .await
                .expect("connecting to the template");
            tuanjian::MIGRATOR
                .run(&pool)
                .await
                .expect("migrating the template");
            roles::ensure_role(&pool, roles::APP_ROLE)
                .await
                .expect("the application's role");
            roles::grant_app(&pool, roles::APP_ROLE)
                .await
                .expect("the application's rights in the template");
            let state = AppState::new(
                pool.clone(),
                Clock::default(),
                Settings::local(),
                test_keys(),
            );
            tuanjian::demo::accounts(&state)
                .await
                .expect("demo accounts in the template");
            pool.close().await;
            Server { admin, template }
        })
        .await
}

fn start_throwaway_cluster() -> PgConnectOptions {
    let dir = std::env::temp_dir().join(format!("tuanjian-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cluster = Cluster::start_throwaway(&dir).expect("starting a throwaway PostgreSQL");
    // Stops PostgreSQL and removes the folder once this process has gone.
    let script = r#"
        while kill -0 "$0" 2>/dev/null; do sleep 0.2; done
        pid=$(head -n 1 "$1/postgres/postmaster.pid" 2>/dev/null)
        if [ -n "$pid" ]; then
            kill -INT "$pid" 2>/dev/null
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
        rm -rf "$1"
    "#;
    use std::os::unix::process::CommandExt;
    // Deliberately not waited for: it must outlive this process.
    #[allow(clippy::zombie_processes)]
    let _watchdog = Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .arg(std::process::id().to_string())
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("starting the cluster watchdog");
    cluster.connect_options("postgres")
}

async fn create_database(admin: &PgConnectOptions, name: &str, template: Option<&str>) {
    let mut conn = PgConnection::connect_with(&admin.clone().database("postgres"))
        .await
        .expect("connecting to the test server");
    let sql = match template {
        Some(t) => format!("create database \"{name}\" template \"{t}\""),
        None => format!("create database \"{name}\""),
    };
    sqlx::query(&sql)
        .execute(&mut conn)
        .await
        .expect("creating a test database");
    conn.close().await.ok();
}

/// A fresh database cloned from the template, and a pool on it as the application's role.
pub async fn fresh_database() -> PgPool {
    fresh_databases().await.1
}

/// A fresh database cloned from the template, and a pool on it as its owner, for what the
/// application's role may not do (the generator's bulk load).
pub async fn owner_database() -> PgPool {
    fresh_databases().await.0
}

/// A fresh database cloned from the template: a pool as the owner and one as the
/// application's role.
pub async fn fresh_databases() -> (PgPool, PgPool) {
    let server = server().await;
    let name = format!(
        "tj_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    create_database(&server.admin, &name, Some(&server.template)).await;
    let owner = server.admin.clone().database(&name);
    let app = owner.clone().username(roles::APP_ROLE);
    (
        tuanjian::pg::pool(owner)
            .await
            .expect("connecting to the test database"),
        tuanjian::pg::pool(app)
            .await
            .expect("connecting to the test database as the application's role"),
    )
}

pub struct TestApp {
    pub base: String,
    /// The owner's pool, for a test's own reads and arrangements; the server itself uses
    /// `state.db`, connected as the application's role.
    pub db: PgPool,
    pub clock: Clock,
    /// The state the server runs with, for what it does outside requests (the hourly pass).
    pub state: AppState,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(Settings::local()).await
    }

    pub async fn spawn_with(settings: Settings) -> TestApp {
        let (db, app_db) = fresh_databases().await;
        let clock = Clock::default();
        let state = AppState::new(app_db, clock.clone(), settings, test_keys());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = build_router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        TestApp {
            base: format!("http://{addr}"),
            db,
            clock,
            state,
        }
    }

    /// A browser-like client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
            csrf: Arc::new(Mutex::new(None)),
        }
    }

    /// A client signed in as one of the demo accounts.
    pub async fn signed_in(&self, username: &str) -> Client {
        let client = self.client();
        let response = client.sign_in(username, PASSWORD).await;
        assert_eq!(response.status(), 303, "signing in as {username}");
        client
    }

    /// The committee's own organisation (团工委), the organiser of zone activities, as a
    /// form sends its id.
    pub async fn committee_org(&self) -> String {
        sqlx::query_scalar(
            "select organization_id::text from organization where kind = 'committee'",
        )
        .fetch_one(&self.db)
        .await
        .unwrap()
    }

    pub async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar("select count(*) from audit_event where action = $1")
            .bind(action)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    pub async fn account_id(&self, username: &str) -> i64 {
        sqlx::query_scalar("select account_id from account where username = $1")
            .bind(username)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    pub async fn unit_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("select unit_id from unit where name = $1")
            .bind(name)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    csrf: Arc<Mutex<Option<String>>>,
}

pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// The CSRF token of this client's session (or of its pre-sign-in cookie).
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.csrf.lock().unwrap().clone() {
            return token;
        }
        // The password form, or for a session not fully signed in the one page it may see.
        let mut token = None;
        for page in [
            "/account/password",
            "/login/code",
            "/account/second-factor",
            "/login",
        ] {
            let (_, body) = self.get_text(page).await;
            token = csrf_in(&body);
            if token.is_some() {
                break;
            }
        }
        let token = token.expect("a CSRF token on the sign-in page");
        *self.csrf.lock().unwrap() = Some(token.clone());
        token
    }

    /// Forgets the CSRF token known, after the session changed (its token with it).
    pub fn forget_csrf(&self) {
        *self.csrf.lock().unwrap() = None;
    }

    /// Posts a form with the CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.http
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form exactly as given: no token added.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        *self.csrf.lock().unwrap() = None;
        let (_, body) = self.get_text("/login").await;
        // Signed in already, /login redirects: the session's token is the one to send.
        let token = match csrf_in(&body) {
            Some(token) => token,
            None => self.csrf().await,
        };
        let response = self
            .http
            .post(self.url("/login"))
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .unwrap();
        *self.csrf.lock().unwrap() = None;
        response
    }

    /// Follows a redirect by hand and returns the page it leads to.
    pub async fn follow(&self, response: reqwest::Response) -> (u16, String) {
        let location = response
            .headers()
            .get("location")
            .expect("a redirect")
            .to_str()
            .unwrap()
            .to_string();
        self.get_text(&location).await
    }
}
