//! What happened: the words that signal an event ("clashes", "an air
//! strike", "shot dead", "arrested") and the ACLED event type and sub-type
//! they give, decided once per event from all of its signals.

use std::ops::Range;

use super::text::Word;

/// The kinds of signal, strongest first: when one event carries several
/// ("an air strike killed five"), the earliest in this list decides its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    Chemical,
    Suicide,
    Air,
    Shelling,
    Explosive,
    Grenade,
    Blast,
    Territory,
    Clash,
    Abduction,
    Sexual,
    Killing,
    /// "attacked", "an attack on": violent, its type decided by the victims.
    Attack,
    Riot,
    Protest,
    Arrest,
    Looting,
    Disrupted,
    Agreement,
    Base,
    Deployment,
    /// Forces moving into territory without a fight: an incursion.
    Incursion,
    Transfer,
    Dismissal,
    Announcement,
}

impl Signal {
    /// The kinds that describe violence (an event of its own), as against
    /// developments that need a stronger cue to be coded.
    pub fn is_violent(self) -> bool {
        self <= Signal::Riot
    }

    /// Whether two signals can describe the same event ("an air strike" and
    /// "killed"; "clashes" and "killed"), so sentences about one event merge.
    /// A killing or an attack fits any violent event (it tells its
    /// victims); otherwise only signals of one event type fit together
    /// (a clash and then a roadside bomb are two events).
    pub fn compatible(self, other: Signal) -> bool {
        let family = |s: Signal| match s {
            Signal::Chemical
            | Signal::Suicide
            | Signal::Air
            | Signal::Shelling
            | Signal::Explosive
            | Signal::Grenade
            | Signal::Blast => 0,
            Signal::Territory | Signal::Clash => 1,
            Signal::Riot | Signal::Protest => 2,
            _ => 3 + s as u8,
        };
        let wildcard = |s: Signal| matches!(s, Signal::Killing | Signal::Attack);
        family(self) == family(other)
            || (wildcard(self) && other.is_violent())
            || (wildcard(other) && self.is_violent())
    }
}

/// One signal found: its words and kind.
#[derive(Debug, Clone)]
pub struct Found {
    pub range: Range<usize>,
    pub signal: Signal,
    /// "the bombing", "the gunmen": an event already told, referred to again.
    pub anaphoric: bool,
    /// "a car bomb attack": one event, not a count of them.
    pub singular: bool,
}

/// "the bombing", "the huge explosion", "Tuesday's blast", "ISIS's attack":
/// the words before a signal refer back to an event already told.
fn refers_back(before: &[Word]) -> bool {
    let Some(last) = before.last() else {
        return false;
    };
    if last.lower.ends_with("'s") {
        return true;
    }
    // The article may stand before an adjective or two, never after "a".
    before
        .iter()
        .rev()
        .take_while(|w| !matches!(w.lower.as_str(), "a" | "an"))
        .any(|w| matches!(w.lower.as_str(), "the" | "this" | "that" | "both"))
}

