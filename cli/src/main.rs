//! `cor4`: the interactive shell for the cor4 proxy.

fn main() {
    eprintln!("cor4: the shell lands with issue 4");
    std::process::exit(2);
}
