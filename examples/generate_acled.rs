//! Writes synthetic ACLED-format CSV rows for the scale benchmark
//! (`benches/scale.sh`): all 31 ACLED columns in ACLED's order, placed at
//! real towns (about 60 % in Syrian and Iraqi governorates, the rest in ten
//! other countries), with ACLED's spelling of admin names, the event types
//! and sub-event types of the taxonomy, and notes and source strings of
//! realistic length. The same seed always gives the same file.
//!
//! ```sh
//! cargo run --release --example generate_acled -- 1000000 acled.csv [SEED]
//! ```
//!
//! The rows are plausible, not real events: do not mistake them for data.

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufWriter;
use std::process::ExitCode;

use incidents::formats::acled::COLUMNS;
use incidents::model::TAXONOMY;

/// SplitMix64: a small, fast, well-mixed generator; good enough for test
/// data and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0); the modulo bias is negligible for small n.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// True with probability p.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// A country as ACLED writes it, with the actors and publishers its rows use.
struct Country {
    name: &'static str,
    iso3: &'static str,
    iso_numeric: u16,
    region: &'static str,
    /// Non-state armed groups active there.
    armed_groups: &'static [&'static str],
    /// State forces in ACLED's naming, with their years.
    state_forces: &'static str,
    /// Foreign forces or militias that appear as second actors.
    others: &'static [&'static str],
    publishers: &'static [&'static str],
}

/// A real town well inside its first-level unit, with ACLED's admin names.
struct Town {
    country: usize,
    admin1: &'static str,
    admin2: &'static str,
    admin3: &'static str,
    location: &'static str,
    lat: f64,
    lon: f64,
}

const SYRIA: usize = 0;
const IRAQ: usize = 1;

