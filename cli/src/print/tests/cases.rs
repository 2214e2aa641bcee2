//! The cases the fixtures hold: which tables each expected file prints,
//! with which settings.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A case key from `table` and `(setting, value)` pairs.
pub(super) fn key(table: &str, settings: &[(&str, &str)]) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("table".into(), table.into());
    for (k, v) in settings {
        m.insert((*k).into(), (*v).into());
    }
    m
}

pub(super) type Cases = BTreeMap<String, Vec<Map<String, Value>>>;

/// Adds, for each table, one case per combination of the settings'
/// values to file `FORMAT-TABLE`.
fn matrix(
    cases: &mut Cases,
    file: &str,
    tables: &[&str],
    fixed: &[(&str, &str)],
    axes: &[(&str, &[&str])],
) {
    for table in tables {
        let mut combos: Vec<Vec<(&str, &str)>> = vec![fixed.to_vec()];
        for (name, values) in axes {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values.iter().map(move |v| {
                        let mut c = c.clone();
                        c.push((name, v));
                        c
                    })
                })
                .collect();
        }
        let list = cases.entry(format!("{file}-{table}")).or_default();
        list.extend(combos.iter().map(|c| key(table, c)));
    }
}

const BORDERS: &[&str] = &["0", "1", "2", "3"];
const BORDERS3: &[&str] = &["0", "1", "2"];
const STYLES: &[&str] = &["ascii", "old-ascii", "unicode"];
const ON_OFF: &[&str] = &["off", "on"];
const TITLES: &[&str] = &[
    "A & <b> | \\ title",
    "Another, much longer title than the table is wide",
    "表題 title\nsecond line",
];

