//! `incidents chart`: the bars checked against `report --group-by` on the
//! seeds and on ten thousand generated incidents, the reported figures
//! beside them, the notes, PNG output and bad input.
mod common;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use chrono::{Datelike, Duration, NaiveDate};
use common::{Session, both};
use serde_json::Value;

// ---------------------------------------------------------------------------
// Reading a chart

/// A bar segment: one stack's part of one period's bar.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    period: String,
    stack: String,
    key: String,
    value: u64,
}

/// A period's bar as a whole.
#[derive(Debug, Clone, PartialEq)]
struct Period {
    key: String,
    incidents: u64,
    value: u64,
}

/// A reported figure drawn as a marker.
#[derive(Debug, Clone, PartialEq)]
struct Marker {
    value: String,
    metric: String,
    source: String,
    derived: bool,
    period: String,
}

#[derive(Debug)]
struct Chart {
    title: String,
    periods: Vec<Period>,
    segments: Vec<Segment>,
    markers: Vec<Marker>,
    notes: String,
    spanning: u64,
    overlapping: u64,
    sources: String,
    legend: Vec<String>,
}

fn attr(n: roxmltree::Node, name: &str) -> String {
    n.attribute(name)
        .unwrap_or_else(|| panic!("<{}> has no {name}", n.tag_name().name()))
        .to_string()
}

fn number(n: roxmltree::Node, name: &str) -> u64 {
    attr(n, name)
        .parse()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn class_is(n: &roxmltree::Node, class: &str) -> bool {
    n.attribute("class") == Some(class)
}

/// The text of the `<text>` elements under the group of `class`.
fn texts(doc: &roxmltree::Document, class: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| class_is(n, class))
        .flat_map(|g| g.descendants().filter(|t| t.has_tag_name("text")))
        .map(|t| t.text().unwrap_or("").to_string())
        .collect()
}

fn parse(svg: &str) -> Chart {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let notes_group = doc
        .descendants()
        .find(|n| class_is(n, "notes"))
        .expect("a notes group");
    Chart {
        title: doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or("")
            .to_string(),
        periods: doc
            .descendants()
            .filter(|n| class_is(n, "period"))
            .map(|n| Period {
                key: attr(n, "data-period"),
                incidents: number(n, "data-incidents"),
                value: number(n, "data-value"),
            })
            .collect(),
        segments: doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && class_is(n, "bar"))
            .map(|n| Segment {
                period: attr(n, "data-period"),
                stack: attr(n, "data-stack"),
                key: attr(n, "data-key"),
                value: number(n, "data-value"),
            })
            .collect(),
        markers: doc
            .descendants()
            .filter(|n| class_is(n, "tally"))
            .map(|n| Marker {
                value: attr(n, "data-value"),
                metric: attr(n, "data-metric"),
                source: attr(n, "data-source"),
                derived: attr(n, "data-derived") == "true",
                period: attr(n, "data-period"),
            })
            .collect(),
        notes: texts(&doc, "notes").join(" "),
        spanning: number(notes_group, "data-spanning"),
        overlapping: number(notes_group, "data-overlapping"),
        sources: texts(&doc, "sources").join(" "),
        legend: doc
            .descendants()
            .filter(|n| class_is(n, "stack-key"))
            .map(|n| attr(n, "data-stack"))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    }
}

/// Runs `chart ARGS -o -` and parses the SVG it writes to stdout.
fn chart(s: &Session, args: &[&str]) -> Chart {
    let mut a = vec!["chart"];
    a.extend(args);
    a.extend(["-o", "-"]);
    let out = s.ok(&a);
    assert!(out.starts_with("<?xml"), "{a:?} wrote no SVG: {out:.200}");
    parse(&out)
}

/// `report --group-by DIMS --format json` rows.
fn grouped(s: &Session, args: &[&str], dims: &str) -> Vec<Value> {
    let mut a = vec!["report", "--group-by", dims];
    a.extend(args);
    let v = s.json(&a);
    v.as_array().expect("rows").clone()
}

