//! One module per subcommand: its flags (`Args`) and its `run`.

pub mod code;
pub mod dict;
pub mod eval_parse;
pub mod parse;
pub mod train;
pub mod validate;