const COUNTRIES: &[Country] = &[
    Country {
        name: "Syria",
        iso3: "SYR",
        iso_numeric: 760,
        region: "Middle East",
        armed_groups: &[
            "Islamic State (Syria)",
            "HTS: Hayat Tahrir al-Sham",
            "SDF: Syrian Democratic Forces",
            "Syrian National Army",
            "Southern Operations Room",
            "Eighth Brigade",
            "Unidentified Armed Group (Syria)",
        ],
        state_forces: "Military Forces of Syria (2000-2024)",
        others: &[
            "Military Forces of Russia (2000-)",
            "Military Forces of Turkey (2016-)",
            "Military Forces of Israel (2022-)",
            "Hezbollah",
            "NDF: National Defense Forces",
        ],
        publishers: &[
            "Syrian Observatory for Human Rights",
            "Al-Watan",
            "SANA",
            "Enab Baladi",
            "Step News Agency",
            "Horan Free League",
            "North Press Agency",
            "Daraa 24",
            "Suwayda 24",
        ],
    },
    Country {
        name: "Iraq",
        iso3: "IRQ",
        iso_numeric: 368,
        region: "Middle East",
        armed_groups: &[
            "Islamic State (Iraq)",
            "PMF: Popular Mobilization Forces",
            "Kataib Hezbollah",
            "PKK: Kurdistan Workers Party",
            "Unidentified Armed Group (Iraq)",
        ],
        state_forces: "Military Forces of Iraq (2014-)",
        others: &[
            "Military Forces of Turkey (2016-)",
            "Military Forces of the United States (2021-)",
            "Peshmerga Forces: Kurdistan Regional Government",
            "Police Forces of Iraq (2014-)",
        ],
        publishers: &[
            "Shafaq News",
            "Rudaw",
            "Kurdistan 24",
            "Xinhua",
            "Iraqi News Agency",
            "Baghdad Today",
            "Al Sumaria",
        ],
    },
    Country {
        name: "Yemen",
        iso3: "YEM",
        iso_numeric: 887,
        region: "Middle East",
        armed_groups: &[
            "Houthi Movement",
            "AQAP: Al Qaeda in the Arabian Peninsula",
            "Southern Transitional Council",
            "Unidentified Armed Group (Yemen)",
        ],
        state_forces: "Military Forces of Yemen (2017-) Supreme Political Council",
        others: &[
            "Military Forces of Saudi Arabia (2015-)",
            "Giants Brigades",
            "Tribal Militia (Yemen)",
        ],
        publishers: &[
            "Al Masirah",
            "Aden al-Ghad",
            "Saba News Agency",
            "Al Masdar Online",
        ],
    },
    Country {
        name: "Sudan",
        iso3: "SDN",
        iso_numeric: 729,
        region: "Northern Africa",
        armed_groups: &[
            "RSF: Rapid Support Forces",
            "SLM/A: Sudan Liberation Movement/Army",
            "SPLM-N: Sudan People's Liberation Movement-North",
            "Unidentified Armed Group (Sudan)",
        ],
        state_forces: "Military Forces of Sudan (2019-)",
        others: &[
            "Janjaweed",
            "Arab Ethnic Militia (Sudan)",
            "Police Forces of Sudan (2019-)",
        ],
        publishers: &[
            "Radio Dabanga",
            "Sudan Tribune",
            "Sudanese Doctors Network",
            "Sudan War Monitor",
        ],
    },
    Country {
        name: "Ukraine",
        iso3: "UKR",
        iso_numeric: 804,
        region: "Europe",
        armed_groups: &[
            "Military Forces of Russia (2000-)",
            "Wagner Group",
            "Unidentified Armed Group (Ukraine)",
        ],
        state_forces: "Military Forces of Ukraine (2019-)",
        others: &[
            "Police Forces of Ukraine (2019-)",
            "Territorial Defense Forces of Ukraine",
        ],
        publishers: &[
            "Ukrainska Pravda",
            "Ministry of Defence of Ukraine",
            "Suspilne",
            "Ukrinform",
            "Telegram",
        ],
    },
    Country {
        name: "Mali",
        iso3: "MLI",
        iso_numeric: 466,
        region: "Western Africa",
        armed_groups: &[
            "JNIM: Group for Support of Islam and Muslims",
            "Islamic State (Sahel)",
            "CSP-PSD: Permanent Strategic Framework",
            "Dan Na Ambassagou",
        ],
        state_forces: "Military Forces of Mali (2021-)",
        others: &[
            "Wagner Group",
            "Fulani Ethnic Militia (Mali)",
            "Dozo Communal Militia (Mali)",
        ],
        publishers: &[
            "Studio Tamani",
            "Le Journal du Mali",
            "Menastream",
            "Malijet",
        ],
    },
    Country {
        name: "Nigeria",
        iso3: "NGA",
        iso_numeric: 566,
        region: "Western Africa",
        armed_groups: &[
            "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
            "Islamic State (West Africa)",
            "Fulani Ethnic Militia (Nigeria)",
            "Unidentified Armed Group (Nigeria)",
        ],
        state_forces: "Military Forces of Nigeria (2023-)",
        others: &[
            "Police Forces of Nigeria (2023-)",
            "CJTF: Civilian Joint Task Force",
            "Vigilante Militia (Nigeria)",
        ],
        publishers: &[
            "Premium Times",
            "Vanguard (Nigeria)",
            "HumAngle",
            "Daily Trust",
        ],
    },
    Country {
        name: "Colombia",
        iso3: "COL",
        iso_numeric: 170,
        region: "South America",
        armed_groups: &[
            "ELN: National Liberation Army",
            "Clan del Golfo",
            "FARC Dissidents",
            "Unidentified Armed Group (Colombia)",
        ],
        state_forces: "Military Forces of Colombia (2022-)",
        others: &[
            "Police Forces of Colombia (2022-)",
            "Private Security Forces (Colombia)",
        ],
        publishers: &[
            "El Tiempo",
            "Semana",
            "Indepaz",
            "El Colombiano",
            "Caracol Radio",
        ],
    },
    Country {
        name: "Myanmar",
        iso3: "MMR",
        iso_numeric: 104,
        region: "Southeast Asia",
        armed_groups: &[
            "PDF: People's Defense Force",
            "KIA: Kachin Independence Army",
            "TNLA: Ta'ang National Liberation Army",
            "AA: Arakan Army",
        ],
        state_forces: "Military Forces of Myanmar (2021-)",
        others: &["Pyu Saw Htee", "Police Forces of Myanmar (2021-)"],
        publishers: &[
            "Irrawaddy",
            "Mizzima",
            "Radio Free Asia",
            "Myanmar Now",
            "Khit Thit Media",
        ],
    },
    Country {
        name: "Afghanistan",
        iso3: "AFG",
        iso_numeric: 4,
        region: "Caucasus and Central Asia",
        armed_groups: &[
            "Islamic State (Afghanistan)",
            "NRF: National Resistance Front",
            "Taliban",
            "Unidentified Armed Group (Afghanistan)",
        ],
        state_forces: "Military Forces of Afghanistan (2021-)",
        others: &[
            "Police Forces of Afghanistan (2021-)",
            "Tribal Militia (Afghanistan)",
        ],
        publishers: &[
            "Tolo News",
            "Pajhwok Afghan News",
            "Afghanistan International",
            "Hasht-e Subh",
        ],
    },
    Country {
        name: "Democratic Republic of Congo",
        iso3: "COD",
        iso_numeric: 180,
        region: "Middle Africa",
        armed_groups: &[
            "ADF: Allied Democratic Forces",
            "M23: March 23 Movement",
            "CODECO: Cooperative for Development of Congo",
            "Mai-Mai Militia",
        ],
        state_forces: "Military Forces of the Democratic Republic of Congo (2019-)",
        others: &[
            "Wazalendo",
            "Police Forces of the Democratic Republic of Congo (2019-)",
        ],
        publishers: &[
            "Radio Okapi",
            "Kivu Security Tracker",
            "Actualite.cd",
            "7sur7.cd",
        ],
    },
    Country {
        name: "Somalia",
        iso3: "SOM",
        iso_numeric: 706,
        region: "Eastern Africa",
        armed_groups: &[
            "Al Shabaab",
            "Islamic State (Somalia)",
            "Clan Militia (Somalia)",
        ],
        state_forces: "Military Forces of Somalia (2022-)",
        others: &[
            "AMISOM: African Union Mission in Somalia (2007-2022)",
            "Military Forces of the United States (2021-)",
            "Police Forces of Somalia (2022-)",
        ],
        publishers: &[
            "Garowe Online",
            "Hiiraan Online",
            "Shabelle Media Network",
            "Somali Guardian",
        ],
    },
];

