use super::*;

/// Each statement a user might try to become someone else with.
const ESCAPES: &[&str] = &[
    "SET ROLE {other}",
    "SET SESSION AUTHORIZATION {other}",
    "SET ROLE cor4_admin",
    "SET SESSION AUTHORIZATION cor4_admin",
    "SET ROLE postgres",
    "DO $$ BEGIN EXECUTE 'SET ROLE {other}'; END $$",
    "DO $$ BEGIN EXECUTE 'SET SESSION AUTHORIZATION cor4_admin'; END $$",
    "GRANT {other} TO {me}",
    "ALTER ROLE {me} SUPERUSER",
    "CREATE ROLE sneaky_{me} SUPERUSER",
];

#[tokio::test]
async fn users_cannot_reach_each_other_or_the_user_store() {
    let proxy = Proxy::start(&[]);
    let (a, a_pw) = new_user("iso_a").await;
    let (b, b_pw) = new_user("iso_b").await;
    let ca = connect(&proxy, &a, &a_pw).await;
    let cb = connect(&proxy, &b, &b_pw).await;
    // B's table lives in B's private schema (see docs/security.md).
    let table = format!("{b}.secret_{b}");
    cb.execute(
        &format!("CREATE TABLE {table} (v text); INSERT INTO {table} VALUES ('b only')"),
        &[],
    )
    .await
    .unwrap();

    let err = ca
        .query_all(&format!("SELECT * FROM {table}"), &[])
        .await
        .unwrap_err();
    assert_eq!(
        err.code().map(|c| c.code()),
        Some("42501"),
        "A reads B's table: {err}"
    );
    let err = ca
        .query_all("SELECT * FROM cor4.users", &[])
        .await
        .unwrap_err();
    assert_eq!(
        err.code().map(|c| c.code()),
        Some("42501"),
        "A reads the user store: {err}"
    );

    for template in ESCAPES {
        let sql = template.replace("{other}", &b).replace("{me}", &a);
        let result = ca.execute(&sql, &[]).await;
        assert!(result.is_err(), "{sql} succeeded");
        // Whatever happened, A is still A and still cannot read B's data.
        let who = ca
            .query_all("SELECT current_user::text, session_user::text", &[])
            .await
            .unwrap();
        assert_eq!(who[0].get::<_, &str>(0), a, "after {sql}");
        assert_eq!(who[0].get::<_, &str>(1), a, "after {sql}");
    }
    ca.execute("RESET ROLE", &[]).await.unwrap();
    let who = ca
        .query_all("SELECT current_user::text", &[])
        .await
        .unwrap();
    assert_eq!(who[0].get::<_, &str>(0), a);
    assert!(
        ca.query_all(&format!("SELECT * FROM {table}"), &[])
            .await
            .is_err()
    );
    // A function A defines runs with A's rights, not more: PostgreSQL
    // refuses it at creation (the body is checked) or when it runs.
    let created = ca
        .execute(&format!(
            "CREATE FUNCTION {a}.peek_{a}() RETURNS text LANGUAGE sql SECURITY DEFINER AS 'SELECT v FROM {table}'"
        ), &[])
        .await;
    let err = match created {
        Ok(_) => ca
            .query_all(&format!("SELECT {a}.peek_{a}()"), &[])
            .await
            .unwrap_err(),
        Err(e) => e,
    };
    assert_eq!(err.code().map(|c| c.code()), Some("42501"), "{err}");
}
