//! Output settings: what `--csv`, `-A`, `-t`, `-x`, `\pset`, `\timing`
//! change. Shared by the command line, the runner and the meta-commands.

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// psql's default: aligned columns with a header and a footer.
    Aligned,
    /// `-A`: fields separated by `field_sep`, no padding.
    Unaligned,
    /// `--csv`: RFC 4180, byte-identical to `psql --csv`.
    Csv,
    /// `--json`: one JSON object per row.
    Json,
}

/// Everything that changes how output looks.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Output format.
    pub format: Format,
    /// `-x` / `\x`: one line per column.
    pub expanded: bool,
    /// `-t`: rows only, no header or footer.
    pub tuples_only: bool,
    /// `\pset null`: how NULL prints (empty by default).
    pub null: String,
    /// `-F` / `\pset fieldsep` for unaligned output.
    pub field_sep: String,
    /// `\timing`: print each statement's duration.
    pub timing: bool,
    /// Whether output taller than the terminal goes to a pager.
    pub pager: bool,
    /// `--on-error-stop`.
    pub on_error_stop: bool,
    /// `-q`: no informational messages and no command tags (as psql's `-q`).
    pub quiet: bool,
    /// Rows per printed batch (psql's `FETCH_COUNT`): each batch of an
    /// aligned result is aligned on its own, so memory stays flat.
    pub fetch_count: usize,
    /// psql's `VERBOSITY` and `SHOW_CONTEXT`.
    pub report: crate::render::error::ReportStyle,
}

/// The default [`Settings::fetch_count`].
pub const DEFAULT_FETCH_COUNT: usize = 1000;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: Format::Aligned,
            expanded: false,
            tuples_only: false,
            null: String::new(),
            field_sep: "|".into(),
            timing: false,
            pager: true,
            on_error_stop: false,
            quiet: false,
            fetch_count: DEFAULT_FETCH_COUNT,
            report: crate::render::error::ReportStyle::default(),
        }
    }
}