/// Phrases as lowercase words; a word ending in `*` matches any word that
/// starts with it.
const LEXICON: &[(&[&str], Signal)] = &[
    (&["chemical", "attack*"], Signal::Chemical),
    (&["chemical", "weapon*"], Signal::Chemical),
    (&["chlorine", "gas"], Signal::Chemical),
    (&["sarin"], Signal::Chemical),
    (&["suicide", "bomb*"], Signal::Suicide),
    (&["suicide", "attack*"], Signal::Suicide),
    (&["suicide", "car"], Signal::Suicide),
    (&["suicide", "vest*"], Signal::Suicide),
    (&["blew", "himself", "up"], Signal::Suicide),
    (&["blew", "herself", "up"], Signal::Suicide),
    (&["air", "strike*"], Signal::Air),
    (&["airstrike*"], Signal::Air),
    (&["air", "raid*"], Signal::Air),
    (&["airraid*"], Signal::Air),
    (&["drone", "strike*"], Signal::Air),
    (&["drone", "attack*"], Signal::Air),
    (&["drone", "struck"], Signal::Air),
    (&["drone", "targeted"], Signal::Air),
    (&["drone", "hit"], Signal::Air),
    (&["warplane*"], Signal::Air),
    // In conflict reporting a bare "strike" is an air, drone or missile strike.
    (&["strike"], Signal::Air),
    (&["strikes"], Signal::Air),
    (&["war", "planes"], Signal::Air),
    (&["helicopter", "gunship*"], Signal::Air),
    (&["barrel", "bomb*"], Signal::Air),
    (&["aerial", "bombardment"], Signal::Air),
    (&["bombed", "by", "aircraft"], Signal::Air),
    (&["shelling"], Signal::Shelling),
    (&["shelled"], Signal::Shelling),
    (&["shells"], Signal::Shelling),
    (&["artillery"], Signal::Shelling),
    (&["mortar*"], Signal::Shelling),
    (&["rocket", "attack*"], Signal::Shelling),
    (&["rocket", "fire"], Signal::Shelling),
    (&["rockets"], Signal::Shelling),
    (&["rocket", "hit"], Signal::Shelling),
    (&["rocket", "struck"], Signal::Shelling),
    (&["rocket", "landed"], Signal::Shelling),
    (&["katyusha*"], Signal::Shelling),
    (&["missile*"], Signal::Shelling),
    (&["shelling"], Signal::Shelling),
    (&["bombardment"], Signal::Shelling),
    (&["improvised", "explosive"], Signal::Explosive),
    (&["ied*"], Signal::Explosive),
    (&["roadside", "bomb*"], Signal::Explosive),
    (&["car", "bomb*"], Signal::Explosive),
    (&["booby-trapped"], Signal::Explosive),
    (&["booby", "trapped"], Signal::Explosive),
    (&["booby-trap*"], Signal::Explosive),
    (&["landmine*"], Signal::Explosive),
    (&["land", "mine*"], Signal::Explosive),
    (&["explosive", "device*"], Signal::Explosive),
    (&["explosive", "charge*"], Signal::Explosive),
    (&["sticky", "bomb*"], Signal::Explosive),
    (&["vbied*"], Signal::Explosive),
    (&["unexploded", "ordnance"], Signal::Explosive),
    (&["remnants", "of", "war"], Signal::Explosive),
    (&["grenade*"], Signal::Grenade),
    (&["explosion*"], Signal::Blast),
    (&["blast*"], Signal::Blast),
    (&["exploded"], Signal::Blast),
    (&["detonated"], Signal::Blast),
    (&["bombing*"], Signal::Blast),
    (&["bomb", "attack*"], Signal::Blast),
    (&["bomb", "went", "off"], Signal::Blast),
    (&["captured"], Signal::Territory),
    (&["recaptured"], Signal::Territory),
    (&["retook"], Signal::Territory),
    (&["retaken"], Signal::Territory),
    (&["took", "control"], Signal::Territory),
    (&["taken", "control"], Signal::Territory),
    (&["seized", "control"], Signal::Territory),
    (&["regained", "control"], Signal::Territory),
    (&["overran"], Signal::Territory),
    (&["liberated"], Signal::Territory),
    (&["clash*"], Signal::Clash),
    (&["fighting"], Signal::Clash),
    (&["fought"], Signal::Clash),
    (&["firefight*"], Signal::Clash),
    (&["gunfight*"], Signal::Clash),
    (&["gun", "battle*"], Signal::Clash),
    (&["battle*"], Signal::Clash),
    (&["exchanged", "fire"], Signal::Clash),
    (&["exchange", "of", "fire"], Signal::Clash),
    (&["exchanges", "of", "fire"], Signal::Clash),
    (&["armed", "resistance"], Signal::Clash),
    (&["ambush*"], Signal::Clash),
    (&["attacked", "a", "checkpoint"], Signal::Clash),
    (&["attack", "on", "a", "checkpoint"], Signal::Clash),
    (&["offensive"], Signal::Clash),
    (&["repelled"], Signal::Clash),
    (&["infiltration", "attempt"], Signal::Clash),
    (&["stormed"], Signal::Clash),
    (&["kidnap*"], Signal::Abduction),
    (&["abduct*"], Signal::Abduction),
    (&["forcibly", "disappeared"], Signal::Abduction),
    (&["taken", "hostage"], Signal::Abduction),
    (&["raped"], Signal::Sexual),
    (&["rape"], Signal::Sexual),
    (&["sexual", "violence"], Signal::Sexual),
    (&["sexually", "assaulted"], Signal::Sexual),
    (&["killed"], Signal::Killing),
    (&["killing"], Signal::Killing),
    (&["kills"], Signal::Killing),
    (&["died"], Signal::Killing),
    (&["shot", "dead"], Signal::Killing),
    (&["shot", "and", "killed"], Signal::Killing),
    (&["gunned", "down"], Signal::Killing),
    (&["assassinat*"], Signal::Killing),
    (&["executed"], Signal::Killing),
    (&["execution*"], Signal::Killing),
    (&["murder*"], Signal::Killing),
    (&["beheaded"], Signal::Killing),
    (&["stabbed"], Signal::Killing),
    (&["shot"], Signal::Killing),
    (&["opened", "fire"], Signal::Killing),
    (&["gunmen"], Signal::Killing),
    (&["tortured"], Signal::Killing),
    (&["bodies", "of"], Signal::Killing),
    (&["body", "of"], Signal::Killing),
    (&["attack"], Signal::Attack),
    (&["fired", "at"], Signal::Attack),
    (&["fired", "on"], Signal::Attack),
    (&["fired", "upon"], Signal::Attack),
    (&["shot", "at"], Signal::Attack),
    (&["attacks"], Signal::Attack),
    (&["attacked"], Signal::Attack),
    (&["attacking"], Signal::Attack),
    (&["assault"], Signal::Attack),
    (&["raid"], Signal::Attack),
    (&["assaulted"], Signal::Attack),
    (&["lynch*"], Signal::Riot),
    (&["riot*"], Signal::Riot),
    (&["mob"], Signal::Riot),
    (&["violent", "demonstration*"], Signal::Riot),
    (&["set", "fire", "to"], Signal::Riot),
    (&["protest*"], Signal::Protest),
    (&["demonstration*"], Signal::Protest),
    (&["demonstrators"], Signal::Protest),
    (&["rallied"], Signal::Protest),
    (&["rally"], Signal::Protest),
    (&["rallies"], Signal::Protest),
    (&["sit-in*"], Signal::Protest),
    (&["marched"], Signal::Protest),
    (&["arrest*"], Signal::Arrest),
    (&["detained"], Signal::Arrest),
    (&["detains"], Signal::Arrest),
    (&["detaining"], Signal::Arrest),
    (&["rounded", "up"], Signal::Arrest),
    (&["taken", "into", "custody"], Signal::Arrest),
    (&["apprehended"], Signal::Arrest),
    (&["loot*"], Signal::Looting),
    (&["plunder*"], Signal::Looting),
    (&["extortion"], Signal::Looting),
    (&["extorted"], Signal::Looting),
    (&["torched"], Signal::Looting),
    (&["burned", "down"], Signal::Looting),
    (&["demolished"], Signal::Looting),
    (&["bulldozed"], Signal::Looting),
    (&["confiscated"], Signal::Looting),
    (&["defused"], Signal::Disrupted),
    (&["dismantled"], Signal::Disrupted),
    (&["weapons", "cache"], Signal::Disrupted),
    (&["arms", "cache"], Signal::Disrupted),
    (&["seized", "weapons"], Signal::Disrupted),
    (&["seized", "a", "weapons"], Signal::Disrupted),
    (&["intercepted"], Signal::Disrupted),
    (&["shot", "down"], Signal::Disrupted),
    (&["ceasefire"], Signal::Agreement),
    (&["cease-fire"], Signal::Agreement),
    (&["truce"], Signal::Agreement),
    (&["signed", "an", "agreement"], Signal::Agreement),
    (&["reached", "an", "agreement"], Signal::Agreement),
    (&["prisoner", "exchange"], Signal::Agreement),
    (&["prisoner", "swap"], Signal::Agreement),
    (&["established", "a", "base"], Signal::Base),
    (&["set", "up", "a", "base"], Signal::Base),
    (&["new", "headquarters"], Signal::Base),
    (&["deployed"], Signal::Deployment),
    (&["deployment*"], Signal::Deployment),
    (&["redeployed"], Signal::Deployment),
    (&["reinforcements"], Signal::Deployment),
    (&["incursion"], Signal::Incursion),
    (&["incursions"], Signal::Incursion),
    (&["advanced", "into"], Signal::Incursion),
    (&["pushed", "into"], Signal::Incursion),
    (&["handed", "over"], Signal::Transfer),
    (&["withdrew", "from"], Signal::Transfer),
    (&["took", "over"], Signal::Transfer),
    (&["dismissed"], Signal::Dismissal),
    (&["sacked"], Signal::Dismissal),
    (&["expelled"], Signal::Dismissal),
    (&["announced"], Signal::Announcement),
];

