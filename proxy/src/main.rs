//! `cor4-proxy`: serves Cor4 v2 sessions and relays them to PostgreSQL.

fn main() {
    eprintln!("cor4-proxy: the server lands with issue 3");
    std::process::exit(2);
}