fn measure(row: &Value, measure: &str) -> u64 {
    // A sum covering no incident is null: nothing to stack.
    row[measure].as_u64().unwrap_or(0)
}

/// The report's figure per (time key, other key), leaving the incidents
/// spanning several periods (their key is a "(spans several ...)" label).
fn report_cells(
    s: &Session,
    args: &[&str],
    by: &str,
    stack: &str,
    m: &str,
) -> BTreeMap<(String, String), u64> {
    grouped(s, args, &format!("{by},{stack}"))
        .iter()
        .filter(|r| !r[by].as_str().unwrap().starts_with('('))
        .map(|r| {
            (
                (
                    r[by].as_str().unwrap().to_string(),
                    r[stack].as_str().unwrap().to_string(),
                ),
                measure(r, m),
            )
        })
        .filter(|(_, v)| *v > 0)
        .collect()
}

/// The months from `from` to `to` (both YYYY-MM), as the report keys them.
fn months(from: &str, to: &str) -> Vec<String> {
    let mut d: NaiveDate = format!("{from}-01").parse().unwrap();
    let end: NaiveDate = format!("{to}-01").parse().unwrap();
    let mut out = Vec::new();
    while d <= end {
        out.push(d.format("%Y-%m").to_string());
        d = d.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    out
}

/// Checks the chart's bars against the grouped report over the same
/// filters and range: each segment is the report's figure for its period
/// and stack, the rest of a bar is "other", each period's bar is the
/// report's figure for the period, and a period with nothing has no
/// segment.
fn check_against_report(s: &Session, c: &Chart, args: &[&str], by: &str, stack: &str, m: &str) {
    let cells = report_cells(s, args, by, stack, m);
    let per_period: BTreeMap<String, u64> = grouped(s, args, by)
        .iter()
        .filter(|r| !r[by].as_str().unwrap().starts_with('('))
        .map(|r| (r[by].as_str().unwrap().to_string(), measure(r, m)))
        .collect();
    let incidents: BTreeMap<String, u64> = grouped(s, args, by)
        .iter()
        .map(|r| (r[by].as_str().unwrap().to_string(), measure(r, "incidents")))
        .collect();
    assert!(!c.segments.is_empty(), "{args:?}: no segment drawn");
    let mut drawn: BTreeMap<String, u64> = BTreeMap::new();
    let mut named: BTreeMap<String, u64> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for seg in &c.segments {
        assert!(seg.value > 0, "{args:?}: an empty segment {seg:?}");
        assert!(
            seen.insert((seg.period.clone(), seg.stack.clone())),
            "{args:?}: two segments for {seg:?}"
        );
        *drawn.entry(seg.period.clone()).or_default() += seg.value;
        if seg.key != "(other)" {
            let want = cells
                .get(&(seg.period.clone(), seg.key.clone()))
                .copied()
                .unwrap_or(0);
            assert_eq!(seg.value, want, "{args:?}: segment {seg:?}");
            *named.entry(seg.period.clone()).or_default() += seg.value;
        }
    }
    // The stack's totals per period, from the report (by actor an incident
    // is under each of its actors, so those add up to more than the
    // period's incidents).
    let mut stacked: BTreeMap<String, u64> = BTreeMap::new();
    for ((p, _), v) in &cells {
        *stacked.entry(p.clone()).or_default() += v;
    }
    for p in &c.periods {
        let want = stacked.get(&p.key).copied().unwrap_or(0);
        assert_eq!(p.value, want, "{args:?}: bar of {}", p.key);
        assert_eq!(
            drawn.get(&p.key).copied().unwrap_or(0),
            want,
            "{args:?}: segments of {}",
            p.key
        );
        assert_eq!(
            p.incidents,
            incidents.get(&p.key).copied().unwrap_or(0),
            "{args:?}: incidents of {}",
            p.key
        );
        if stack != "actor" {
            assert_eq!(
                p.value,
                per_period.get(&p.key).copied().unwrap_or(0),
                "{args:?}: {}",
                p.key
            );
        }
        if want == 0 {
            assert!(
                !c.segments.iter().any(|s| s.period == p.key),
                "{args:?}: empty period {} has segments",
                p.key
            );
        }
    }
    // Every period the report counts is a bar of the chart.
    let keys: BTreeSet<&str> = c.periods.iter().map(|p| p.key.as_str()).collect();
    for p in per_period.keys() {
        assert!(keys.contains(p.as_str()), "{args:?}: no bar for {p}");
    }
    let spanning = incidents
        .iter()
        .filter(|(k, _)| k.starts_with('('))
        .map(|(_, v)| v)
        .sum::<u64>();
    assert_eq!(c.spanning, spanning, "{args:?}: spanning incidents");
}

// ---------------------------------------------------------------------------
// The seeds

/// Does a tally's metric count people killed (the README's rule, restated)?
fn about_killed(metric: &str) -> bool {
    metric.split(' ').any(|w| {
        [
            "killings",
            "killing",
            "killed",
            "deaths",
            "death",
            "dead",
            "fatalities",
        ]
        .contains(&w)
    })
}

both!(seeded_daraa_fatalities_show_the_reported_figures_beside_the_bars);
fn seeded_daraa_fatalities_show_the_reported_figures_beside_the_bars() {
    let s = Session::seeded();
    let scope = ["--region", "Daraa", "--from", "2025-05", "--to", "2025-07"];
    let mut args = scope.to_vec();
    args.extend(["--measure", "fatalities"]);
    let c = chart(&s, &args);
    assert_eq!(
        c.periods.iter().map(|p| p.key.clone()).collect::<Vec<_>>(),
        months("2025-05", "2025-07")
    );
    check_against_report_if_any(&s, &c, &scope, "fatalities");

    // The figures: the region's own tallies about people killed, each at
    // the month its period lies in.
    let region = s.json(&["report", "--region", "Daraa", "--month", "2025-06"])["region"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let tallies = s.json(&[
        "tally",
        "list",
        "--region",
        "Daraa",
        "--from",
        "2025-05-01",
        "--to",
        "2025-07-31",
    ]);
    let mut want: Vec<Marker> = tallies
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["region_code"] == region.as_str())
        .filter(|t| about_killed(t["metric"].as_str().unwrap()))
        .filter(|t| {
            t["period_start"].as_str().unwrap()[..7] == t["period_end"].as_str().unwrap()[..7]
        })
        .map(|t| Marker {
            value: t["value"].to_string(),
            metric: t["metric"].as_str().unwrap().into(),
            source: t["source"].as_str().unwrap().into(),
            derived: t["derived"].as_bool().unwrap(),
            period: t["period_start"].as_str().unwrap()[..7].into(),
        })
        .collect();
    let mut got = c.markers.clone();
    let order = |m: &Marker| (m.period.clone(), m.metric.clone(), m.value.clone());
    want.sort_by_key(order);
    got.sort_by_key(order);
    assert_eq!(got, want);
    // The README's example: June's 38 killings and 23 civilian killings,
    // May's derived 19, from Daraa 24.
    let values: BTreeSet<&str> = got.iter().map(|m| m.value.as_str()).collect();
    assert_eq!(values, BTreeSet::from(["19", "23", "38"]));
    assert!(
        got.iter()
            .any(|m| m.value == "19" && m.derived && m.period == "2025-05")
    );
    // Two metrics, two marker shapes: the legend keys both.
    let metrics: BTreeSet<&str> = got.iter().map(|m| m.metric.as_str()).collect();
    assert_eq!(metrics.len(), 2, "{metrics:?}");
    for m in &got {
        assert!(c.sources.contains(&m.source), "{}", c.sources);
    }
    // The assassinations go with incidents, not fatalities.
    assert!(
        c.notes
            .contains("assassinations (with --measure incidents)"),
        "{}",
        c.notes
    );
    assert!(c.title.contains("fatalities"), "{}", c.title);

    // Written to a file too, the same bytes as on stdout.
    let mut file_args = vec!["chart"];
    file_args.extend(&args);
    file_args.extend(["-o", "c.svg"]);
    s.ok(&file_args);
    let mut stdout_args = vec!["chart"];
    stdout_args.extend(&args);
    stdout_args.extend(["-o", "-"]);
    assert_eq!(
        std::fs::read_to_string(s.dir.path().join("c.svg")).unwrap(),
        s.ok(&stdout_args)
    );
}

/// Like [`check_against_report`] when the chart draws anything; else checks
/// that the report has nothing to draw either.
fn check_against_report_if_any(s: &Session, c: &Chart, scope: &[&str], m: &str) {
    if c.segments.is_empty() {
        let cells = report_cells(s, scope, "month", "type", m);
        assert!(
            cells.is_empty(),
            "the report has {cells:?}, the chart nothing"
        );
        let spanning: u64 = grouped(s, scope, "month")
            .iter()
            .filter(|r| r["month"].as_str().unwrap().starts_with('('))
            .map(|r| measure(r, "incidents"))
            .sum();
        assert_eq!(c.spanning, spanning);
    } else {
        check_against_report(s, c, scope, "month", "type", m);
    }
}

both!(seeded_daraa_incidents_list_what_they_do_not_draw);
fn seeded_daraa_incidents_list_what_they_do_not_draw() {
    let s = Session::seeded();
    // A district's figure, one spanning two months, one of injuries.
    for extra in [
        &[
            "--metric",
            "killings",
            "--value",
            "7",
            "--period",
            "2025-07",
            "--region",
            "As-Sanamayn",
        ][..],
        &[
            "--metric",
            "attacks",
            "--value",
            "9",
            "--from",
            "2025-06-15",
            "--to",
            "2025-07-15",
            "--region",
            "Daraa",
        ],
        &[
            "--metric", "attacks", "--value", "4", "--period", "2025-03", "--region", "Daraa",
        ],
        &[
            "--metric", "injuries", "--value", "5", "--period", "2025-07", "--region", "Daraa",
        ],
    ] {
        let mut a = vec!["tally", "add", "--source", "Test Monitor"];
        a.extend(extra);
        s.ok(&a);
    }
    // Drafts: an incident and a one-month figure, neither counted nor drawn.
    let uid = s
        .ok(&[
            "add",
            "--date",
            "2025-07-03",
            "--type",
            "battles",
            "--lat",
            "32.62",
            "--lon",
            "36.10",
        ])
        .trim()
        .to_string();
    s.ok(&[
        "tally",
        "add",
        "--metric",
        "attacks",
        "--value",
        "11",
        "--period",
        "2025-04",
        "--region",
        "Daraa",
        "--uid",
        "TAL-DRAFT-1",
    ]);
    s.exec_sql(&format!(
        "UPDATE incidents SET status = 'draft' WHERE uid = '{uid}'; \
         UPDATE tallies SET status = 'draft' WHERE uid = 'TAL-DRAFT-1'"
    ));
    let scope = ["--region", "Daraa", "--from", "2024-12", "--to", "2025-07"];
    let c = chart(&s, &scope);
    assert!(
        c.notes.contains(
            "1 draft incident and 1 draft tally in this scope await review (not counted)"
        ),
        "{}",
        c.notes
    );
    check_against_report_if_any(&s, &c, &scope, "incidents");
    assert_eq!(c.periods.len(), months("2024-12", "2025-07").len());

    // The counted incidents and the spanning ones as the report counts
    // them; the overlapping ones as a period report over the same range.
    let r = s.json(&[
        "report",
        "--region",
        "Daraa",
        "--from",
        "2024-12-01",
        "--to",
        "2025-07-31",
    ]);
    assert_eq!(c.overlapping, r["overlapping_total"].as_u64().unwrap());
    let spanning = c.spanning;
    assert!(spanning > 0, "the seeds have incidents spanning months");
    assert!(
        c.notes.contains(&format!(
            "{spanning} more incidents from 2024-12-01 to 2025-07-31 span several months"
        )),
        "{}",
        c.notes
    );

    // Only March's attacks are a one-month figure of Daraa itself.
    assert_eq!(c.markers.len(), 1, "{:?}", c.markers);
    assert_eq!(c.markers[0].period, "2025-03");
    assert_eq!(c.markers[0].value, "4");
    assert_eq!(c.markers[0].source, "Test Monitor");
    // The 17 assassinations span eight months (and count a district).
    assert!(
        c.notes
            .contains("Reported, not drawn: 17 assassinations in As-Sanamayn"),
        "{}",
        c.notes
    );
    assert!(c.notes.contains("9 attacks in Daraa"), "{}", c.notes);
    assert!(
        c.notes.contains("its period is not one month of the chart"),
        "{}",
        c.notes
    );
    assert!(
        c.notes.contains("killings (with --measure fatalities)"),
        "{}",
        c.notes
    );
    assert!(
        c.notes
            .contains("injuries (comparable with neither measure)"),
        "{}",
        c.notes
    );

    // With fatalities, the district's killings are listed, not drawn.
    let mut f = scope.to_vec();
    f.extend(["--measure", "fatalities"]);
    let c = chart(&s, &f);
    assert!(
        c.markers.iter().all(|m| m.source != "Test Monitor"),
        "{:?}",
        c.markers
    );
    assert!(c.notes.contains("7 killings in As-Sanamayn"), "{}", c.notes);
    assert!(c.notes.contains("it counts As-Sanamayn"), "{}", c.notes);

    // A range inside months is widened to whole months, and said.
    let w = chart(
        &s,
        &[
            "--region",
            "Daraa",
            "--from",
            "2025-05-10",
            "--to",
            "2025-07-20",
        ],
    );
    assert_eq!(
        w.periods.iter().map(|p| p.key.clone()).collect::<Vec<_>>(),
        months("2025-05", "2025-07")
    );
    assert!(
        w.notes.contains(
            "2025-05-10 to 2025-07-20, is drawn as whole months: 2025-05-01 to 2025-07-31"
        ),
        "{}",
        w.notes
    );
}

// ---------------------------------------------------------------------------
// Ten thousand generated incidents

/// xorshift64*: small, deterministic, good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

/// Points well inside governorates of two countries.
const PLACES: &[(&str, f64, f64)] = &[
    ("Daraa", 32.62, 36.10),
    ("Damascus", 33.51, 36.29),
    ("Aleppo", 36.20, 37.16),
    ("Baghdad", 33.34, 44.40),
    ("Mosul", 36.34, 43.13),
    ("Basra", 30.51, 47.78),
];

const TYPES: &[&str] = &[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

/// More actors than a stack shows, so that some become "other".
const ACTORS: &[&str] = &[
    "Military Forces of Syria",
    "Unidentified Armed Group",
    "Islamic State",
    "Civilians",
    "Police Forces of Iraq",
    "Protesters",
    "Rioters",
    "Tribal Militia",
    "Hayat Tahrir al-Sham",
    "Syrian Democratic Forces",
    "Popular Mobilization Forces",
    "Military Forces of Turkey",
];

const PUBLISHERS: &[&str] = &["SOHR", "Enab Baladi", "Shafaq News"];

fn generated_csv(n: usize) -> String {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let days = 640;
    let mut s = String::from(
        "uid,title,event_type,date_start,date_end,date_precision,place,latitude,longitude,fatalities,actor1,actor2,sources\n",
    );
    for k in 0..n {
        let day = first + Duration::days(rng.below(days) as i64);
        let (start, end, precision) = match rng.below(100) {
            0..45 => (day, day, "day"),
            45..55 => {
                let monday = day - Duration::days(day.weekday().num_days_from_monday() as i64);
                (monday, monday + Duration::days(6), "week")
            }
            55..68 => {
                let first = day.with_day(1).unwrap();
                let last =
                    first.checked_add_months(chrono::Months::new(1)).unwrap() - Duration::days(1);
                (first, last, "month")
            }
            68..70 => (
                day.with_ordinal(1).unwrap(),
                NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap(),
                "year",
            ),
            _ => (day, day + Duration::days(rng.below(40) as i64), "range"),
        };
        let (place, lat, lon) = *rng.pick(PLACES);
        let jitter = |r: &mut Rng| (r.below(2001) as f64 - 1000.0) / 100_000.0;
        let (lat, lon) = (lat + jitter(&mut rng), lon + jitter(&mut rng));
        let fatalities = if rng.below(100) < 70 {
            rng.below(26).to_string()
        } else {
            String::new()
        };
        let actor1 = if rng.below(100) < 85 {
            *rng.pick(ACTORS)
        } else {
            ""
        };
        let actor2 = if rng.below(100) < 40 {
            *rng.pick(ACTORS)
        } else {
            ""
        };
        let publisher = rng.pick(PUBLISHERS);
        s.push_str(&format!(
            "GEN-{k:05},Generated {k},{},{start},{end},{precision},{place},{lat:.5},{lon:.5},{fatalities},{actor1},{actor2},\"[{{\"\"publisher\"\":\"\"{publisher}\"\"}}]\"\n",
            rng.pick(TYPES),
        ));
    }
    s
}

both!(generated_incidents_chart_as_the_report_counts_and_render);
fn generated_incidents_chart_as_the_report_counts_and_render() {
    let s = Session::new();
    let csv = s.file("generated.csv", generated_csv(10_000).as_bytes());
    s.ok(&["import", csv.to_str().unwrap(), "--format", "csv"]);

    // Months beyond the data at both ends: empty bars too.
    let range = ["--from", "2023-10", "--to", "2026-01"];
    let c = chart(&s, &range);
    assert_eq!(c.periods.len(), months("2023-10", "2026-01").len());
    check_against_report(&s, &c, &range, "month", "type", "incidents");
    assert!(c.periods.iter().any(|p| p.value == 0), "no empty month");
    for stack in &c.legend {
        assert!(TYPES.contains(&stack.as_str()), "{stack} is no event type");
    }
    assert!(
        PUBLISHERS.iter().any(|p| c.sources.contains(p)),
        "{}",
        c.sources
    );

    // Fatalities by province, in Syria.
    let syria = ["--country", "SY", "--from", "2024-01", "--to", "2025-09"];
    let mut a = syria.to_vec();
    a.extend(["--measure", "fatalities", "--stack", "admin1"]);
    check_against_report(&s, &chart(&s, &a), &syria, "month", "admin1", "fatalities");

    // Weeks by district, in one governorate, over twenty weeks.
    let weeks = [
        "--region",
        "Damascus",
        "--from",
        "2025-01-06",
        "--to",
        "2025-05-25",
    ];
    let mut a = weeks.to_vec();
    a.extend(["--by", "week", "--stack", "admin2"]);
    let w = chart(&s, &a);
    assert_eq!(w.periods.len(), 20);
    check_against_report(&s, &w, &weeks, "week", "admin2", "incidents");

    // Years by actor: more actors than colours, the smaller ones "other".
    let years = ["--from", "2024", "--to", "2025"];
    let mut a = years.to_vec();
    a.extend(["--by", "year", "--stack", "actor"]);
    let y = chart(&s, &a);
    check_against_report(&s, &y, &years, "year", "actor", "incidents");
    assert_eq!(
        y.legend.len(),
        incidents::formats::palette::MAX_CATEGORIES,
        "{:?}",
        y.legend
    );
    assert!(
        y.legend.iter().any(|l| l.starts_with("other")),
        "{:?}",
        y.legend
    );
    assert!(y.notes.contains("under each of its actors"), "{}", y.notes);

    // PNG: the size asked, and the bars in their colours.
    let png = s.dir.path().join("chart.png");
    let mut a = range.to_vec();
    a.extend([
        "--width",
        "900",
        "--height",
        "500",
        "-o",
        png.to_str().unwrap(),
    ]);
    s.ok(&["chart"]
        .into_iter()
        .chain(a.iter().copied())
        .collect::<Vec<_>>());
    let bytes = std::fs::read(&png).unwrap();
    let decoder = png::Decoder::new(Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!((info.width, info.height), (900, 500));
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(4).collect();
    let not_white = pixels.iter().filter(|p| p[..3] != [255, 255, 255]).count();
    assert!(
        not_white > pixels.len() / 20,
        "almost blank: {not_white} pixels"
    );
    // Battles' orange (#D55E00) fills part of the picture.
    let battles = pixels
        .iter()
        .filter(|p| p[..3] == [0xD5, 0x5E, 0x00])
        .count();
    assert!(battles > 500, "{battles} pixels of the Battles colour");

    // And the same chart as SVG in a file: a picture of 10,000 incidents
    // is no bigger than its bars and fonts.
    let svg = s.dir.path().join("chart.svg");
    let mut a = vec!["chart"];
    a.extend(range);
    a.extend(["-o", svg.to_str().unwrap()]);
    s.ok(&a);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(parse(&text).segments, c.segments);
    assert!(text.len() < 400_000, "{} bytes", text.len());
}

// ---------------------------------------------------------------------------
// Bad input

both!(bad_input_names_the_flag_and_what_is_expected);
fn bad_input_names_the_flag_and_what_is_expected() {
    let s = Session::seeded();
    let before = s.snapshot();
    let usage = |args: &[&str], flag: &str| {
        let mut a = vec!["chart"];
        a.extend(args);
        let o = s.run(&a);
        assert_eq!(o.code, 2, "{a:?}: {}", o.stderr);
        assert!(o.stderr.contains(flag), "{a:?}: {}", o.stderr);
    };
    let period = ["--from", "2025-05", "--to", "2025-07"];
    let with = |extra: &[&'static str]| [&period[..], extra].concat();
    usage(&with(&["--stack", "colour", "-o", "x.svg"]), "--stack");
    usage(&with(&["--by", "day", "-o", "x.svg"]), "--by");
    usage(
        &with(&["--measure", "injuries", "-o", "x.svg"]),
        "--measure",
    );
    usage(&with(&["--status", "draft", "-o", "x.svg"]), "--status");
    usage(&period, "--output");

    let fails = |args: &[&str], needles: &[&str]| {
        let mut a = vec!["chart"];
        a.extend(args);
        let err = s.fails(&a);
        for n in needles {
            assert!(err.contains(n), "{a:?}: {err}");
        }
    };
    fails(
        &["--from", "2025-07", "--to", "2025-05", "-o", "x.svg"],
        &["--to", "on or after"],
    );
    fails(
        &[
            "--from", "2015-01", "--to", "2025-12", "--by", "week", "-o", "x.svg",
        ],
        &["--by", "at most 260", "month"],
    );
    fails(
        &["--region", "Daraa", "-o", "x.svg"],
        &["--from and --to", "--month"],
    );
    fails(
        &["--from", "2025-05", "-o", "x.svg"],
        &["--from/--to", "both"],
    );
    fails(
        &["--from", "2025-13", "--to", "2025-14", "-o", "x.svg"],
        &["--from"],
    );
    fails(&with(&["-o", "x.txt"]), &["-o", ".svg or .png"]);
    fails(
        &with(&["--width", "10", "-o", "x.svg"]),
        &["--width", "200 to 8000"],
    );
    // Ten years by month is fine.
    s.ok(&[
        "chart", "--from", "2015-01", "--to", "2025-12", "-o", "ten.svg",
    ]);
    assert!(!s.dir.path().join("x.svg").exists());
    assert_eq!(s.snapshot(), before);
}
