//! `incidents geocode NAME`: ranked place candidates from the gazetteer.

use incidents::Result;
use incidents::locate::Answer;
use serde_json::{Map, Value};

use super::{Ctx, OutputArgs, note};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Place name in any spelling or script (Al-Masmiyah, Mismiyah, المسمية).
    pub name: String,
    /// Only places in this country (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub country: Option<String>,
    /// At most this many candidates.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Exit codes: 0 when the name names one place (its row is marked
/// `answer`) or several equally (none is marked; a note says so); 1 when no
/// place has the name: the rows printed are then suggestions, different
/// names, with their distance in spelling (`edits`).
pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let db = ctx.read()?;
    let r = db.geocode(&a.name, a.country.as_deref(), a.limit)?;
    match r.answer {
        Answer::NoMatch => note(&format!(
            "no place named {:?}{}",
            a.name,
            if r.candidates.is_empty() {
                ""
            } else {
                "; these DIFFERENT names are spelled alike (suggestions only):"
            }
        )),
        Answer::Ambiguous(1) => note(&format!(
            "{:?} may name the place below, but not surely (a common name, or a loose spelling match); give coordinates",
            r.looked_up
        )),
        Answer::Ambiguous(n) => note(&format!(
            "{:?} names {n} different places (some perhaps in other countries); narrow with --country or give coordinates",
            r.looked_up
        )),
        Answer::One if r.looked_up != a.name.trim() => {
            note(&format!("note: looked up {:?}", r.looked_up));
        }
        Answer::One => {}
    }
    let mut out = a.output.writer(&[
        "name",
        "latitude",
        "longitude",
        "country",
        "admin1",
        "admin1_code",
        "feature_code",
        "population",
        "match",
        "edits",
        "answer",
        "score",
    ]);
    for (i, c) in r.candidates.iter().enumerate() {
        let p = c.place.clone();
        let mut row = Map::new();
        row.insert("name".into(), p.name.into());
        row.insert("latitude".into(), p.latitude.into());
        row.insert("longitude".into(), p.longitude.into());
        row.insert("country".into(), p.country.into());
        row.insert("admin1".into(), p.admin1_name.into());
        row.insert("admin1_code".into(), p.admin1_code.into());
        row.insert("feature_code".into(), p.feature_code.into());
        row.insert("population".into(), p.population.into());
        row.insert("match".into(), c.kind.as_str().into());
        row.insert("edits".into(), c.edits.into());
        row.insert("answer".into(), (i == 0 && r.answer == Answer::One).into());
        row.insert(
            "score".into(),
            Value::from((c.score * 1000.0).round() / 1000.0),
        );
        out.write(&row)?;
    }
    out.finish()?;
    if r.answer == Answer::NoMatch {
        return Err(incidents::Error::NoPlace {
            name: a.name,
            suggestions: Vec::new(),
        });
    }
    Ok(())
}