/// Towns with coordinates several kilometres from any border or coast, so
/// a jitter of up to ~2 km keeps each point in the unit named beside it.
#[rustfmt::skip]
const SY_IQ_TOWNS: &[Town] = &[
    town(SYRIA, "Dara", "Dara", "Dara", "Dara", 32.6189, 36.1021),
    town(SYRIA, "Dara", "Dara", "Busra Esh-Sham", "Busra Esh-Sham", 32.5176, 36.4813),
    town(SYRIA, "Dara", "Izra", "Nawa", "Nawa", 32.8886, 36.0431),
    town(SYRIA, "Dara", "As-Sanamayn", "As-Sanamayn", "As-Sanamayn", 33.0711, 36.1842),
    town(SYRIA, "Aleppo", "Jebel Saman", "Jebel Saman", "Aleppo", 36.2021, 37.1343),
    town(SYRIA, "Aleppo", "Al Bab", "Al Bab", "Al Bab", 36.3705, 37.5157),
    town(SYRIA, "Idleb", "Idleb", "Idleb", "Idleb", 35.9306, 36.6339),
    town(SYRIA, "Idleb", "Maarrat An Nu'man", "Maarrat An Nu'man", "Maarrat An Nu'man", 35.6478, 36.6742),
    town(SYRIA, "Hama", "Hama", "Hama", "Hama", 35.1318, 36.7578),
    town(SYRIA, "Homs", "Homs", "Homs", "Homs", 34.7324, 36.7137),
    town(SYRIA, "Homs", "Tadmor", "Tadmor", "Tadmor", 34.5601, 38.2805),
    town(SYRIA, "Rural Damascus", "Duma", "Duma", "Duma", 33.5711, 36.4025),
    town(SYRIA, "Damascus", "Damascus", "Damascus", "Damascus", 33.5138, 36.2765),
    town(SYRIA, "Ar-Raqqa", "Ar-Raqqa", "Ar-Raqqa", "Ar-Raqqa", 35.9528, 39.0079),
    town(SYRIA, "Deir-ez-Zor", "Deir-ez-Zor", "Deir-ez-Zor", "Deir-ez-Zor", 35.3359, 40.1408),
    town(SYRIA, "Deir-ez-Zor", "Al Mayadin", "Al Mayadin", "Al Mayadin", 35.0196, 40.4513),
    town(SYRIA, "Al Hasakeh", "Al Hasakeh", "Al Hasakeh", "Al Hasakeh", 36.5024, 40.7477),
    town(SYRIA, "As-Sweida", "As-Sweida", "As-Sweida", "As-Sweida", 32.7089, 36.5695),
    town(IRAQ, "Ninewa", "Mosul", "Mosul", "Mosul", 36.3400, 43.1300),
    town(IRAQ, "Ninewa", "Tilkaif", "Tilkaif", "Tilkaif", 36.4930, 43.1190),
    town(IRAQ, "Kirkuk", "Kirkuk", "Kirkuk", "Kirkuk", 35.4681, 44.3922),
    town(IRAQ, "Salah al-Din", "Tikrit", "Tikrit", "Tikrit", 34.6071, 43.6782),
    town(IRAQ, "Salah al-Din", "Samarra", "Samarra", "Samarra", 34.1959, 43.8857),
    town(IRAQ, "Baghdad", "Karkh", "Karkh", "Baghdad", 33.3152, 44.3661),
    town(IRAQ, "Al-Anbar", "Ramadi", "Ramadi", "Ramadi", 33.4258, 43.2993),
    town(IRAQ, "Al-Anbar", "Falluja", "Falluja", "Falluja", 33.3497, 43.7793),
    town(IRAQ, "Diyala", "Baquba", "Baquba", "Baquba", 33.7466, 44.6437),
    town(IRAQ, "Najaf", "Najaf", "Najaf", "Najaf", 32.0259, 44.3462),
    town(IRAQ, "Kerbala", "Kerbala", "Kerbala", "Kerbala", 32.6160, 44.0249),
    town(IRAQ, "Erbil", "Erbil", "Erbil", "Erbil", 36.1911, 44.0092),
    town(IRAQ, "Thi-Qar", "Nassriya", "Nassriya", "Nassriya", 31.0439, 46.2576),
    town(IRAQ, "Babil", "Hilla", "Hilla", "Hilla", 32.4637, 44.4196),
];

