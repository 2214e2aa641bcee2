//! `cor4`: the interactive shell for the cor4 proxy.

fn main() -> std::process::ExitCode {
    cor4_cli::run()
}