/// Words that make the signals after them in the same clause not an event
/// that happened: future, intent, fear, condition, denial, hypothesis.
const NOT_HAPPENED: &[&str] = &[
    "would",
    "could",
    "might",
    "may",
    "will",
    "plan",
    "plans",
    "planned",
    "planning",
    "threat",
    "threats",
    "threatened",
    "threatening",
    "warned",
    "warning",
    "warns",
    "fear",
    "fears",
    "feared",
    "fearing",
    "pledged",
    "pledging",
    "vowed",
    "intend",
    "intends",
    "aimed",
    "aims",
    "seeks",
    "seeking",
    "if",
    "unless",
    "prevent",
    "denied",
    "deny",
    "avoid",
    "condemned",
    "condemning",
    "accused",
    "accusing",
    "calls",
    "called",
    "demanding",
    "demanded",
    "risk",
    "possibility",
    "possible",
    "ready",
    "anniversary",
    // "since the army took control": the start of a period, background.
    "since",
    // "the war has killed hundreds of thousands": the war's toll, not an event.
    "war",
    "conflict",
    // Habits, not events: "ISIS has stepped up its attacks lately".
    "lately",
    "increasingly",
    "often",
    "frequently",
    "regularly",
    "usually",
    "routinely",
    "repeatedly",
    "stepped",
    "frequent",
    "months",
    "years",
    // "No group has claimed either attack": a reference, not an event.
    "no",
    "either",
    "neither",
];