#[rustfmt::skip]
const OTHER_TOWNS: &[Town] = &[
    town(2, "Taizz", "Al Qahirah", "", "Taizz", 13.5795, 44.0209),
    town(2, "Amanat al Asimah", "Ath Thawrah", "", "Sanaa", 15.3694, 44.1910),
    town(2, "Al Hudaydah", "Bajil", "", "Bajil", 14.9667, 43.2833),
    town(2, "Marib", "Marib City", "", "Marib", 15.4543, 45.3269),
    town(3, "Khartoum", "Khartoum", "", "Khartoum", 15.5007, 32.5599),
    town(3, "North Darfur", "Al Fasher", "", "El Fasher", 13.6279, 25.3494),
    town(3, "South Darfur", "Nyala Janoub", "", "Nyala", 12.0489, 24.8807),
    town(3, "North Kordofan", "Sheikan", "", "El Obeid", 13.1843, 30.2167),
    town(4, "Kharkivska", "Kharkivskyi", "Kharkivska", "Kharkiv", 49.9935, 36.2304),
    town(4, "Donetska", "Donetskyi", "Donetska", "Donetsk", 48.0159, 37.8028),
    town(4, "Donetska", "Bakhmutskyi", "Bakhmutska", "Bakhmut", 48.5946, 38.0006),
    town(4, "Zaporizka", "Zaporizkyi", "Zaporizka", "Zaporizhia", 47.8388, 35.1396),
    town(5, "Gao", "Gao", "Gao", "Gao", 16.2666, -0.0400),
    town(5, "Mopti", "Mopti", "Mopti", "Mopti", 14.4843, -4.1827),
    town(5, "Tombouctou", "Tombouctou", "Tombouctou", "Timbuktu", 16.7735, -3.0074),
    town(6, "Borno", "Maiduguri", "", "Maiduguri", 11.8311, 13.1510),
    town(6, "Kaduna", "Kaduna North", "", "Kaduna", 10.5105, 7.4165),
    town(6, "Plateau", "Jos North", "", "Jos", 9.8965, 8.8583),
    town(7, "Norte de Santander", "Ocana", "", "Ocana", 8.2378, -73.3560),
    town(7, "Valle del Cauca", "Cali", "", "Cali", 3.4516, -76.5320),
    town(7, "Antioquia", "Medellin", "", "Medellin", 6.2442, -75.5812),
    town(8, "Mandalay", "Mandalay", "Chanayethazan", "Mandalay", 21.9588, 96.0891),
    town(8, "Sagaing", "Monywa", "Monywa", "Monywa", 22.1086, 95.1358),
    town(8, "Shan-North", "Lashio", "Lashio", "Lashio", 22.9333, 97.7500),
    town(9, "Kabul", "Kabul", "", "Kabul", 34.5553, 69.2075),
    town(9, "Kandahar", "Kandahar", "", "Kandahar", 31.6289, 65.7372),
    town(9, "Kunduz", "Kunduz", "", "Kunduz", 36.7280, 68.8681),
    town(10, "Nord-Kivu", "Beni", "Beni", "Beni", 0.4911, 29.4731),
    town(10, "Nord-Kivu", "Butembo", "Butembo", "Butembo", 0.1406, 29.2917),
    town(10, "Ituri", "Irumu", "Bunia", "Bunia", 1.5594, 30.2520),
    town(11, "Lower Shabelle", "Afgooye", "", "Afgooye", 2.1381, 45.1212),
    town(11, "Bay", "Baydhaba", "", "Baidoa", 3.1137, 43.6498),
    town(11, "Hiraan", "Belet Weyne", "", "Beledweyne", 4.7358, 45.2036),
];

