//! `incidents map`: the SVG parsed and checked against `report` and `list`
//! on the seeds and a generated set (shapes, classes, marks, legend,
//! attribution), the PNG decoded (size, not blank, the busiest unit in the
//! top class's colour), and bad input.
mod common;

use std::collections::BTreeMap;

use common::{Session, both};
use serde_json::Value;

fn json(s: &Session, args: &[&str]) -> Value {
    let o = s.run(args);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Runs `map ARGS -o FILE.svg` and returns the SVG text.
fn map_svg(s: &Session, args: &[&str]) -> String {
    let out = s.path("map.svg");
    let mut a = vec!["map"];
    a.extend(args);
    a.extend(["-o", out.to_str().unwrap()]);
    let o = s.run(&a);
    assert_eq!(o.code, 0, "{a:?}: {}", o.stderr);
    std::fs::read_to_string(&out).unwrap()
}

fn with_class<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    tag: &'a str,
    class: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    doc.descendants()
        .filter(move |n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
}

fn number(n: &roxmltree::Node, attr: &str) -> u64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr}"))
        .parse()
        .unwrap()
}

/// All the text of the picture, for the legend's and footer's words.
fn all_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The legend's classes: (label, fill) in order.
fn legend_classes(doc: &roxmltree::Document) -> Vec<(String, String)> {
    let fills: Vec<String> = with_class(doc, "rect", "class-swatch")
        .map(|n| n.attribute("fill").unwrap().to_string())
        .collect();
    let labels: Vec<String> = with_class(doc, "text", "class-label")
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert_eq!(fills.len(), labels.len());
    labels.into_iter().zip(fills).collect()
}

/// The class a value falls in, by the legend's labels ("3", "4–9").
fn legend_fill(classes: &[(String, String)], value: u64) -> Option<&str> {
    classes.iter().find_map(|(label, fill)| {
        let (lo, hi) = match label.split_once('–') {
            Some((lo, hi)) => (lo.parse::<u64>().unwrap(), hi.parse::<u64>().unwrap()),
            None => (label.parse().unwrap(), label.parse().unwrap()),
        };
        (lo..=hi).contains(&value).then_some(fill.as_str())
    })
}