/// Words that end a clause for [`NOT_HAPPENED`]: after them the sentence
/// reports a fact again ("Officials feared unrest; on Monday, gunmen killed...").
const CLAUSE_BREAK: &[&str] = &["but", "while", "however", "meanwhile", "when", "after"];

/// The event signals of one sentence's words, in order, leaving out those
/// the sentence says did not (or not yet) happen.
/// `dated`: the sentence gives a date; without one, "had been killed"
/// tells of something before the news (undated background), while "said
/// on Monday it had killed" is the news.
pub fn signals(
    words: &[Word],
    sentence_text: &str,
    sentence_start: usize,
    dated: bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut hypothetical = false;
    let mut last_end = sentence_start;
    while i < words.len() {
        let w = &words[i];
        // Punctuation between words ends a clause too.
        let gap = &sentence_text[last_end - sentence_start..w.range.start - sentence_start];
        if gap.contains([';', ':']) || CLAUSE_BREAK.contains(&w.lower.as_str()) {
            hypothetical = false;
        }
        last_end = w.range.end;
        let found = LEXICON
            .iter()
            .filter(|(phrase, _)| matches_at(words, i, phrase))
            .max_by_key(|(phrase, signal)| (phrase.len(), std::cmp::Reverse(*signal)));
        if found.is_none()
            && (NOT_HAPPENED.contains(&w.lower.as_str()) || (!dated && w.lower == "had"))
        {
            hypothetical = true;
        }
        match found {
            Some((phrase, signal)) => {
                let end = words[i + phrase.len() - 1].range.end;
                if !hypothetical {
                    out.push(Found {
                        range: w.range.start..end,
                        signal: *signal,
                        anaphoric: refers_back(&words[i.saturating_sub(3)..i]),
                        singular: i > 0 && matches!(words[i - 1].lower.as_str(), "a" | "an"),
                    });
                }
                last_end = end;
                i += phrase.len();
            }
            None => i += 1,
        }
    }
    // An announcement is a development only when it changes forces on the
    // ground (a drawdown, a deployment), not any statement.
    let forces = words.iter().any(|w| {
        matches!(
            w.lower.as_str(),
            "troops" | "forces" | "soldiers" | "withdrawal" | "withdraw" | "deployment"
        )
    });
    out.retain(|f| f.signal != Signal::Announcement || forces);
    out
}

