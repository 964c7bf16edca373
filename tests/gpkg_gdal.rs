//! GDAL opens a GeoPackage written by `incidents::formats::gpkg::GpkgWriter`
//! without complaint and reads back the layer, geometry and properties.
//! Needs GDAL's `ogrinfo` (Debian: gdal-bin); without it the test fails.

use std::path::Path;
use std::process::Command;

use incidents::formats::gpkg::GpkgWriter;
use incidents::model::{DateSpan, Fatalities, Incident};

/// Runs `ogrinfo` with `args`, returning its standard output after checking
/// that it succeeded and printed nothing on standard error.
fn ogrinfo(args: &[&str]) -> String {
    let out = match Command::new("ogrinfo").args(args).output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run `ogrinfo` ({e}): this test needs GDAL's command-line tools \
             on PATH (Debian/Ubuntu: apt-get install gdal-bin)"
        ),
    };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ogrinfo {args:?} failed: {stderr}\n{stdout}"
    );
    assert!(
        stderr.trim().is_empty(),
        "ogrinfo {args:?} reported errors or warnings:\n{stderr}"
    );
    stdout
}

/// True when some line of `text`, without its leading blanks, is `line`, so
/// that "Feature Count: 1" does not match "Feature Count: 10".
fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l.trim_start() == line)
}

fn write_daraa(path: &Path) {
    let mut daraa = Incident::new("Battles", DateSpan::parse("date", "2025-06-17").unwrap());
    daraa.uid = Some("INC-000001".into());
    daraa.title = Some("Clash in Daraa".into());
    daraa.place = Some("Daraa".into());
    daraa.latitude = Some(32.6);
    daraa.longitude = Some(36.1);
    daraa.country = Some("SY".into());
    daraa.fatalities = Fatalities {
        best: Some(4),
        low: None,
        high: Some(6),
    };
    daraa.tags = vec!["south".into(), "clash".into()];
    let mut unplaced = Incident::new("Protests", DateSpan::parse("date", "2025-06").unwrap());
    unplaced.uid = Some("INC-000002".into());

    let mut w = GpkgWriter::create(path, "incidents").unwrap();
    assert!(w.write(&daraa).unwrap());
    assert!(!w.write(&unplaced).unwrap());
    assert_eq!(w.finish().unwrap(), 1);
}

#[test]
fn gdal_reads_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daraa.gpkg");
    write_daraa(&path);
    let file = path.to_str().unwrap();

    let summary = ogrinfo(&["-ro", "-al", "-so", file]);
    for expected in [
        "Layer name: incidents",
        "Geometry: Point",
        "Feature Count: 1",
        "Extent: (36.100000, 32.600000) - (36.100000, 32.600000)",
        "FID Column = fid",
        "Geometry Column = geom",
        "uid: String (0.0)",
        "latitude: Real (0.0)",
        "fatalities: Integer64 (0.0)",
        "fatalities_low: Integer64 (0.0)",
    ] {
        assert!(
            has_line(&summary, expected),
            "missing {expected:?} in:\n{summary}"
        );
    }
    assert!(
        summary.contains("ID[\"EPSG\",4326]"),
        "not EPSG:4326:\n{summary}"
    );

    let features = ogrinfo(&["-ro", "-al", file]);
    for expected in [
        "POINT (36.1 32.6)",
        "uid (String) = INC-000001",
        "place (String) = Daraa",
        "date_start (String) = 2025-06-17",
        "fatalities (Integer64) = 4",
        "fatalities_low (Integer64) = (null)",
        "fatalities_high (Integer64) = 6",
        "tags (String) = south;clash",
        "title (String) = Clash in Daraa",
        "country (String) = SY",
    ] {
        assert!(
            has_line(&features, expected),
            "missing {expected:?} in:\n{features}"
        );
    }
    assert_eq!(
        features.matches("OGRFeature(").count(),
        1,
        "the incident without a point is left out:\n{features}"
    );

    let index = ogrinfo(&[
        "-ro",
        file,
        "-sql",
        "SELECT HasSpatialIndex('incidents', 'geom')",
    ]);
    assert!(has_line(&index, "HasSpatialIndex (Integer) = 1"), "{index}");
}
