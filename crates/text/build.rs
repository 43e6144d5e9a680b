//! Inflates the committed, zlib-compressed model into `OUT_DIR`, so that the binary
//! embeds it ready to read: loading then skips a 22 MB inflate (about half the load
//! time) and the buffer it needed.

use std::path::PathBuf;

fn main() {
    let src = PathBuf::from("models/en_ewt.bin");
    println!("cargo:rerun-if-changed={}", src.display());
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("en_ewt.raw");
    let bytes = std::fs::read(&src).expect("models/en_ewt.bin is part of the crate");
    // A model saved uncompressed starts with its magic; `Model::from_bytes` checks it.
    let raw = if bytes.starts_with(b"DYADTX") {
        bytes
    } else {
        miniz_oxide::inflate::decompress_to_vec_zlib(&bytes)
            .expect("models/en_ewt.bin is a zlib stream")
    };
    std::fs::write(&out, raw).expect("OUT_DIR is writable");
}
