//! Every table that `tests/psql/corpus/21-*.sql` … `34-*.sql` prints, as
//! `print_table` prints it, must appear in psql's saved output for that
//! script (`tests/psql/expected/corpus/*.out`), in the script's order.
//!
//! Each case gives the table (`c21_…` in `tables.json` holds the script's
//! data in its `ORDER BY` order) and the settings in force at that point
//! of the script. Two tables are left out: those script 24 pipes through
//! `od -c`.

use std::path::Path;

use super::cases::key;
use super::{options, render, table, tables};

type Settings = &'static [(&'static str, &'static str)];

const ASCII: &str = "ascii";
const OLD: &str = "old-ascii";
const UNI: &str = "unicode";
const DOUBLE: &str = "double";

/// The tables of each script, in order.
const CORPUS: &[(&str, &[(&str, Settings)])] = &[
    (
        "21-border-linestyle",
        &[
            ("menu", &[("linestyle", ASCII), ("border", "0")]),
            ("menu", &[("border", "1")]),
            ("menu", &[("border", "2")]),
            ("menu", &[("border", "2"), ("expanded", "on")]),
            ("menu", &[("border", "0"), ("expanded", "on")]),
            ("menu", &[("linestyle", OLD), ("border", "0")]),
            ("menu", &[("linestyle", OLD), ("border", "1")]),
            ("menu", &[("linestyle", OLD), ("border", "2")]),
            (
                "menu",
                &[("linestyle", OLD), ("border", "2"), ("expanded", "on")],
            ),
            ("menu", &[("linestyle", UNI), ("border", "0")]),
            ("menu", &[("linestyle", UNI), ("border", "1")]),
            ("menu", &[("linestyle", UNI), ("border", "2")]),
            (
                "menu",
                &[("linestyle", UNI), ("border", "2"), ("expanded", "on")],
            ),
            (
                "menu",
                &[("linestyle", UNI), ("border", "1"), ("expanded", "on")],
            ),
        ],
    ),
    (
        "22-unicode-linestyles",
        &[
            (
                "c22_nword",
                &[
                    ("linestyle", UNI),
                    ("border", "2"),
                    ("unicode_border_linestyle", DOUBLE),
                ],
            ),
            (
                "c22_nword",
                &[
                    ("linestyle", UNI),
                    ("border", "2"),
                    ("unicode_border_linestyle", DOUBLE),
                    ("unicode_column_linestyle", DOUBLE),
                ],
            ),
            (
                "c22_nword",
                &[
                    ("linestyle", UNI),
                    ("border", "2"),
                    ("unicode_border_linestyle", DOUBLE),
                    ("unicode_column_linestyle", DOUBLE),
                    ("unicode_header_linestyle", DOUBLE),
                ],
            ),
            (
                "c22_nword",
                &[
                    ("linestyle", UNI),
                    ("border", "2"),
                    ("expanded", "on"),
                    ("unicode_border_linestyle", DOUBLE),
                    ("unicode_column_linestyle", DOUBLE),
                    ("unicode_header_linestyle", DOUBLE),
                ],
            ),
            (
                "c22_nword",
                &[
                    ("linestyle", UNI),
                    ("unicode_border_linestyle", DOUBLE),
                    ("unicode_column_linestyle", DOUBLE),
                    ("unicode_header_linestyle", DOUBLE),
                ],
            ),
            (
                "c22_nword",
                &[("linestyle", UNI), ("unicode_header_linestyle", DOUBLE)],
            ),
            ("c22_nword", &[("linestyle", UNI), ("border", "2")]),
            (
                "c22_nword1",
                &[("border", "2"), ("unicode_column_linestyle", DOUBLE)],
            ),
        ],
    ),
    (
        "23-expanded",
        &[
            ("c23_people", &[("expanded", "on")]),
            ("c23_people", &[]),
            ("c23_ids", &[("expanded", "on")]),
            ("c23_x", &[("expanded", "on")]),
            ("nocols1", &[("expanded", "on")]),
            ("c23_people", &[("expanded", "auto")]),
            ("c23_people", &[("expanded", "auto"), ("columns", "40")]),
            ("c23_idcity", &[("expanded", "auto"), ("columns", "40")]),
            (
                "c23_people",
                &[
                    ("expanded", "auto"),
                    ("columns", "40"),
                    ("format", "wrapped"),
                ],
            ),
        ],
    ),
    (
        "24-unaligned",
        &[
            ("c24_inv", &[("format", "unaligned")]),
            ("c24_inv", &[("format", "unaligned"), ("fieldsep", ",")]),
            ("c24_inv", &[("format", "unaligned"), ("fieldsep", "\t")]),
            (
                "c24_inv",
                &[
                    ("format", "unaligned"),
                    ("fieldsep", "\t"),
                    ("recordsep", ";"),
                ],
            ),
            (
                "c24_codeqty",
                &[("format", "unaligned"), ("fieldsep", " :: ")],
            ),
            (
                "c24_inv",
                &[
                    ("format", "unaligned"),
                    ("fieldsep", " :: "),
                    ("expanded", "on"),
                ],
            ),
            (
                "c24_inv",
                &[
                    ("format", "unaligned"),
                    ("fieldsep", " :: "),
                    ("expanded", "on"),
                    ("tuples_only", "on"),
                ],
            ),
            (
                "c24_inv",
                &[
                    ("format", "unaligned"),
                    ("fieldsep", " :: "),
                    ("tuples_only", "on"),
                ],
            ),
            ("c24_code1", &[]),
        ],
    ),
    (
        "25-wrapped",
        &[
            ("quotes", &[("format", "wrapped")]),
            ("quotes", &[("format", "wrapped"), ("columns", "40")]),
            (
                "quotes",
                &[("format", "wrapped"), ("columns", "40"), ("border", "2")],
            ),
            (
                "quotes",
                &[("format", "wrapped"), ("columns", "40"), ("border", "0")],
            ),
            (
                "quotes",
                &[("format", "wrapped"), ("columns", "40"), ("linestyle", UNI)],
            ),
            (
                "quotes",
                &[("format", "wrapped"), ("columns", "40"), ("linestyle", OLD)],
            ),
            (
                "quotes",
                &[("format", "wrapped"), ("columns", "40"), ("expanded", "on")],
            ),
            ("quotes", &[("format", "wrapped"), ("columns", "15")]),
        ],
    ),
    (
        "26-csv",
        &[
            ("c26_contacts", &[("format", "csv")]),
            ("c26_contacts", &[("format", "csv"), ("csv_fieldsep", ";")]),
            ("c26_contacts", &[("format", "csv"), ("csv_fieldsep", "\t")]),
            ("c26_contacts", &[("format", "csv"), ("null", "(null)")]),
            ("c26_contacts", &[("format", "csv"), ("tuples_only", "on")]),
            ("c26_contacts", &[("format", "csv"), ("expanded", "on")]),
            ("c26_names", &[("format", "csv")]),
        ],
    ),
    (
        "27-html",
        &[
            ("c27_links", &[("format", "html")]),
            (
                "c27_links",
                &[
                    ("format", "html"),
                    ("tableattr", "class=\"grid\" border=1"),
                    ("title", "Links & more"),
                ],
            ),
            (
                "c27_links",
                &[
                    ("format", "html"),
                    ("tableattr", "class=\"grid\" border=1"),
                    ("title", "Links & more"),
                    ("expanded", "on"),
                ],
            ),
            (
                "c27_links",
                &[
                    ("format", "html"),
                    ("tableattr", "class=\"grid\" border=1"),
                    ("title", "Links & more"),
                    ("tuples_only", "on"),
                ],
            ),
            ("c27_id1", &[("format", "html"), ("border", "0")]),
            ("c27_id1", &[("format", "html"), ("border", "2")]),
            ("c27_url", &[("format", "html"), ("null", "<null>")]),
            (
                "c27_xy",
                &[("format", "html"), ("tableattr", "width=\"50%\"")],
            ),
        ],
    ),
    (
        "28-asciidoc",
        &[
            ("c28_tasks", &[("format", "asciidoc")]),
            (
                "c28_tasks",
                &[
                    ("format", "asciidoc"),
                    ("title", "Task list"),
                    ("border", "0"),
                ],
            ),
            (
                "c28_tasks",
                &[
                    ("format", "asciidoc"),
                    ("title", "Task list"),
                    ("border", "2"),
                ],
            ),
            ("c28_tasks", &[("format", "asciidoc"), ("expanded", "on")]),
            (
                "c28_tasks",
                &[("format", "asciidoc"), ("tuples_only", "on")],
            ),
            (
                "c28_title",
                &[("format", "asciidoc"), ("null", "-"), ("footer", "off")],
            ),
            ("c28_none", &[("format", "asciidoc")]),
        ],
    ),
    (
        "29-latex",
        &[
            ("c29_costs", &[("format", "latex")]),
            ("c29_costs", &[("format", "latex"), ("border", "0")]),
            (
                "c29_costs",
                &[
                    ("format", "latex"),
                    ("border", "2"),
                    ("title", "Costs & more"),
                ],
            ),
            (
                "c29_costs",
                &[
                    ("format", "latex"),
                    ("border", "3"),
                    ("title", "Costs & more"),
                ],
            ),
            (
                "c29_costs",
                &[
                    ("format", "latex"),
                    ("border", "3"),
                    ("title", "Costs & more"),
                    ("expanded", "on"),
                ],
            ),
            ("c29_costs", &[("format", "latex-longtable")]),
            (
                "c29_costs",
                &[
                    ("format", "latex-longtable"),
                    ("border", "3"),
                    ("title", "Long costs"),
                ],
            ),
            (
                "c29_costs",
                &[
                    ("format", "latex-longtable"),
                    ("border", "3"),
                    ("title", "Long costs"),
                    ("tableattr", "0.3 0.2 0.5"),
                ],
            ),
            (
                "c29_costs",
                &[("format", "latex-longtable"), ("border", "0")],
            ),
            (
                "c29_costs",
                &[("format", "latex-longtable"), ("tuples_only", "on")],
            ),
        ],
    ),
    (
        "30-troff-ms",
        &[
            ("c30_parts", &[("format", "troff-ms")]),
            ("c30_parts", &[("format", "troff-ms"), ("border", "0")]),
            (
                "c30_parts",
                &[("format", "troff-ms"), ("border", "2"), ("title", "Parts")],
            ),
            (
                "c30_parts",
                &[
                    ("format", "troff-ms"),
                    ("border", "2"),
                    ("title", "Parts"),
                    ("expanded", "on"),
                ],
            ),
            (
                "c30_parts",
                &[
                    ("format", "troff-ms"),
                    ("title", "Parts"),
                    ("expanded", "on"),
                ],
            ),
            (
                "c30_parts",
                &[("format", "troff-ms"), ("tuples_only", "on")],
            ),
        ],
    ),
    (
        "31-pset-misc",
        &[
            ("c31_sales", &[("null", "(none)")]),
            (
                "c31_sales",
                &[("null", "(none)"), ("title", "Sales by region")],
            ),
            (
                "c31_region1",
                &[("null", "(none)"), ("title", "Other title")],
            ),
            ("c31_region", &[("null", "(none)"), ("footer", "off")]),
            ("c31_region", &[("footer", "off"), ("tuples_only", "on")]),
            (
                "c31_region1",
                &[
                    ("footer", "off"),
                    ("tuples_only", "on"),
                    ("title", "titles are hidden"),
                ],
            ),
            (
                "c31_sales",
                &[
                    ("null", "(none)"),
                    ("footer", "off"),
                    ("numericlocale", "on"),
                ],
            ),
            ("c31_numbers", &[("footer", "off"), ("numericlocale", "on")]),
        ],
    ),
    (
        "33-multiline-values",
        &[
            ("c33_lines", &[]),
            ("c33_header", &[]),
            ("c33_lines", &[("expanded", "on")]),
            ("c33_lines", &[("format", "unaligned")]),
            ("c33_lines", &[("format", "csv")]),
            ("c33_lines", &[("format", "wrapped"), ("columns", "20")]),
            ("c33_lines", &[("format", "asciidoc")]),
            ("c33_lines", &[("format", "html")]),
            ("c33_lines", &[("format", "latex")]),
            ("c33_lines", &[("format", "troff-ms")]),
            ("c33_lines", &[("linestyle", UNI)]),
        ],
    ),
    (
        "34-wide-chars-alignment",
        &[
            ("c34_shop", &[]),
            ("c34_shop", &[("border", "2")]),
            ("c34_shop", &[("border", "2"), ("expanded", "on")]),
            ("c34_namecity", &[("format", "wrapped"), ("columns", "30")]),
            ("c34_wideheaders", &[]),
            ("c34_types", &[]),
            ("c34_values", &[]),
            ("c34_digits", &[]),
            ("c34_shop", &[("format", "unaligned")]),
            ("c34_shop", &[("format", "csv")]),
        ],
    ),
];

#[test]
fn corpus_tables_match_psql() {
    let tables = tables();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/psql/expected/corpus");
    for (script, cases) in CORPUS {
        let expected = std::fs::read(dir.join(format!("{script}.out"))).expect("corpus output");
        let mut from = 0;
        for (i, (name, settings)) in cases.iter().enumerate() {
            let (opts, _) = options(&key(name, settings));
            let got = render(&table(&tables, name), &opts, 0);
            let found = expected[from..]
                .windows(got.len())
                .position(|w| w == got.as_slice());
            match found {
                Some(at) => from += at + got.len(),
                None => panic!(
                    "{script}: table {} ({name} {settings:?}) is not in psql's output after byte {from}; \
                     print_table printed:\n{}",
                    i + 1,
                    String::from_utf8_lossy(&got)
                ),
            }
        }
    }
}
