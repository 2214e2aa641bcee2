//! `cor4-proxy`: serves Cor4 v3 sessions and relays them to PostgreSQL.

fn main() -> std::process::ExitCode {
    cor4_proxy::run()
}