/// Every case, by expected file.
pub(super) fn all_cases() -> Cases {
    let mut c = Cases::new();
    let text_tables = [
        "menu", "mixed", "wide", "lines", "one", "onecol", "empty", "nocols", "nocols1", "numbers",
        "many", "edge",
    ];
    let doc_tables = [
        "menu", "mixed", "lines", "one", "empty", "nocols", "numbers",
    ];

    // aligned
    matrix(
        &mut c,
        "aligned",
        &text_tables,
        &[],
        &[("linestyle", STYLES), ("border", BORDERS)],
    );
    matrix(
        &mut c,
        "aligned",
        &["menu", "mixed", "lines", "empty", "nocols1"],
        &[],
        &[
            ("tuples_only", &["on"]),
            ("border", BORDERS3),
            ("title", TITLES),
        ],
    );
    matrix(
        &mut c,
        "aligned",
        &["menu", "wide", "empty", "nocols1"],
        &[],
        &[("title", TITLES), ("border", BORDERS3)],
    );
    matrix(
        &mut c,
        "aligned",
        &["menu", "mixed", "numbers"],
        &[],
        &[("footer", &["off"]), ("null", &["(null)", "∅ NULL"])],
    );
    matrix(
        &mut c,
        "aligned",
        &["numbers", "mixed"],
        &[("numericlocale", "on")],
        &[("border", BORDERS3)],
    );
    // Digit grouping reaches every format (psql applies it before
    // printing), but never the null string.
    matrix(
        &mut c,
        "numericlocale",
        &["numbers"],
        &[("numericlocale", "on"), ("null", "1234567")],
        &[
            (
                "format",
                &["aligned", "wrapped", "unaligned", "csv", "html", "latex"],
            ),
            ("expanded", ON_OFF),
        ],
    );
    matrix(
        &mut c,
        "aligned",
        &["menu", "lines", "describe"],
        &[("linestyle", "unicode")],
        &[
            ("unicode_border_linestyle", &["single", "double"]),
            ("unicode_column_linestyle", &["single", "double"]),
            ("unicode_header_linestyle", &["single", "double"]),
            ("border", BORDERS3),
        ],
    );
    matrix(
        &mut c,
        "aligned",
        &["describe"],
        &[],
        &[
            ("border", BORDERS3),
            ("tuples_only", ON_OFF),
            ("footer", ON_OFF),
        ],
    );
    matrix(
        &mut c,
        "aligned",
        &["describe"],
        &[("title", "ignored")],
        &[],
    );

    // expanded
    matrix(
        &mut c,
        "expanded",
        &text_tables,
        &[("expanded", "on")],
        &[("linestyle", STYLES), ("border", BORDERS)],
    );
    matrix(
        &mut c,
        "expanded",
        &["menu", "mixed", "lines", "empty", "nocols1"],
        &[("expanded", "on")],
        &[
            ("tuples_only", ON_OFF),
            ("border", BORDERS3),
            ("title", &["T"]),
        ],
    );
    matrix(
        &mut c,
        "expanded",
        &["menu", "lines"],
        &[("expanded", "on"), ("linestyle", "unicode")],
        &[
            ("unicode_border_linestyle", &["single", "double"]),
            ("unicode_column_linestyle", &["single", "double"]),
            ("unicode_header_linestyle", &["single", "double"]),
            ("border", BORDERS3),
        ],
    );
    matrix(
        &mut c,
        "expanded",
        &["menu", "numbers", "onecol", "quotes"],
        &[("expanded", "auto")],
        &[
            ("format", &["aligned", "wrapped"]),
            ("columns", &["0", "10", "20", "30", "40", "60", "200"]),
        ],
    );
    matrix(
        &mut c,
        "expanded",
        &["menu", "mixed"],
        &[("expanded", "on")],
        &[("footer", &["off"]), ("null", &["(null)"])],
    );

    // wrapped
    let wrapped_tables = [
        "menu", "mixed", "wide", "lines", "quotes", "numbers", "many", "onecol", "one", "edge",
    ];
    matrix(
        &mut c,
        "wrapped",
        &wrapped_tables,
        &[("format", "wrapped")],
        &[
            ("columns", &["0", "10", "20", "30", "45", "60"]),
            ("border", BORDERS3),
            ("expanded", ON_OFF),
        ],
    );
    matrix(
        &mut c,
        "wrapped",
        &wrapped_tables,
        &[("format", "wrapped")],
        &[
            ("columns", &["20", "45"]),
            ("linestyle", &["old-ascii", "unicode"]),
            ("border", BORDERS3),
            ("expanded", ON_OFF),
        ],
    );
    matrix(
        &mut c,
        "wrapped",
        &["quotes", "lines"],
        &[("format", "wrapped"), ("columns", "30")],
        &[("tuples_only", ON_OFF), ("title", TITLES)],
    );

    // unaligned
    matrix(
        &mut c,
        "unaligned",
        &[
            "menu", "mixed", "lines", "one", "empty", "nocols", "nocols1", "edge",
        ],
        &[("format", "unaligned")],
        &[
            ("expanded", ON_OFF),
            ("tuples_only", ON_OFF),
            ("fieldsep", &["|", ",", "\t", " :: "]),
            ("recordsep", &["\n", ";"]),
        ],
    );
    matrix(
        &mut c,
        "unaligned",
        &["menu", "lines", "empty", "nocols1"],
        &[("format", "unaligned")],
        &[
            ("expanded", ON_OFF),
            ("tuples_only", ON_OFF),
            ("fieldsep_zero", &["on"]),
            ("recordsep_zero", &["on"]),
        ],
    );
    matrix(
        &mut c,
        "unaligned",
        &["menu", "lines", "empty"],
        &[("format", "unaligned"), ("recordsep_zero", "on")],
        &[("expanded", ON_OFF), ("tuples_only", ON_OFF)],
    );
    matrix(
        &mut c,
        "unaligned",
        &["menu", "empty", "nocols1"],
        &[("format", "unaligned")],
        &[("expanded", ON_OFF), ("title", TITLES), ("footer", ON_OFF)],
    );

    // csv
    matrix(
        &mut c,
        "csv",
        &["menu", "mixed", "lines", "one", "empty", "nocols"],
        &[("format", "csv")],
        &[
            ("expanded", ON_OFF),
            ("tuples_only", ON_OFF),
            ("csv_fieldsep", &[",", ";", "\t", "|", ".", "\\", "e"]),
        ],
    );
    matrix(
        &mut c,
        "csv",
        &["menu", "mixed"],
        &[("format", "csv"), ("null", "NULL")],
        &[("title", &["T"]), ("expanded", ON_OFF)],
    );

    // the document formats
    for (file, format) in [
        ("html", "html"),
        ("asciidoc", "asciidoc"),
        ("latex", "latex"),
        ("longtable", "latex-longtable"),
        ("troff", "troff-ms"),
    ] {
        matrix(
            &mut c,
            file,
            &doc_tables,
            &[("format", format)],
            &[
                ("border", BORDERS),
                ("expanded", ON_OFF),
                ("tuples_only", ON_OFF),
            ],
        );
        matrix(
            &mut c,
            file,
            &["menu", "mixed", "empty"],
            &[("format", format), ("title", TITLES[0])],
            &[("border", BORDERS), ("expanded", ON_OFF)],
        );
        matrix(
            &mut c,
            file,
            &["menu", "mixed"],
            &[("format", format)],
            &[("footer", &["off"]), ("null", &["", "<null> & \\"])],
        );
    }
    // psql prints \d listings expanded never, so they get no expanded cases.
    for (file, format) in [
        ("unaligned", "unaligned"),
        ("csv", "csv"),
        ("html", "html"),
        ("asciidoc", "asciidoc"),
        ("latex", "latex"),
        ("longtable", "latex-longtable"),
        ("troff", "troff-ms"),
    ] {
        matrix(
            &mut c,
            file,
            &["describe"],
            &[("format", format)],
            &[
                ("border", BORDERS),
                ("tuples_only", ON_OFF),
                ("footer", ON_OFF),
            ],
        );
    }
    matrix(
        &mut c,
        "html",
        &["menu", "empty"],
        &[("format", "html")],
        &[
            ("tableattr", &["class=\"grid\" width=\"50%\"", ""]),
            ("expanded", ON_OFF),
        ],
    );
    matrix(
        &mut c,
        "html",
        &["menu"],
        &[("format", "html"), ("border", "7")],
        &[],
    );
    matrix(
        &mut c,
        "longtable",
        &["menu", "numbers", "many"],
        &[("format", "latex-longtable")],
        &[
            ("tableattr", &["0.3 0.2", " 0.25\t0.5\n0.1 ", "", "0.4"]),
            ("border", BORDERS),
            ("title", &["T"]),
        ],
    );

    // printed in chunks, as with FETCH_COUNT
    for format in [
        "aligned",
        "wrapped",
        "unaligned",
        "csv",
        "html",
        "asciidoc",
        "latex",
        "latex-longtable",
        "troff-ms",
    ] {
        // mixed (5 rows) in chunks of 2, 2, 1 and of 5, 0; menu (3 rows) in
        // chunks of 3, 0; empty in one empty chunk.
        for (table, fetch) in [
            ("mixed", "2"),
            ("mixed", "5"),
            ("menu", "3"),
            ("empty", "2"),
        ] {
            matrix(
                &mut c,
                "chunked",
                &[table],
                &[("format", format), ("fetch_count", fetch)],
                &[
                    ("border", BORDERS3),
                    ("expanded", ON_OFF),
                    ("tuples_only", ON_OFF),
                ],
            );
        }
    }
    matrix(
        &mut c,
        "chunked",
        &["mixed", "menu"],
        &[("fetch_count", "2"), ("linestyle", "unicode")],
        &[
            ("format", &["aligned", "wrapped"]),
            ("border", BORDERS3),
            ("expanded", ON_OFF),
        ],
    );
    matrix(
        &mut c,
        "chunked",
        &["mixed", "quotes", "numbers"],
        &[("expanded", "auto")],
        &[
            ("fetch_count", &["2"]),
            ("format", &["aligned", "wrapped"]),
            ("columns", &["20", "40", "60"]),
        ],
    );
    matrix(
        &mut c,
        "chunked",
        &["mixed"],
        &[("fetch_count", "2"), ("title", "T")],
        &[
            (
                "format",
                &[
                    "aligned",
                    "unaligned",
                    "html",
                    "asciidoc",
                    "latex",
                    "latex-longtable",
                    "troff-ms",
                ],
            ),
            ("expanded", ON_OFF),
        ],
    );
    c
}
