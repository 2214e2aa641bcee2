//! Connect to a cor4 proxy, create a table, stream rows back with typed
//! getters, and change nothing else.
//!
//! ```text
//! COR4_HOST=127.0.0.1 COR4_PORT=7654 COR4_USER=admin COR4_PASSWORD=... \
//!     cargo run -p cor4-protocol --example quickstart
//! ```

use cor4_protocol::client::{Client, Config};
use futures_util::TryStreamExt;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = env("COR4_PORT", "7654").parse()?;
    let config = Config::new(
        &env("COR4_HOST", "127.0.0.1"),
        port,
        &env("COR4_USER", "admin"),
        &env("COR4_PASSWORD", ""),
    );
    let mut client = Client::connect(&config).await?;
    println!("connected in {:?} round trip", client.ping().await?);

    client
        .execute("CREATE TEMP TABLE cities (id int, name text, founded date, area numeric)")
        .await?;
    let inserted = client
        .execute(
            "INSERT INTO cities VALUES (1, 'budapest', '1873-11-17', 525.2), \
             (2, 'zomba', NULL, 39.1)",
        )
        .await?;
    println!("inserted {inserted} rows");

    let mut rows = client
        .query("SELECT id, name, founded, area FROM cities ORDER BY id")
        .await?;
    while let Some(row) = rows.try_next().await? {
        let id: i32 = row.get("id");
        let name: &str = row.get("name");
        let founded: Option<chrono::NaiveDate> = row.get("founded");
        let area: rust_decimal::Decimal = row.get("area");
        println!("{id} {name} {founded:?} {area}");
    }
    drop(rows);

    match client.execute("SELECT * FROM no_such_table").await {
        Err(e) => println!("error as expected: SQLSTATE {:?}", e.code()),
        Ok(_) => println!("unexpected success"),
    }
    client.close().await?;
    Ok(())
}