const fn town(
    country: usize,
    admin1: &'static str,
    admin2: &'static str,
    admin3: &'static str,
    location: &'static str,
    lat: f64,
    lon: f64,
) -> Town {
    Town {
        country,
        admin1,
        admin2,
        admin3,
        location,
        lat,
        lon,
    }
}

/// ACLED's disorder type for an event type.
fn disorder_type(event_type: &str) -> &'static str {
    match event_type {
        "Battles" | "Explosions/Remote violence" | "Violence against civilians" => {
            "Political violence"
        }
        "Protests" | "Riots" => "Demonstrations",
        _ => "Strategic developments",
    }
}

/// Event types weighted roughly as in ACLED's Middle East data (per mille).
const EVENT_TYPE_WEIGHTS: &[(&str, u32)] = &[
    ("Battles", 250),
    ("Explosions/Remote violence", 300),
    ("Violence against civilians", 150),
    ("Protests", 180),
    ("Riots", 50),
    ("Strategic developments", 70),
];

const SOURCE_SCALES: &[&str] = &[
    "National",
    "Subnational",
    "International",
    "Local partner-Other",
    "New media",
    "National-International",
    "Subnational-National",
];

const ATTACK_VERBS: &[&str] = &[
    "attacked",
    "shelled",
    "targeted",
    "ambushed",
    "clashed with",
    "fired on",
];

