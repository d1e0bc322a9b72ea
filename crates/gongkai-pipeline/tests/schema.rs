//! The committed JSON Schema (`schema/check.schema.json`) matches the wire types.
//! Run with `GONGKAI_UPDATE_SCHEMA=1` to rewrite it after changing `check.rs`.

#[test]
fn committed_schema_is_current() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/check.schema.json");
    let generated = format!("{}\n", gongkai_pipeline::check::schema());
    if std::env::var_os("GONGKAI_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("schema written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/check.schema.json is stale: run `GONGKAI_UPDATE_SCHEMA=1 cargo test -p gongkai-pipeline --test schema`"
    );
}
