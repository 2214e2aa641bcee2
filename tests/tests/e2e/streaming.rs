use futures_util::TryStreamExt;

use super::*;

/// A million rows through the proxy: every row arrives, in order, and the
/// proxy's resident memory stays under 64 MiB (read from /proc).
#[tokio::test]
async fn a_million_rows_stream_in_bounded_memory() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("stream").await;
    let c = connect(&proxy, &user, &password).await;
    let mut rows = c
        .query(
            "SELECT g, 'row number ' || g FROM generate_series(1, 1000000) g",
            &[],
        )
        .await
        .unwrap();
    let mut expected = 1i32;
    let mut peak_rss = 0u64;
    while let Some(row) = rows.try_next().await.unwrap() {
        assert_eq!(row.get::<_, i32>(0), expected);
        if expected % 100_000 == 0 {
            assert_eq!(row.get::<_, &str>(1), format!("row number {expected}"));
            peak_rss = peak_rss.max(proxy.rss_kib().0);
        }
        expected += 1;
    }
    assert_eq!(expected, 1_000_001);
    let (rss, hwm) = proxy.rss_kib();
    eprintln!("proxy RSS after 1M rows: {rss} KiB, peak {hwm} KiB, sampled max {peak_rss} KiB");
    assert!(hwm < 64 * 1024, "proxy peak RSS {hwm} KiB exceeds 64 MiB");
}
