//! The per-file scoring core: load a data file's text and score it against a loaded rubric.
//! `cargo bench --bench score`.

use criterion::{Criterion, criterion_group, criterion_main};
use selfeval::data::DataFile;
use selfeval::engine;
use selfeval::input::load_rubric;
use selfeval::lang::Lang;
use selfeval::yaml::Source;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let Ok(loaded) = load_rubric("cast-dept-2021", Lang::En) else { return };
    let Ok(text) = std::fs::read_to_string("examples/conghua-cast-2021/data.yaml") else { return };
    let source = Source { name: "data.yaml".into(), text };
    c.bench_function("parse seed data file", |b| {
        b.iter(|| black_box(DataFile::load(black_box(&source), Lang::En).is_ok()))
    });
    let Ok((data, _)) = DataFile::load(&source, Lang::En) else { return };
    c.bench_function("score seed (loaded)", |b| {
        b.iter(|| {
            black_box(engine::score(black_box(&loaded.rubric), black_box(&data), &engine::Options::default()).is_ok())
        })
    });
    c.bench_function("parse + score seed", |b| {
        b.iter(|| {
            let (data, _) = DataFile::load(black_box(&source), Lang::En).ok()?;
            engine::score(&loaded.rubric, &data, &engine::Options::default()).ok().map(|(e, _)| e.total)
        })
    });
    let rubric_text = selfeval::rubric::builtin::find("cast-dept-2021").map(|b| b.text).unwrap_or_default().to_owned();
    let rubric_source = Source { name: "rubric.yaml".into(), text: rubric_text };
    c.bench_function("load cast-dept-2021 rubric", |b| {
        b.iter(|| black_box(selfeval::rubric::load::load(black_box(&rubric_source), Lang::En).is_ok()))
    });
    // What a run does: the built-in's recorded events replayed instead of parsing its text.
    c.bench_function("load cast-dept-2021 built-in (recorded)", |b| {
        b.iter(|| black_box(load_rubric(black_box("cast-dept-2021"), Lang::En).is_ok()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
