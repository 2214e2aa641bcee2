use super::*;
use clap::Parser as _;

#[test]
fn defaults_are_the_documented_ones() {
    let c = Config::resolve(&CommonArgs::default(), &ServeArgs::default()).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:7654");
    assert_eq!(c.max_record, 65_536);
    assert_eq!(c.kdf, KsfParams::DEFAULT);
    assert!(matches!(c.database, Database::Embedded { .. }));
}

#[test]
fn flag_beats_file_beats_default() {
    let dir = std::env::temp_dir().join(format!("cor4-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cor4.toml");
    std::fs::write(
        &path,
        "max_record = 2048\nmax_sessions = 7\nlisten = \"127.0.0.1:9999\"\n",
    )
    .unwrap();
    let common = CommonArgs {
        config: Some(path),
        ..CommonArgs::default()
    };
    let serve = ServeArgs {
        max_record: Some(4096),
        ..ServeArgs::default()
    };
    let c = Config::resolve(&common, &serve).unwrap();
    assert_eq!(c.max_record, 4096);
    assert_eq!(c.max_sessions, 7);
    assert_eq!(c.listen.port(), 9999);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn top_takes_an_interval_in_seconds() {
    let cli =
        Cli::try_parse_from(["cor4-proxy", "top", "--interval", "0.5", "--user", "al"]).unwrap();
    match cli.command {
        Some(Command::Top { interval, user }) => {
            assert_eq!(interval, Duration::from_millis(500));
            assert_eq!(user.as_deref(), Some("al"));
        }
        other => panic!("{other:?}"),
    }
    let default = Cli::try_parse_from(["cor4-proxy", "top"]).unwrap();
    assert!(matches!(
        default.command,
        Some(Command::Top { interval, user: None }) if interval == Duration::from_secs(1)
    ));
    for bad in ["0", "-1", "nan", "soon", "7200"] {
        assert!(
            Cli::try_parse_from(["cor4-proxy", "top", "--interval", bad]).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn rejects_out_of_range_and_unknown_keys() {
    let serve = ServeArgs {
        max_record: Some(10),
        ..ServeArgs::default()
    };
    assert!(matches!(
        Config::resolve(&CommonArgs::default(), &serve),
        Err(ConfigError::OutOfRange {
            option: "max-record",
            ..
        })
    ));
    assert!(toml::from_str::<FileConfig>("nonsense = 1").is_err());
}

#[test]
fn log_format_comes_from_the_file_unless_a_flag_says() {
    let dir = std::env::temp_dir().join(format!("cor4-logfmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("cor4.toml");
    std::fs::write(&path, "log_format = \"json\"\n").expect("write config");
    let mut common = CommonArgs {
        config: Some(path.clone()),
        ..CommonArgs::default()
    };
    assert_eq!(logging(&common).0, LogFormat::Json);
    common.log_format = Some(LogFormat::Human);
    assert_eq!(logging(&common).0, LogFormat::Human);
    common.log_format = None;
    common.config = None;
    assert_eq!(logging(&common), (LogFormat::Human, "info".to_owned()));
    let _ = std::fs::remove_dir_all(&dir);
}
