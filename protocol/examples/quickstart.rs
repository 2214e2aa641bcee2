//! Connect to a cor4 proxy, create a table, insert rows with typed
//! parameters (never spliced into the SQL), stream them back with typed
//! getters, and COPY them out.
//!
//! ```text
//! COR4_HOST=127.0.0.1 COR4_PORT=7654 COR4_USER=admin COR4_PASSWORD=... \
//!     cargo run -p cor4-protocol --example quickstart
//! ```

use chrono::NaiveDate;
use cor4_protocol::client::{Client, Config, SqlState};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;

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
    let client = Client::connect(&config).await?;
    println!("connected in {:?} round trip", client.ping().await?);

    client
        .batch_execute("CREATE TEMP TABLE cities (id int, name text, founded date, area numeric)")
        .await?;
    let insert = client
        .prepare("INSERT INTO cities VALUES ($1, $2, $3, $4)")
        .await?;
    let founded = NaiveDate::from_ymd_opt(1873, 11, 17);
    let mut inserted = client
        .execute(
            &insert,
            &[&1i32, &"budapest", &founded, &Decimal::new(5252, 1)],
        )
        .await?;
    inserted += client
        .execute(
            &insert,
            &[&2i32, &"zomba", &None::<NaiveDate>, &Decimal::new(391, 1)],
        )
        .await?;
    println!("inserted {inserted} rows");

    let mut rows = client
        .query(
            "SELECT id, name, founded, area FROM cities WHERE area > $1 ORDER BY id",
            &[&Decimal::ZERO],
        )
        .await?;
    while let Some(row) = rows.try_next().await? {
        let id: i32 = row.get("id");
        let name: &str = row.get("name");
        let founded: Option<NaiveDate> = row.get("founded");
        let area: Decimal = row.get("area");
        println!("{id} {name} {founded:?} {area}");
    }

    let mut csv = client
        .copy_out("COPY cities TO STDOUT (FORMAT csv)")
        .await?;
    while let Some(chunk) = csv.try_next().await? {
        print!("{}", String::from_utf8_lossy(&chunk));
    }

    match client.execute("SELECT * FROM no_such_table", &[]).await {
        Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => {
            println!("error as expected: {e}");
        }
        other => println!("unexpected: {other:?}"),
    }
    client.close().await?;
    Ok(())
}