/// The codes of a governorate's districts, from `regions list`.
fn districts(s: &Session, parent: &str) -> Vec<String> {
    let o = s.run(&["regions", "list", "--country", "SY", "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let mut codes: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["parent"] == parent)
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

/// Checks the units of a map against the report's grouped counts.
fn check_units(doc: &roxmltree::Document, by_unit: &BTreeMap<String, u64>) {
    let classes = legend_classes(doc);
    for u in with_class(doc, "path", "unit") {
        let code = u.attribute("data-code").unwrap();
        let value = number(&u, "data-value");
        assert_eq!(
            value,
            by_unit.get(code).copied().unwrap_or(0),
            "unit {code}"
        );
        let fill = u.attribute("fill").unwrap();
        if value == 0 {
            assert_eq!(fill, "#ffffff", "{code} has nothing and is drawn empty");
            assert_eq!(u.attribute("data-class"), Some("none"));
        } else {
            assert_eq!(Some(fill), legend_fill(&classes, value), "{code} = {value}");
        }
    }
}

/// The counted incidents of a report's scope that have a point to draw.
fn drawable(s: &Session, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["list", "--format", "json"];
    a.extend(args);
    json(s, &a)
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["latitude"].is_null() && i["geo_precision"].as_u64().unwrap_or(1) <= 2)
        .cloned()
        .collect()
}

both!(seed_map_of_daraa_matches_the_report);
fn seed_map_of_daraa_matches_the_report() {
    let s = Session::seeded();
    for month in ["2025-06", "2025-07"] {
        let scope = ["--region", "Daraa", "--month", month];
        let svg = map_svg(&s, &scope);
        let doc = roxmltree::Document::parse(&svg).expect("valid XML");
        let mut report_args = vec!["report", "--format", "json"];
        report_args.extend(scope);
        let report = json(&s, &report_args);

        // One shape per district of the governorate, shaded by its count.
        let mut codes: Vec<String> = with_class(&doc, "path", "unit")
            .map(|n| n.attribute("data-code").unwrap().to_string())
            .collect();
        codes.sort();
        assert_eq!(codes, districts(&s, "SY-DR"));
        let by_unit: BTreeMap<String, u64> = report["by_admin2"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v["incidents"].as_u64().unwrap()))
            .collect();
        check_units(&doc, &by_unit);

        // One mark per counted incident with a point.
        let marks: Vec<_> = with_class(&doc, "circle", "incident").collect();
        let expected = drawable(&s, &scope);
        assert_eq!(marks.len(), expected.len(), "{month}");
        for (m, i) in marks.iter().zip(&expected) {
            assert_eq!(m.attribute("data-type"), i["event_type"].as_str());
            assert_eq!(number(m, "data-incidents"), 1);
        }

        // The counting rule, with the report's count of overlapping ones.
        let text = all_text(&doc);
        let overlapping = report["overlapping_total"].as_u64().unwrap();
        assert!(
            text.contains(&format!("{overlapping} more only overlap it")),
            "{month}: {text}"
        );
        assert!(text.contains("whole date span lies in the period"));
        assert!(text.contains("OCHA COD-AB"), "{text}");
        assert!(text.contains("GeoNames"), "{text}");
        let title = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(title.contains("Dar'a") && title.contains("2025"), "{title}");
    }
    // July's one counted incident is in As-Sanamayn, sourced from the paper.
    let svg = map_svg(&s, &["--region", "Daraa", "--month", "2025-07"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let text = all_text(&doc);
    assert!(text.contains("Asharq Al-Awsat"), "{text}");
    let shaded: Vec<_> = with_class(&doc, "path", "unit")
        .filter(|u| number(u, "data-value") > 0)
        .map(|u| u.attribute("data-code").unwrap().to_string())
        .collect();
    assert_eq!(shaded, ["SY1202"]);
    assert!(
        text.contains("Al-Masmiyah"),
        "the place is labelled: {text}"
    );
    // --by admin1: the governorate itself.
    let svg = map_svg(
        &s,
        &["--region", "Daraa", "--month", "2025-07", "--by", "admin1"],
    );
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let units: Vec<_> = with_class(&doc, "path", "unit").collect();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].attribute("data-code"), Some("SY-DR"));
    assert_eq!(number(&units[0], "data-value"), 1);
}

/// Deterministic pseudo-random numbers (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes `n` incidents at Syrian towns (jittered) across 2024 as our CSV:
/// days, month-long and two-month spans, every geo precision, unknown and
/// known tolls, the six event types.
fn generated_csv(s: &Session, n: usize) -> std::path::PathBuf {
    const TOWNS: [(f64, f64); 12] = [
        (33.51, 36.29),
        (36.20, 37.16),
        (34.73, 36.71),
        (35.13, 36.75),
        (32.62, 36.10),
        (35.93, 36.63),
        (35.95, 39.01),
        (35.33, 40.14),
        (35.52, 35.79),
        (34.89, 35.89),
        (36.50, 40.75),
        (32.71, 36.57),
    ];
    const TYPES: [&str; 6] = [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    ];
    let mut rng = Rng(17);
    let mut csv = String::from(
        "event_type,date_start,date_end,date_precision,latitude,longitude,geo_precision,fatalities,title,sources\n",
    );
    for i in 0..n {
        let (lat, lon) = TOWNS[rng.below(12) as usize];
        let lat = lat + (rng.below(600) as f64 - 300.0) / 10_000.0;
        let lon = lon + (rng.below(600) as f64 - 300.0) / 10_000.0;
        let month = 1 + rng.below(11);
        let day = 1 + rng.below(28);
        let (start, end, precision) = match rng.below(10) {
            0 => (
                format!("2024-{month:02}-01"),
                format!("2024-{:02}-28", month + 1),
                "range",
            ),
            1 => (
                format!("2024-{month:02}-01"),
                format!("2024-{month:02}-28"),
                "range",
            ),
            _ => (
                format!("2024-{month:02}-{day:02}"),
                format!("2024-{month:02}-{day:02}"),
                "day",
            ),
        };
        let fatalities = match rng.below(4) {
            0 => String::new(),
            _ => rng.below(25).to_string(),
        };
        let geo = 1 + rng.below(3);
        let t = TYPES[rng.below(6) as usize];
        csv.push_str(&format!(
            "{t},{start},{end},{precision},{lat:.4},{lon:.4},{geo},{fatalities},generated {i},\"[{{\"\"publisher\"\":\"\"Test Wire\"\"}}]\"\n"
        ));
    }
    let path = s.path("generated.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

both!(generated_map_matches_the_grouped_report);
fn generated_map_matches_the_grouped_report() {
    let s = Session::new();
    let csv = generated_csv(&s, 10_000);
    let o = s.run(&["import", csv.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for (scope, by) in [
        (vec!["--country", "SY", "--year", "2024"], "admin2"),
        (vec!["--country", "SY", "--month", "2024-05"], "admin1"),
        (vec!["--region", "Aleppo", "--month", "2024-03"], "admin2"),
    ] {
        let mut args = scope.clone();
        args.extend(["--by", by, "--measure", "fatalities"]);
        let svg = map_svg(&s, &args);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let period: Vec<&str> = scope[2..].to_vec();
        let (from, to) = match period[..] {
            ["--year", y] => (format!("{y}-01-01"), format!("{y}-12-31")),
            ["--month", m] => (m.to_string(), m.to_string()),
            _ => unreachable!(),
        };
        let rows = json(
            &s,
            &[
                "report",
                scope[0],
                scope[1],
                "--from",
                &from,
                "--to",
                &to,
                "--group-by",
                by,
                "--format",
                "json",
            ],
        );
        let by_unit: BTreeMap<String, u64> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[by].as_str().unwrap().to_string(),
                    r["fatalities"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        check_units(&doc, &by_unit);
        assert!(with_class(&doc, "path", "unit").count() >= by_unit.len() - 1);
        let marks: Vec<_> = with_class(&doc, "circle", "incident").collect();
        let drawn: u64 = marks.iter().map(|m| number(m, "data-incidents")).sum();
        let listed_scope = [scope[0], scope[1], "--from", &from, "--to", &to];
        let expected = drawable(&s, &listed_scope);
        assert_eq!(drawn as usize, expected.len(), "{scope:?}");
        let fatalities: u64 = marks
            .iter()
            .filter_map(|m| m.attribute("data-fatalities"))
            .filter(|f| !f.is_empty())
            .map(|f| f.parse::<u64>().unwrap())
            .sum();
        let listed: u64 = expected
            .iter()
            .filter_map(|i| i["fatalities"].as_u64())
            .sum();
        assert_eq!(fatalities, listed);
        assert!(all_text(&doc).contains("Test Wire"));
    }
    // The same map as a PNG.
    let png = s.path("sy.png");
    let o = s.run(&[
        "map",
        "--country",
        "SY",
        "--year",
        "2024",
        "-o",
        png.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let (w, h, _) = decode(&png);
    assert_eq!((w, h), (1100, 800));
}

/// A PNG's size and RGBA pixels.
fn decode(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba, "RGBA output");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn hex(rgb: &[u8]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// The polygons of an SVG path made of M, L and Z commands.
fn rings(d: &str) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut ring = Vec::new();
    for part in d.split_inclusive(['M', 'L', 'Z']) {
        let cmd_end = part.trim_end_matches(['M', 'L', 'Z']);
        if let Some((x, y)) = cmd_end.split_once(',') {
            ring.push((x.parse().unwrap(), y.parse().unwrap()));
        }
        if part.ends_with('Z') {
            out.push(std::mem::take(&mut ring));
        }
    }
    out
}

fn inside(rings: &[Vec<(f64, f64)>], x: f64, y: f64) -> bool {
    let mut odd = false;
    for r in rings {
        for i in 0..r.len() {
            let (a, b) = (r[i], r[(i + 1) % r.len()]);
            if (a.1 > y) != (b.1 > y) && x < a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0) {
                odd = !odd;
            }
        }
    }
    odd
}

both!(png_shows_the_busiest_unit_in_the_top_class);
fn png_shows_the_busiest_unit_in_the_top_class() {
    let s = Session::new();
    let csv = generated_csv(&s, 2_000);
    assert_eq!(s.run(&["import", csv.to_str().unwrap()]).code, 0);
    let scope = [
        "--country",
        "SY",
        "--year",
        "2024",
        "--no-points",
        "--width",
        "900",
        "--height",
        "700",
    ];
    let svg = map_svg(&s, &scope);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let busiest = with_class(&doc, "path", "unit")
        .max_by_key(|u| number(u, "data-value"))
        .unwrap();
    let top_fill = legend_classes(&doc).last().unwrap().1.clone();
    assert_eq!(busiest.attribute("fill"), Some(top_fill.as_str()));
    let shape = rings(busiest.attribute("d").unwrap());

    let png = s.path("m.png");
    let mut args = vec!["map"];
    args.extend(scope);
    args.extend(["-o", png.to_str().unwrap()]);
    assert_eq!(s.run(&args).code, 0);
    let (w, h, px) = decode(&png);
    assert_eq!((w, h), (900, 700));
    let colours: std::collections::HashSet<&[u8]> = px.chunks(4).collect();
    assert!(colours.len() > 50, "not blank: {} colours", colours.len());
    // Pixels well inside the busiest unit have the top class's colour
    // (a few are under labels).
    let (mut inner, mut top) = (0, 0);
    for y in (0..h).step_by(3) {
        for x in (0..w).step_by(3) {
            let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
            let deep = [(-3.0, 0.0), (3.0, 0.0), (0.0, -3.0), (0.0, 3.0), (0.0, 0.0)]
                .iter()
                .all(|(dx, dy)| inside(&shape, fx + dx, fy + dy));
            if deep {
                inner += 1;
                let i = ((y * w + x) * 4) as usize;
                if hex(&px[i..i + 3]) == top_fill.to_ascii_lowercase() {
                    top += 1;
                }
            }
        }
    }
    assert!(inner > 20, "the unit covers pixels");
    assert!(
        top * 10 >= inner * 8,
        "{top} of {inner} pixels in {top_fill}"
    );
}

both!(map_refuses_bad_input_and_writes_stdout);
fn map_refuses_bad_input_and_writes_stdout() {
    let s = Session::seeded();
    let out = s.path("x.svg");
    let o = s.path("x.svg");
    let out_s = out.to_str().unwrap();
    let r = s.run(&["map", "--region", "Daraa", "-o", out_s]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--month"), "{}", r.stderr);
    let r = s.run(&[
        "map", "--region", "Daraa", "--month", "2025-06", "-o", "x.pdf",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(".svg or .png"), "{}", r.stderr);
    let r = s.run(&[
        "map", "--region", "Daraa", "--month", "2025-06", "--width", "10", "-o", out_s,
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--width"), "{}", r.stderr);
    let r = s.run(&[
        "map", "--region", "Daraa", "--month", "2025-06", "--status", "draft", "-o", out_s,
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = s.run(&[
        "map",
        "--region",
        "Nowhereland",
        "--month",
        "2025-06",
        "-o",
        out_s,
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Nowhereland"), "{}", r.stderr);
    let dir = s.path("");
    let r = s.run(&[
        "map",
        "--region",
        "Daraa",
        "--month",
        "2025-06",
        "-o",
        dir.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!o.exists(), "no file written by a failed command");

    let r = s.run(&["map", "--region", "Daraa", "--month", "2025-07", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = roxmltree::Document::parse(&r.stdout).unwrap();
    assert_eq!(with_class(&doc, "circle", "incident").count(), 1);
}