fn matches_at(words: &[Word], i: usize, phrase: &[&str]) -> bool {
    phrase.len() <= words.len() - i
        && phrase
            .iter()
            .zip(&words[i..])
            .all(|(p, w)| match p.strip_suffix('*') {
                Some(prefix) => w.lower.starts_with(prefix),
                None => w.lower == *p,
            })
}

/// Victims named in an event's words: armed (soldiers, fighters) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Victims {
    Armed,
    Civilian,
    Unknown,
}

const ARMED: &[&str] = &[
    "soldier",
    "soldiers",
    "troops",
    "fighters",
    "fighter",
    "militants",
    "militant",
    "militiamen",
    "gunmen",
    "peshmerga",
    "policemen",
    "policeman",
    "officers",
    "officer",
    "personnel",
    "guards",
    "guard",
    "jihadists",
    "insurgents",
    "rebels",
    "combatants",
    "servicemen",
    "conscripts",
    "commander",
    "commanders",
    "recruits",
    "attacker",
    "attackers",
];
const CIVILIAN: &[&str] = &[
    "civilian",
    "civilians",
    "children",
    "child",
    "women",
    "woman",
    "man",
    "men",
    "boy",
    "girl",
    "boys",
    "girls",
    "farmer",
    "farmers",
    "shepherd",
    "shepherds",
    "worshippers",
    "residents",
    "resident",
    "family",
    "families",
    "teacher",
    "doctor",
    "journalist",
    "journalists",
    "son",
    "sons",
    "daughter",
    "daughters",
    "brother",
    "brothers",
    "father",
    "mother",
    "wife",
    "husband",
    "relatives",
    "sisters",
    "sister",
    "villagers",
    "passengers",
    "students",
    "student",
    "worker",
    "workers",
    "people",
    "person",
    "elder",
    "activist",
    "activists",
    "cleric",
    "displaced",
    "refugees",
    "mukhtar",
    "youth",
    "teenager",
    "infant",
    "baby",
    "fishermen",
    "fisherman",
    "drivers",
    "driver",
    "shopkeeper",
    "merchant",
    "traders",
    "nurse",
    "engineer",
    "pilgrims",
    "worshipper",
    "mourners",
    "guests",
    "herders",
];

/// Who the attackers are, not their victims ("gunmen killed a man").
const PERPETRATORS: &[&str] = &[
    "gunmen",
    "militants",
    "militant",
    "attacker",
    "attackers",
    "assailants",
    "insurgents",
    "jihadists",
];

/// Armed victims win: an attack that kills soldiers and civilians is a
/// battle, as ACLED codes it.
///
/// `armed_group`: the event names an armed group, so its "members" are
/// fighters ("six members of the SDF"), not members of a committee.
pub fn victims(words: &[Word], armed_group: bool) -> Victims {
    let armed = words.iter().any(|w| {
        (ARMED.contains(&w.lower.as_str()) && !PERPETRATORS.contains(&w.lower.as_str()))
            || (armed_group && matches!(w.lower.as_str(), "member" | "members"))
    });
    let civilian = words.iter().any(|w| {
        CIVILIAN.contains(&w.lower.as_str()) && !matches!(w.lower.as_str(), "people" | "person")
    });
    match (armed, civilian) {
        (true, _) => Victims::Armed,
        (false, true) => Victims::Civilian,
        _ => Victims::Unknown,
    }
}

/// Whether a word is a person noun ("civilians", "a man"), for counting the dead.
pub fn is_person(word: &str) -> bool {
    ARMED.contains(&word) || CIVILIAN.contains(&word)
}

pub fn is_civilian(word: &str) -> bool {
    CIVILIAN.contains(&word)
}

