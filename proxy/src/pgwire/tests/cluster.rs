//! The server the pgwire and relay tests share: a [`PgServer`] from the
//! test harness, with a role that logs in by MD5 and one by SCRAM over TCP,
//! made with SQL. The superuser connects over the Unix socket (trusted).

use tokio::sync::OnceCell;

use cor4_testpg::PgServer;

use crate::pgwire::{Event, PgConn};

pub const SCRAM_USER: &str = "scram_user";
pub const SCRAM_PASSWORD: &str = "scram secret";
pub const MD5_USER: &str = "md5_user";
pub const MD5_PASSWORD: &str = "md5 secret";

/// The server shared by every test of this process.
pub async fn shared() -> &'static PgServer {
    static SHARED: OnceCell<PgServer> = OnceCell::const_new();
    SHARED.get_or_init(start).await
}

/// A server of its own, set up as the shared one, for a test that crashes it.
pub async fn start() -> PgServer {
    let server = tokio::task::spawn_blocking(|| {
        let server = PgServer::init();
        server.hba(&format!(
            "host all {MD5_USER} 127.0.0.1/32 md5\n\
             host all all 127.0.0.1/32 scram-sha-256\n"
        ));
        server.set("max_connections = 60\nshared_buffers = 16MB\n");
        server.start();
        server
    })
    .await
    .expect("start the test server");
    let mut admin = PgConn::connect(&server.superuser_config(), &[])
        .await
        .expect("connect as the superuser");
    let setup = format!(
        "SET password_encryption = 'md5'; \
         CREATE ROLE {MD5_USER} LOGIN PASSWORD '{MD5_PASSWORD}'; \
         RESET password_encryption; \
         CREATE ROLE {SCRAM_USER} LOGIN PASSWORD '{SCRAM_PASSWORD}'"
    );
    for event in run(&mut admin, &setup).await {
        assert!(!matches!(event, Event::Error(_)), "setup failed: {event:?}");
    }
    admin.close().await.expect("close setup connection");
    server
}

/// Runs `sql` and collects its events, `Ready` included.
pub async fn run(conn: &mut PgConn, sql: &str) -> Vec<Event> {
    conn.send_query(sql).await.expect("send query");
    let mut events = Vec::new();
    loop {
        let event = conn.next_event().await.expect("next event");
        let done = matches!(event, Event::Ready(_));
        events.push(event);
        if done {
            return events;
        }
    }
}

/// A compact rendering of events for order assertions:
/// `T2` (columns), `D` (row), `C:<tag>`, `E:<sqlstate>`, `N`, `I` (empty),
/// `S:<parameter>`, `t2` (parameter types), `n` (no data), `G` / `H` (COPY
/// in / out begins), `d` (COPY data), `c` (COPY done), `Z:<status>`.
pub fn summary(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::RowDescription(cols) => format!("T{}", cols.len()),
            Event::DataRow(_) => "D".to_owned(),
            Event::CommandComplete(tag) => format!("C:{tag}"),
            Event::EmptyQuery => "I".to_owned(),
            Event::Error(e) => format!("E:{}", e.code),
            Event::Notice(_) => "N".to_owned(),
            Event::Parameter { name, .. } => format!("S:{name}"),
            Event::ParameterDescription(oids) => format!("t{}", oids.len()),
            Event::NoData => "n".to_owned(),
            Event::CopyIn(_) => "G".to_owned(),
            Event::CopyOut(_) => "H".to_owned(),
            Event::CopyData(_) => "d".to_owned(),
            Event::CopyDone => "c".to_owned(),
            Event::Ready(s) => format!("Z:{s:?}"),
        })
        .collect()
}