const PROTEST_CAUSES: &[&str] = &[
    "the deteriorating security situation",
    "rising fuel prices",
    "the arrest of local residents",
    "power and water cuts",
    "unpaid salaries",
    "the killing of a local notable",
];

const CLOSINGS: &[&str] = &[
    "No further details were reported.",
    "Local sources said the area had been calm for several weeks.",
    "The toll could not be independently verified, and reports differ.",
    "A second source gave a different account of who was responsible.",
    "Residents said checkpoints were closed for the rest of the day.",
    "The attack came amid rising tension in the area, according to \"local activists\".",
];

/// Picks an event type by weight, then one of its sub-event types.
fn event_and_sub(rng: &mut Rng) -> (&'static str, &'static str) {
    let total: u32 = EVENT_TYPE_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut r = (rng.next_u64() % u64::from(total)) as u32;
    let mut event_type = EVENT_TYPE_WEIGHTS[0].0;
    for (t, w) in EVENT_TYPE_WEIGHTS {
        if r < *w {
            event_type = t;
            break;
        }
        r -= w;
    }
    let subs = TAXONOMY
        .iter()
        .find(|(t, _)| *t == event_type)
        .map(|(_, s)| *s)
        .unwrap_or(&["Other"]);
    (event_type, rng.pick(subs))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Fatalities 0..=50, mostly 0, with a long tail.
fn fatalities(rng: &mut Rng, event_type: &str) -> u32 {
    let p_none = match event_type {
        "Protests" | "Strategic developments" => 0.97,
        "Riots" => 0.85,
        _ => 0.55,
    };
    if rng.chance(p_none) {
        return 0;
    }
    let x = rng.unit();
    (1.0 + 49.0 * x * x * x * x).floor() as u32
}

/// ACLED's inter codes (1 state forces, 2 rebels, 3 political militias,
/// 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external).
fn inter_code(actor: &str) -> u8 {
    if actor.is_empty() {
        0
    } else if actor.starts_with("Military Forces") || actor.starts_with("Police Forces") {
        1
    } else if actor.starts_with("Protesters") {
        6
    } else if actor.starts_with("Rioters") {
        5
    } else if actor.starts_with("Civilians") {
        7
    } else if actor.contains("Ethnic") || actor.contains("Clan") || actor.contains("Tribal") {
        4
    } else if actor.contains("Militia") || actor.starts_with("Unidentified") {
        3
    } else {
        2
    }
}

struct Row {
    fields: [String; 31],
}

impl Row {
    fn new() -> Self {
        Row {
            fields: std::array::from_fn(|_| String::with_capacity(32)),
        }
    }
}

/// Fills `row` with the `i`th synthetic event.
fn fill(rng: &mut Rng, i: u64, row: &mut Row) {
    for f in row.fields.iter_mut() {
        f.clear();
    }
    let town = if rng.chance(0.6) {
        &SY_IQ_TOWNS[rng.below(SY_IQ_TOWNS.len())]
    } else {
        &OTHER_TOWNS[rng.below(OTHER_TOWNS.len())]
    };
    let country = &COUNTRIES[town.country];
    // Most of ACLED's volume is recent: 70 % of dates fall in 2011..2025.
    let (first, last) = if rng.chance(0.7) {
        (days_from_civil(2011, 1, 1), days_from_civil(2025, 12, 31))
    } else {
        (days_from_civil(1997, 1, 1), days_from_civil(2025, 12, 31))
    };
    let day = first + rng.below((last - first + 1) as usize) as i64;
    let (y, m, d) = civil_from_days(day);
    let precision = match rng.below(100) {
        0..80 => 1,
        80..92 => 2,
        _ => 3,
    };
    let (event_type, sub_event_type) = event_and_sub(rng);
    let state = country.state_forces;
    let group = rng.pick(country.armed_groups);
    let other = rng.pick(country.others);
    let civilians = format!("Civilians ({})", country.name);
    let (actor1, actor2): (String, String) = match event_type {
        "Battles" => match sub_event_type {
            "Government regains territory" => (state.into(), group.into()),
            "Non-state actor overtakes territory" => (group.into(), state.into()),
            _ if rng.chance(0.5) => (state.into(), group.into()),
            _ => (group.into(), other.into()),
        },
        "Explosions/Remote violence" => {
            let a1 = if rng.chance(0.5) { state } else { other };
            let a2 = if rng.chance(0.4) {
                civilians.as_str()
            } else {
                group
            };
            (a1.into(), a2.into())
        }
        "Violence against civilians" => (group.into(), civilians.clone()),
        "Protests" => {
            let a2 = if sub_event_type == "Peaceful protest" {
                String::new()
            } else {
                format!("Police Forces of {}", country.name)
            };
            (format!("Protesters ({})", country.name), a2)
        }
        "Riots" => (format!("Rioters ({})", country.name), civilians.clone()),
        _ => (group.into(), String::new()),
    };
    let fatal = fatalities(rng, event_type);

    let [
        event_id_cnty,
        event_date,
        year,
        time_precision,
        disorder,
        event_type_f,
        sub_event_type_f,
        actor1_f,
        assoc_actor_1,
        inter1,
        actor2_f,
        assoc_actor_2,
        inter2,
        interaction,
        civilian_targeting,
        iso,
        region,
        country_f,
        admin1,
        admin2,
        admin3,
        location,
        latitude,
        longitude,
        geo_precision,
        source,
        source_scale,
        notes,
        fatalities_f,
        tags,
        timestamp,
    ] = &mut row.fields;

    let _ = write!(event_id_cnty, "{}{}", country.iso3, 100_000 + i);
    let _ = write!(event_date, "{y:04}-{m:02}-{d:02}");
    let _ = write!(year, "{y}");
    let _ = write!(time_precision, "{precision}");
    disorder.push_str(disorder_type(event_type));
    event_type_f.push_str(event_type);
    sub_event_type_f.push_str(sub_event_type);
    actor1_f.push_str(&actor1);
    if rng.chance(0.2) {
        let _ = write!(assoc_actor_1, "{}; Women ({})", group, country.name);
    }
    actor2_f.push_str(&actor2);
    if rng.chance(0.1) && !actor2.is_empty() {
        let _ = write!(assoc_actor_2, "Health Workers ({})", country.name);
    }
    let (i1, i2) = (inter_code(&actor1), inter_code(&actor2));
    let _ = write!(inter1, "{i1}");
    let _ = write!(inter2, "{i2}");
    if i2 == 0 {
        let _ = write!(interaction, "{i1}0");
    } else {
        let _ = write!(interaction, "{}{}", i1.min(i2), i1.max(i2));
    }
    if actor2.starts_with("Civilians") {
        civilian_targeting.push_str("Civilian targeting");
    }
    let _ = write!(iso, "{}", country.iso_numeric);
    region.push_str(country.region);
    country_f.push_str(country.name);
    admin1.push_str(town.admin1);
    admin2.push_str(town.admin2);
    admin3.push_str(town.admin3);
    location.push_str(town.location);
    // Up to ~2 km either way, as ACLED's four decimals.
    let lat = town.lat + (rng.unit() - 0.5) * 0.036;
    let lon = town.lon + (rng.unit() - 0.5) * 0.036;
    let _ = write!(latitude, "{lat:.4}");
    let _ = write!(longitude, "{lon:.4}");
    let gp = match rng.below(100) {
        0..70 => 1,
        70..95 => 2,
        _ => 3,
    };
    let _ = write!(geo_precision, "{gp}");
    // One to three distinct publishers, as ACLED joins them.
    let publishers = country.publishers;
    let first_source = rng.below(publishers.len());
    for k in 0..1 + rng.below(3) {
        if k > 0 {
            source.push_str("; ");
        }
        source.push_str(publishers[(first_source + k) % publishers.len()]);
    }
    source_scale.push_str(rng.pick(SOURCE_SCALES));

    let when = match precision {
        1 => format!("On {y:04}-{m:02}-{d:02}"),
        2 => format!("Around {y:04}-{m:02}-{d:02} (week of)"),
        _ => format!("In {y:04}-{m:02} (month of)"),
    };
    let place = format!("{}, {} ({})", town.location, town.admin2, town.admin1);
    match event_type {
        "Protests" => {
            let _ = write!(
                notes,
                "{when}, dozens of residents protested in {place} against {}, chanting \"{}\".",
                rng.pick(PROTEST_CAUSES),
                if rng.chance(0.5) {
                    "the people want security"
                } else {
                    "no to corruption, no to hunger"
                }
            );
        }
        "Strategic developments" => {
            let _ = write!(
                notes,
                "{when}, {actor1} carried out a {} in {place}, detaining several men, including a former \"reconciliation\" member.",
                sub_event_type.to_lowercase()
            );
        }
        _ => {
            let _ = write!(
                notes,
                "{when}, {actor1} {} {} in {place} ({}). {}, according to {}, which called it \"{}\".",
                rng.pick(ATTACK_VERBS),
                if actor2.is_empty() {
                    "positions"
                } else {
                    actor2.as_str()
                },
                sub_event_type.to_lowercase(),
                match fatal {
                    0 => "No fatalities were reported".to_string(),
                    1 => "One person was killed".to_string(),
                    n => format!("{n} people were killed"),
                },
                country.publishers[0],
                if fatal > 10 {
                    "a massacre"
                } else {
                    "a serious escalation"
                },
            );
        }
    }
    let target = 100 + rng.below(301);
    while notes.len() < target {
        let closing = rng.pick(CLOSINGS);
        if notes.len() + 1 + closing.len() > 400 {
            break;
        }
        notes.push(' ');
        notes.push_str(closing);
    }
    let _ = write!(fatalities_f, "{fatal}");
    if event_type == "Protests" || event_type == "Riots" {
        tags.push_str(match rng.below(3) {
            0 => "crowd size=no report",
            1 => "crowd size=dozens",
            _ => "crowd size=around 200",
        });
    } else if rng.chance(0.05) {
        tags.push_str("local administrators");
    }
    // Recorded (or last revised) a week to two years after the event, and
    // not after the end of the generated period.
    let recorded_day = (day + 7 + rng.below(730) as i64).min(last + 31);
    let recorded = recorded_day * 86_400 + rng.below(86_400) as i64;
    let _ = write!(timestamp, "{recorded}");
}

fn run(n: u64, out: &str, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    let file = File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
    w.write_record(COLUMNS)?;
    let mut rng = Rng(seed);
    let mut row = Row::new();
    for i in 0..n {
        fill(&mut rng, i, &mut row);
        w.write_record(&row.fields)?;
    }
    w.flush()?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate_acled N OUT.csv [SEED]";
    let (Some(n), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let Ok(n) = n.replace('_', "").parse::<u64>() else {
        eprintln!("N must be a row count, not {n:?}\n{usage}");
        return ExitCode::from(2);
    };
    let seed = match args.get(2).map(|s| s.parse::<u64>()) {
        None => 42,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("SEED must be a whole number\n{usage}");
            return ExitCode::from(2);
        }
    };
    if COLUMNS.len() != 31 {
        eprintln!(
            "expected ACLED's 31 columns, the library lists {}",
            COLUMNS.len()
        );
        return ExitCode::from(1);
    }
    match run(n, out, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
