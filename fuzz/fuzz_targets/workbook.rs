//! Arbitrary bytes → `input::workbook::load` (a fill-in `.xlsx`) → `engine::score`.
//!
//! A loaded workbook is scored against the built-in rubric its 信息 sheet names (or
//! `cast-dept-2021` when it names none, or one that is not built in) and against the synthetic
//! `examples/all-methods` rubric (compiled in), with the checks of `data_loader`: loading and
//! scoring never panic, a failure reports an error, an evaluation keeps every node's score
//! within 0 ..= its points and the total within 0 ..= the maximum, and scoring twice gives the
//! same evaluation.
//!
//! A workbook is a zip archive whose parts carry CRC-32 checksums, so a byte flipped inside a
//! part's data is refused by the zip reader before any XML is read. A custom mutator therefore
//! works on the parts: three mutations in four unpack the input, mutate one part's bytes (or
//! drop a part, or rename one) with libFuzzer's own mutator, dictionary included, and pack the
//! parts again with correct checksums (stored; deflated when stored is longer than
//! `-max_len`); the fourth mutates the raw bytes, which is what
//! reaches the zip structure itself (headers, sizes, the central directory, names).
#![no_main]

#[path = "scoring_checks.rs"]
mod scoring_checks;

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};
use selfeval::lang::Lang;
use selfeval::rubric::Rubric;
use selfeval::rubric::load::load;
use selfeval::yaml::Source;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;

const ALL_METHODS: &str = include_str!("../../examples/all-methods/rubric.yaml");

struct Rubrics {
    builtin: BTreeMap<&'static str, Rubric>,
    all_methods: Rubric,
}

fn rubrics() -> &'static Rubrics {
    static RUBRICS: OnceLock<Rubrics> = OnceLock::new();
    RUBRICS.get_or_init(|| {
        let builtin = selfeval::rubric::builtin::ids()
            .map(|id| {
                let Ok(loaded) = selfeval::input::load_rubric(id, Lang::En) else {
                    panic!("the built-in rubric {id} does not load");
                };
                (id, std::sync::Arc::unwrap_or_clone(loaded.rubric))
            })
            .collect();
        let source = Source { name: "all-methods.yaml".into(), text: ALL_METHODS.into() };
        let Ok((all_methods, _)) = load(&source, Lang::En) else {
            panic!("examples/all-methods/rubric.yaml does not load");
        };
        Rubrics { builtin, all_methods }
    })
}

fuzz_target!(|data: &[u8]| {
    let rubrics = rubrics();
    let file = match selfeval::input::workbook::load("f.xlsx", data.to_vec(), Lang::En) {
        Ok((file, warnings)) => {
            assert!(!warnings.has_errors(), "workbook loaded with errors among its warnings");
            file
        }
        Err(diags) => {
            assert!(diags.has_errors(), "workbook load failed without reporting an error");
            return;
        }
    };
    let named = file.rubric.as_ref().and_then(|(spec, _)| rubrics.builtin.get(spec.as_str()));
    let Some(first) = named.or_else(|| rubrics.builtin.get("cast-dept-2021")) else {
        panic!("no built-in rubric cast-dept-2021");
    };
    for rubric in [first, &rubrics.all_methods] {
        scoring_checks::check_scoring(rubric, &file);
    }
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    if !seed.is_multiple_of(4)
        && let Some(n) = mutate_part(data, size, max_size, seed / 4)
    {
        return n;
    }
    fuzzer_mutate(data, size, max_size)
});

/// Most parts, and most unpacked bytes, the mutator unpacks; larger inputs get raw mutations.
const MAX_PARTS: usize = 64;
const MAX_UNPACKED: u64 = 4 << 20;

/// Unpacks the zip in `data[..size]`, changes one part, packs it again into `data`.
fn mutate_part(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    let mut parts = unzip(&data[..size])?;
    if parts.is_empty() {
        return None;
    }
    // Seven picks in eight among the parts the reader interprets (sheets, shared strings,
    // styles, the workbook and its relations, the content types), the eighth among all.
    let interesting: Vec<usize> = (0..parts.len())
        .filter(|&i| {
            let name = parts[i].0.as_str();
            (name.starts_with("xl/") && !name.starts_with("xl/theme/")) || name == "[Content_Types].xml"
        })
        .collect();
    let pick = if !seed.is_multiple_of(8) && !interesting.is_empty() {
        interesting[(seed / 8) as usize % interesting.len()]
    } else {
        (seed / 8) as usize % parts.len()
    };
    match (seed >> 20) % 32 {
        0 if parts.len() > 1 => {
            parts.remove(pick);
        }
        1 => {
            let name = std::mem::take(&mut parts[pick].0).into_bytes();
            let renamed = mutate_bytes(name, 16);
            parts[pick].0 = String::from_utf8(renamed).ok().filter(|n| !n.is_empty())?;
        }
        _ => {
            let content = std::mem::take(&mut parts[pick].1);
            let room = (content.len() / 8).clamp(64, 4096);
            parts[pick].1 = mutate_bytes(content, room);
        }
    }
    // Stored, unless that is too long for libFuzzer's -max_len: then deflated (a form's
    // drop-downs and theme shrink five-fold).
    let limit = max_size.min(data.len());
    let packed = Some(zip(&parts, zip::CompressionMethod::Stored)?)
        .filter(|p| p.len() <= limit)
        .or_else(|| zip(&parts, zip::CompressionMethod::Deflated))
        .filter(|p| p.len() <= limit)?;
    data[..packed.len()].copy_from_slice(&packed);
    Some(packed.len())
}

/// libFuzzer's mutation of `bytes`, which may grow by up to `room` bytes.
fn mutate_bytes(mut bytes: Vec<u8>, room: usize) -> Vec<u8> {
    let len = bytes.len();
    bytes.resize(len + room, 0);
    let n = fuzzer_mutate(&mut bytes, len, len + room);
    bytes.truncate(n);
    bytes
}

fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if archive.len() > MAX_PARTS {
        return None;
    }
    let mut total = 0u64;
    let mut parts = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).ok()?;
        total = total.saturating_add(part.size());
        if total > MAX_UNPACKED {
            return None;
        }
        let name = part.name().ok()?.into_owned();
        let mut content = Vec::new();
        (&mut part).take(MAX_UNPACKED).read_to_end(&mut content).ok()?;
        parts.push((name, content));
    }
    Some(parts)
}

fn zip(parts: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Option<Vec<u8>> {
    let level = (method != zip::CompressionMethod::Stored).then_some(1);
    let options = zip::write::SimpleFileOptions::default().compression_method(method).compression_level(level);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        writer.start_file(name.as_str(), options).ok()?;
        writer.write_all(content).ok()?;
    }
    writer.finish().ok().map(Cursor::into_inner)
}
