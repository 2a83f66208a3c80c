//! `board`: the analysis board's one binary. Everything happens in [`board_server::cli`].

fn main() -> std::process::ExitCode {
    board_server::cli::main()
}
