use std::process::ExitCode;

fn main() -> ExitCode {
    tuanjian::cli::main()
}
