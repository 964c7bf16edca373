//! The keys a region is found by, decided once here: each name's
//! `normalize_name` key and its `skeleton_key`, and the codes among its
//! names. The bundled regions' keys are computed at build time (build.rs
//! compiles this module and the normaliser) into sorted tables read in
//! place, so loading normalises nothing; regions given at run time (custom
//! ones) keep theirs in hash maps.

use std::collections::HashMap;

use crate::geo::columns::{Reader, Strings, U32s, Writer};
use crate::geo::level::Level;
use crate::geo::normalize::{normalize_name, skeleton_key};

/// The keys of one region, each once.
#[derive(Debug, Default, PartialEq)]
pub struct RegionKeys {
    /// Normalised names.
    pub names: Vec<String>,
    /// Skeletons of the normalised names.
    pub skeletons: Vec<String>,
    /// Upper-cased codes, P-codes and code aliases (admin regions only).
    pub codes: Vec<String>,
}

/// The keys of a region of `level` with these names (its own, Arabic and
/// alternate names, code and P-code).
pub fn region_keys<'a>(names: impl IntoIterator<Item = &'a str>, level: Level) -> RegionKeys {
    let mut keys = RegionKeys::default();
    for name in names {
        let key = normalize_name(name);
        if !key.is_empty() && !keys.names.contains(&key) {
            if let Some(skeleton) = skeleton_key(&key)
                && !keys.skeletons.contains(&skeleton)
            {
                keys.skeletons.push(skeleton);
            }
            keys.names.push(key);
        }
        if level != Level::Custom && looks_like_code(name) {
            let code = name.to_uppercase();
            if !keys.codes.contains(&code) {
                keys.codes.push(code);
            }
        }
    }
    keys
}

/// ISO 3166-2 codes (SY-DR), P-codes (SY1202, IQG15Q05) and Natural Earth
/// adm1 codes (SYR-5261): upper-case letters and digits with a digit or a
/// hyphen, no spaces.
fn looks_like_code(s: &str) -> bool {
    s.len() >= 3
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'~')
        && s.bytes().any(|b| b.is_ascii_digit() || b == b'-')
}

/// Keys -> region ids, read in place: the keys sorted in byte order, each
/// once, and the ids of key `i` at `starts[i]..starts[i + 1]`, ascending.
#[derive(Debug, Clone, Copy)]
pub struct KeyTable<'a> {
    keys: Strings<'a>,
    starts: U32s<'a>,
    ids: U32s<'a>,
}

impl<'a> KeyTable<'a> {
    fn write(w: &mut Writer, mut pairs: Vec<(&str, u32)>) -> Result<(), String> {
        pairs.sort_unstable();
        pairs.dedup();
        let (mut keys, mut starts, mut ids) = (Vec::new(), Vec::new(), Vec::new());
        for (key, id) in pairs {
            if keys.last() != Some(&key) {
                keys.push(key);
                starts.push(ids.len() as u32);
            }
            ids.push(id);
        }
        starts.push(ids.len() as u32);
        w.strings(keys)?;
        w.u32s(&starts)?;
        w.u32s(&ids)
    }

    fn read(r: &mut Reader<'a>) -> Result<KeyTable<'a>, String> {
        let table = KeyTable {
            keys: r.strings()?,
            starts: r.u32s()?,
            ids: r.u32s()?,
        };
        let n = table.keys.len();
        if table.starts.len() != n + 1 || table.starts.get(n) as usize != table.ids.len() {
            return Err("key table: starts do not match the keys and ids".into());
        }
        Ok(table)
    }

    fn ids_at(self, i: usize) -> impl Iterator<Item = u32> + 'a {
        let ids = self.ids;
        (self.starts.get(i)..self.starts.get(i + 1)).map(move |j| ids.get(j as usize))
    }

    /// The ids under `key`.
    pub fn get(&self, key: &str) -> impl Iterator<Item = u32> + 'a {
        let i = self.keys.search(key).ok();
        let table = *self;
        i.into_iter().flat_map(move |i| table.ids_at(i))
    }

    /// Every key with its ids.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, impl Iterator<Item = u32> + 'a)> + 'a {
        let table = *self;
        (0..self.keys.len()).map(move |i| (table.keys.get(i), table.ids_at(i)))
    }
}

/// The three key tables of the bundled regions.
#[derive(Debug, Clone, Copy)]
pub struct NameTables<'a> {
    pub names: KeyTable<'a>,
    pub skeletons: KeyTable<'a>,
    pub codes: KeyTable<'a>,
}

impl<'a> NameTables<'a> {
    /// Writes the tables of regions given as (id, keys).
    pub fn write(w: &mut Writer, regions: &[(u32, RegionKeys)]) -> Result<(), String> {
        let pairs = |field: fn(&RegionKeys) -> &Vec<String>| {
            regions
                .iter()
                .flat_map(|(id, keys)| field(keys).iter().map(|k| (k.as_str(), *id)))
                .collect::<Vec<_>>()
        };
        KeyTable::write(w, pairs(|k| &k.names))?;
        KeyTable::write(w, pairs(|k| &k.skeletons))?;
        KeyTable::write(w, pairs(|k| &k.codes))
    }

    pub fn read(r: &mut Reader<'a>) -> Result<NameTables<'a>, String> {
        Ok(NameTables {
            names: KeyTable::read(r)?,
            skeletons: KeyTable::read(r)?,
            codes: KeyTable::read(r)?,
        })
    }
}

/// The same keys in hash maps, for regions given at run time: key -> ids
/// in the order they were inserted.
#[derive(Debug, Clone, Default)]
pub struct KeyMaps {
    pub names: HashMap<String, Vec<u32>>,
    pub skeletons: HashMap<String, Vec<u32>>,
    pub codes: HashMap<String, Vec<u32>>,
}

impl KeyMaps {
    pub fn insert(&mut self, id: u32, keys: RegionKeys) {
        for (map, keys) in [
            (&mut self.names, keys.names),
            (&mut self.skeletons, keys.skeletons),
            (&mut self.codes, keys.codes),
        ] {
            for key in keys {
                map.entry(key).or_default().push(id);
            }
        }
    }
}