/// The ACLED type and sub-type for an event with these signals (strongest
/// first), its victims and whether a state force is among its actors.
pub fn classify(
    strongest: Signal,
    all: &[Signal],
    victims: Victims,
    state_actor: bool,
    words: &[Word],
) -> (&'static str, &'static str) {
    let has = |w: &str| words.iter().any(|x| x.lower == w);
    match strongest {
        Signal::Chemical => ("Explosions/Remote violence", "Chemical weapon"),
        Signal::Suicide => ("Explosions/Remote violence", "Suicide bomb"),
        Signal::Air => ("Explosions/Remote violence", "Air/drone strike"),
        Signal::Shelling => (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        Signal::Explosive | Signal::Blast => (
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        Signal::Grenade => ("Explosions/Remote violence", "Grenade"),
        Signal::Territory if state_actor => ("Battles", "Government regains territory"),
        Signal::Territory => ("Battles", "Non-state actor overtakes territory"),
        Signal::Clash => ("Battles", "Armed clash"),
        Signal::Abduction => (
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
        Signal::Sexual => ("Violence against civilians", "Sexual violence"),
        Signal::Killing | Signal::Attack if victims == Victims::Armed => ("Battles", "Armed clash"),
        Signal::Killing | Signal::Attack => ("Violence against civilians", "Attack"),
        Signal::Riot if has("mob") || has("lynched") || has("lynching") => {
            ("Riots", "Mob violence")
        }
        Signal::Riot => ("Riots", "Violent demonstration"),
        Signal::Protest if all.contains(&Signal::Killing) || has("live") => {
            ("Protests", "Excessive force against protesters")
        }
        Signal::Protest
            if [
                "dispersed",
                "tear",
                "disperse",
                "beat",
                "beaten",
                "arrested",
                "detained",
            ]
            .iter()
            .any(|w| has(w)) =>
        {
            ("Protests", "Protest with intervention")
        }
        Signal::Protest => ("Protests", "Peaceful protest"),
        Signal::Arrest => ("Strategic developments", "Arrests"),
        Signal::Looting => ("Strategic developments", "Looting/property destruction"),
        Signal::Disrupted => ("Strategic developments", "Disrupted weapons use"),
        Signal::Agreement => ("Strategic developments", "Agreement"),
        Signal::Base => ("Strategic developments", "Headquarters or base established"),
        Signal::Deployment => ("Strategic developments", "Change to group/activity"),
        Signal::Transfer => (
            "Strategic developments",
            "Non-violent transfer of territory",
        ),
        Signal::Dismissal | Signal::Announcement | Signal::Incursion => {
            ("Strategic developments", "Other")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::words;

    fn kinds(s: &str) -> Vec<Signal> {
        signals(&words(s), s, 0, false)
            .into_iter()
            .map(|f| f.signal)
            .collect()
    }

    #[test]
    fn signals_are_found_as_phrases_longest_first() {
        assert_eq!(
            kinds("An air strike killed two"),
            [Signal::Air, Signal::Killing]
        );
        assert_eq!(
            kinds("gunmen shot dead a man"),
            [Signal::Killing, Signal::Killing]
        );
        assert_eq!(kinds("Clashes erupted"), [Signal::Clash]);
    }

    #[test]
    fn what_did_not_happen_is_no_signal() {
        assert!(kinds("officials fear ISIS could carry out attacks and kill civilians").is_empty());
        assert_eq!(
            kinds("Officials warned of attacks; on Monday gunmen killed a man"),
            [Signal::Killing, Signal::Killing]
        );
    }

    #[test]
    fn killings_of_soldiers_are_battles_of_civilians_attacks() {
        let w = words("gunmen killed two soldiers");
        assert_eq!(
            classify(
                Signal::Killing,
                &[Signal::Killing],
                victims(&w, false),
                false,
                &w
            ),
            ("Battles", "Armed clash")
        );
        let w = words("gunmen killed a shepherd");
        assert_eq!(
            victims(&w, false),
            Victims::Civilian,
            "gunmen are the attackers"
        );
        assert_eq!(
            classify(
                Signal::Killing,
                &[Signal::Killing],
                victims(&w, false),
                false,
                &w
            )
            .0,
            "Violence against civilians"
        );
    }
}
