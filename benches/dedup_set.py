#!/usr/bin/env python3
"""The development set for `incidents dedup` (issue 15): a synthetic UCDP GED
base set, a "second source" in ACLED's layout that re-reports part of it and
adds near misses, the truth, and a scorer for `dedup --format json`.

  synth  --out base.csv --n N --seed S
      A UCDP GED CSV (the 49 columns UCDP publishes) modelled on the real GED
      Syria file: its places, dyads, precisions, fatality distribution, and its
      density (many distinct events with the same actors in the same town on
      neighbouring days, and on the same day in towns nearby).
  second --base base.csv --out second.csv --truth truth.tsv --seed S
         [--share 0.4] [--near-share 0.15]
      An ACLED CSV re-reporting a share of the base events (date shifted by
      0-1 day, point moved up to ~6 km, fatalities changed, actors, event
      types and places as ACLED names them) plus near misses that are other
      events (same place and actors 2-7 days away; same day 20-60 km away).
      Works on any UCDP GED CSV, the real file included.
      truth.tsv: kind (rereport|nearmiss), second_uid, base_uid.
  score  --truth truth.tsv --pairs dedup.json [--json]
         [--misses K --base base.csv --second second.csv]
      Top-1 accuracy, recall and precision of `duplicate` verdicts, the
      near-miss false-positive rate; --misses lists the K worst top-1 misses
      and false duplicates, with the rows when the CSVs are given.
  ceiling --base base.csv --second second.csv --truth truth.tsv
      The best top-1 accuracy any dedup can reach on the set: where the
      re-report model makes another base event as likely as the original
      (a twin the same day at the same place, the toll unknown), nothing
      can tell them apart.
  stats  --csv base.csv [--json]
      How dense a GED CSV is (to compare a synthetic set with the real file).

Everything is deterministic for a given seed. Standard library only.
"""

import argparse
import csv
import datetime as dt
import functools
import json
import math
import random
import re
import sys

# The GED CSV layout, in UCDP's column order.
GED_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,"
    "conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,"
    "side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,"
    "source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,"
    "latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,"
    "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")

# ACLED's export columns, in ACLED's order (src/formats/acled.rs).
ACLED_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
    "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,"
    "fatalities,tags,timestamp"
).split(",")

# The real file has 16,566 events over 1,425 days, the last on 2019-11-30;
# a synthetic set is as dense and ends the same day.
EVENTS_PER_DAY = 11.6
LAST_DAY = dt.date(2019, 11, 30)
# Episodes of fighting, chosen so that `stats` on a synthetic set gives
# about the real file's figures: days past the first (mean), events a day
# (mean), the weight of the town itself against its villages (the first
# weighs 1), the share of an episode's events at its place, and of the rest
# the share at a town 15-60 km away on the same front.
EPISODE_DAYS = 5
EPISODE_RATE = 0.38
TOWN_SHARE = 0.5
AT_CENTRE = 0.7
FRONT = 0.6

# UCDP dyads seen in the GED Syria file: name -> (type_of_violence,
# conflict_new_id, conflict_name, dyad_new_id, side_a_new_id, side_a,
# side_b_new_id, side_b).
DYADS = {
    "Government of Syria - Syrian insurgents": (1, 299, "Syria: Government", 11973, 118, "Government of Syria", 4456, "Syrian insurgents"),
    "IS - SDF": (2, 13616, "IS - SDF", 14637, 234, "IS", 6288, "SDF"),
    "Government of Syria - IS": (1, 13604, "Syria: Islamic State", 14620, 118, "Government of Syria", 234, "IS"),
    "IS - Civilians": (3, 506, "IS - Civilians", 973, 234, "IS", 1, "Civilians"),
    "SNA - SDF": (2, 14803, "SNA - SDF", 16135, 7514, "SNA", 6288, "SDF"),
    "Hawar Kilis Operations Room - IS": (2, 13832, "Hawar Kilis Operations Room - IS", 14943, 6599, "Hawar Kilis Operations Room", 234, "IS"),
    "Hawar Kilis Operations Room - SDF": (2, 13833, "Hawar Kilis Operations Room - SDF", 14944, 6599, "Hawar Kilis Operations Room", 6288, "SDF"),
    "National Front for Liberation, SNA - SDF": (2, 14808, "National Front for Liberation, SNA - SDF", 16141, 7523, "National Front for Liberation, SNA", 6288, "SDF"),
    "Government of Turkey - IS": (1, 13902, "Turkey: Islamic State", 14701, 115, "Government of Turkey", 234, "IS"),
    "IS - HTS": (2, 14097, "IS - HTS", 15241, 234, "IS", 6815, "HTS"),
    "Syrian insurgents - Civilians": (3, 13299, "Syrian insurgents - Civilians", 14200, 4456, "Syrian insurgents", 1, "Civilians"),
    "23rd Division, Jaysh al Nasr, Jaysh al-Nukhba, Sham Legion, SNA, Syrian Liberation Front - SDF": (2, 14809, "23rd Division, Jaysh al Nasr, Jaysh al-Nukhba, Sham Legion, SNA, Syrian Liberation Front - SDF", 16142, 7524, "23rd Division, Jaysh al Nasr, Jaysh al-Nukhba, Sham Legion, SNA, Syrian Liberation Front", 6288, "SDF"),
    "Ahrar al-Sham, HTS, Southern Front - IS": (2, 14324, "Ahrar al-Sham, HTS, Southern Front - IS", 15542, 7056, "Ahrar al-Sham, HTS, Southern Front", 234, "IS"),
    "Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front - IS": (2, 13786, "Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front - IS", 14876, 6532, "Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front", 234, "IS"),
    "Government of Iraq - IS": (1, 259, "Iraq: Government", 524, 116, "Government of Iraq", 234, "IS"),
    "Government of Syria - Civilians": (3, 711, "Government of Syria - Civilians", 1178, 118, "Government of Syria", 1, "Civilians"),
    "Government of Syria - SDF": (1, 13809, "Syria: Government/Rojava Kurdistan", 14784, 118, "Government of Syria", 6288, "SDF"),
    "Ahrar al-Sham - HTS": (2, 14095, "Ahrar al-Sham - HTS", 15239, 5554, "Ahrar al-Sham", 6815, "HTS"),
    "Fatah Halab - SDF": (2, 13746, "Fatah Halab - SDF", 14815, 6436, "Fatah Halab", 6288, "SDF"),
    "IS - Jabhat Fateh al-Sham": (2, 13034, "IS - Jabhat Fateh al-Sham", 13813, 234, "IS", 1170, "Jabhat Fateh al-Sham"),
}

# Towns of the GED Syria file as UCDP names and places them: name, latitude,
# longitude, adm_1, adm_2, events there in the real file, the dyads fighting
# there (events each), and the town as ACLED spells it (several spellings).
G = " Governorate"
TOWNS = [
    ("Aleppo town", 36.201241, 37.161173, "Aleppo" + G, "Jabal Saman district", 841, {"Government of Syria - Syrian insurgents": 757, "Fatah Halab - SDF": 40, "Government of Syria - IS": 3, "Hawar Kilis Operations Room - SDF": 2}, ["Aleppo", "Halab"]),
    ("Ar Raqqah town", 35.952829, 39.007879, "Ar Raqqah" + G, "Ar Raqqah district", 622, {"IS - SDF": 540, "IS - Civilians": 40, "Government of Iraq - IS": 21, "Government of Syria - IS": 19}, ["Ar-Raqqa", "Raqqa", "Ar Raqqah"]),
    ("Damascus city", 33.513364, 36.291575, "Damascus" + G, "Damascus district", 472, {"Government of Syria - Syrian insurgents": 329, "Government of Syria - IS": 74, "IS - Jabhat Fateh al-Sham": 14, "IS - HTS": 10}, ["Damascus", "Dimashq"]),
    ("Deir ez Zor town", 35.335876, 40.140844, "Deir ez Zor" + G, "Deir ez Zor district", 341, {"Government of Syria - IS": 319, "IS - SDF": 11, "IS - Civilians": 10}, ["Deir-ez-Zor", "Deir ez-Zor", "Dayr az Zawr"]),
    ("Daraa town", 32.61889, 36.10213, "Daraa" + G, "Markaz Daraa district", 295, {"Government of Syria - Syrian insurgents": 290, "Government of Syria - Civilians": 2, "Syrian insurgents - Civilians": 1}, ["Dar'a", "Daraa", "Deraa"]),
    ("Duma town", 33.572264, 36.401811, "Rif Dimashq" + G, "Duma district", 213, {"Government of Syria - Syrian insurgents": 212}, ["Douma", "Duma"]),
    ("Al Bab town", 36.369938, 37.51788, "Aleppo" + G, "Al Bab district", 157, {"Government of Turkey - IS": 64, "Hawar Kilis Operations Room - IS": 34, "Government of Syria - IS": 24, "IS - Civilians": 6}, ["Al Bab", "Al-Bab", "Bab"]),
    ("Manbij town", 36.528153, 37.954954, "Aleppo" + G, "Manbij district", 157, {"IS - SDF": 133, "IS - Civilians": 7, "Government of Syria - IS": 5, "National Front for Liberation, SNA - SDF": 4}, ["Manbij", "Menbij"]),
    ("Khan Shaykhun town", 35.44208, 36.65095, "Idlib" + G, "Maarat al-Numaan district", 122, {"Government of Syria - Syrian insurgents": 117, "Syrian insurgents - Civilians": 3}, ["Khan Sheikhoun", "Khan Shaykhun", "Khan Shekhoun"]),
    ("Tabqa town", 35.8367, 38.5481, "Ar Raqqah" + G, "Ath Thawrah district", 120, {"IS - SDF": 97, "IS - Civilians": 12, "Government of Syria - IS": 6, "Government of Iraq - IS": 4}, ["Tabqa", "At-Tabqa", "Al Thawrah"]),
    ("Harasta town", 33.55837, 36.364003, "Rif Dimashq" + G, "Duma district", 116, {"Government of Syria - Syrian insurgents": 115, "Syrian insurgents - Civilians": 1}, ["Harasta", "Harasta al-Gharbiyah"]),
    ("As Susah village", 34.53366, 40.95819, "Deir ez Zor" + G, "Albu Kamal district", 108, {"IS - SDF": 89, "Government of Syria - IS": 12, "IS - Civilians": 5, "Government of Iraq - IS": 1}, ["Sousa", "Al-Susah"]),
    ("Arbin town", 33.536111, 36.366667, "Rif Dimashq" + G, "Markaz Rif Dimashq district", 105, {"Government of Syria - Syrian insurgents": 101}, ["Arbin", "Irbin"]),
    ("Al Lataminah town", 35.32149, 36.62292, "Hamah" + G, "Muhradah district", 105, {"Government of Syria - Syrian insurgents": 104, "Syrian insurgents - Civilians": 1}, ["Latamneh", "Al-Lataminah", "Lataminah"]),
    ("Idlib town", 35.93062, 36.63393, "Idlib" + G, "Markaz Idlib district", 104, {"Government of Syria - Syrian insurgents": 67, "IS - HTS": 13, "Ahrar al-Sham - HTS": 10, "Syrian insurgents - Civilians": 6}, ["Idleb", "Idlib"]),
    ("Tallbisah  town", 34.84063, 36.73093, "Homs" + G, "Ar Rastan district", 103, {"Government of Syria - Syrian insurgents": 103}, ["Talbiseh", "Tall Bisah", "Talbisa"]),
    ("Al Mayadin town", 35.02089, 40.453455, "Deir ez Zor" + G, "Al Mayadin district", 103, {"Government of Syria - IS": 49, "IS - SDF": 32, "IS - Civilians": 21, "Government of Iraq - IS": 1}, ["Mayadin", "Al Mayadeen", "Al-Mayadin"]),
    ("Hajin town", 34.692602, 40.825579, "Deir ez Zor" + G, "Albu Kamal district", 100, {"IS - SDF": 90, "Government of Syria - IS": 7, "IS - Civilians": 3}, ["Hajin", "Hajeen"]),
    ("Maarat al-Numaan town", 35.648379, 36.676019, "Idlib" + G, "Maarat al-Numaan district", 97, {"Government of Syria - Syrian insurgents": 85, "IS - HTS": 2, "Syrian insurgents - Civilians": 1}, ["Ma'arrat an Nu'man", "Maarrat an Numan", "Maaret al-Numan"]),
    ("Ein Terma suburb", 33.515526, 36.350556, "Rif Dimashq" + G, "Markaz Rif Dimashq district", 94, {"Government of Syria - Syrian insurgents": 93, "Syrian insurgents - Civilians": 1}, ["Ein Terma", "Ain Tarma"]),
    ("Homs town", 34.726818, 36.723391, "Homs" + G, "Mintaqat Markaz Homs district", 90, {"Government of Syria - Syrian insurgents": 78, "Government of Syria - IS": 10}, ["Homs", "Hims"]),
    ("Albu Kamal town", 34.45, 40.918611, "Deir ez Zor" + G, "Albu Kamal district", 87, {"Government of Syria - IS": 41, "IS - SDF": 22, "IS - Civilians": 18, "Government of Iraq - IS": 4}, ["Abu Kamal", "Al Bukamal", "Albukamal"]),
    ("Afrin town", 36.513306, 36.863656, "Aleppo" + G, "Afrin district", 82, {"23rd Division, Jaysh al Nasr, Jaysh al-Nukhba, Sham Legion, SNA, Syrian Liberation Front - SDF": 20, "National Front for Liberation, SNA - SDF": 19, "Syrian insurgents - Civilians": 7, "SNA - SDF": 5}, ["Afrin", "Efrin", "Afreen"]),
    ("Foah village", 35.982916, 36.70221, "Idlib" + G, "Markaz Idlib district", 80, {"Government of Syria - Syrian insurgents": 79}, ["Foah", "Al-Fu'ah"]),
    ("Jisr ash Shughur town", 35.81426, 36.32062, "Idlib" + G, "Jisr ash Shughur district", 77, {"Government of Syria - Syrian insurgents": 74, "IS - HTS": 2}, ["Jisr Ash-Shugur", "Jisr al-Shughour"]),
    ("Ash Shaddadah town", 36.057565, 40.734784, "Al Hasakah" + G, "Al Hasakah district", 77, {"IS - SDF": 74, "Government of Turkey - IS": 1, "IS - Civilians": 1}, ["Shaddadi", "Al-Shaddadi", "Ash Shaddadah"]),
    ("Ar Rastan  town", 34.926532, 36.732381, "Homs" + G, "Ar Rastan district", 76, {"Government of Syria - Syrian insurgents": 75, "Government of Syria - IS": 1}, ["Rastan", "Ar-Rastan"]),
    ("Kabanah village", 35.71743, 36.23272, "Latakia" + G, "Al Haffah district", 73, {"Government of Syria - Syrian insurgents": 73}, ["Kabani", "Kabbana"]),
    ("Tadmur/Palmyra town", 34.5624, 38.28402, "Homs" + G, "Tadmur district", 71, {"Government of Syria - IS": 68, "IS - Civilians": 1}, ["Tadmor", "Palmyra"]),
    ("Baghuz Fawqani village", 34.458611, 40.950556, "Deir ez Zor" + G, "Albu Kamal district", 66, {"IS - SDF": 63, "Government of Iraq - IS": 1, "Government of Syria - IS": 1}, ["Baghuz Fawqani", "Al-Baghouz", "Baghouz"]),
    ("Kafr Zayta town", 35.37425, 36.6033, "Hamah" + G, "Muhradah district", 63, {"Government of Syria - Syrian insurgents": 62, "Government of Syria - IS": 1}, ["Kafr Zeita", "Kafr Zita"]),
    ("Ash Shafah town", 34.57888, 40.93441, "Deir ez Zor" + G, "Albu Kamal district", 61, {"IS - SDF": 50, "IS - Civilians": 7, "Government of Syria - IS": 4}, ["Shaafa", "Al-Shafa"]),
    ("Saraqib town", 35.86447, 36.80591, "Idlib" + G, "Markaz Idlib district", 59, {"Government of Syria - Syrian insurgents": 55, "IS - HTS": 1}, ["Saraqeb", "Saraqib"]),
    ("Harbinafsah town", 34.93757, 36.62287, "Hamah" + G, "Mintaqat Markaz Hamah district", 58, {"Government of Syria - Syrian insurgents": 58}, ["Harbnafseh", "Harb Nafsah"]),
    ("Darayya town", 33.459018, 36.232879, "Rif Dimashq" + G, "Darayya district", 56, {"Government of Syria - Syrian insurgents": 56}, ["Darayya", "Daraya"]),
    ("Al Qaryatayn town", 34.22956, 37.24066, "Homs" + G, "Mintaqat Markaz Homs district", 55, {"Government of Syria - IS": 52, "Government of Syria - Syrian insurgents": 2, "IS - Civilians": 1}, ["Qaryatein", "Al-Qaryatayn"]),
    ("Kafr Nabl town", 35.613964, 36.560703, "Idlib" + G, "Maarat al-Numaan district", 55, {"Government of Syria - Syrian insurgents": 50, "Syrian insurgents - Civilians": 2, "IS - HTS": 2}, ["Kafr Nobol", "Kafranbel", "Kafr Nabl"]),
    ("As Salamiyah town", 35.01127, 37.05324, "Hamah" + G, "Salamiyah district", 54, {"Government of Syria - IS": 31, "Government of Syria - Syrian insurgents": 21, "Government of Syria - Civilians": 2}, ["Salamiyeh", "As-Salamiyah", "Salamiyah"]),
    ("As Sukhnah town", 34.8846, 38.87491, "Homs" + G, "Tadmur district", 52, {"Government of Syria - IS": 51, "Government of Syria - Syrian insurgents": 1}, ["Al-Sukhneh", "Sukhnah"]),
    ("Hamouriyah town", 33.527253, 36.383471, "Rif Dimashq" + G, "Markaz Rif Dimashq district", 50, {"Government of Syria - Syrian insurgents": 49}, ["Hamoriyeh", "Hammouriyeh"]),
    ("Misraba town", 33.551647, 36.395746, "Rif Dimashq" + G, "Duma district", 49, {"Government of Syria - Syrian insurgents": 43}, ["Mesraba", "Misraba"]),
    ("Marea town", 36.48259, 37.19709, "Aleppo" + G, "Mintaqat Azaz district", 45, {"Hawar Kilis Operations Room - SDF": 21, "Hawar Kilis Operations Room - IS": 11, "Government of Syria - Syrian insurgents": 4, "National Front for Liberation, SNA - SDF": 2}, ["Mare'", "Marea"]),
    ("Al Busayrah town", 35.155556, 40.425833, "Deir ez Zor" + G, "Deir ez Zor district", 45, {"IS - SDF": 34, "Government of Syria - IS": 6, "IS - Civilians": 3, "Government of Iraq - IS": 1}, ["Busayra", "Al-Busayrah"]),
    ("Ash Shaykh Miskin town", 32.82944, 36.15933, "Daraa" + G, "Izra district", 41, {"Government of Syria - Syrian insurgents": 41}, ["Sheikh Miskeen", "Al-Shaykh Maskin"]),
    ("Saqba suburb", 33.51926, 36.38376, "Rif Dimashq" + G, "Markaz Rif Dimashq district", 41, {"Government of Syria - Syrian insurgents": 40}, ["Saqba", "Sakba"]),
    ("Azaz town", 36.585896, 37.04565, "Aleppo" + G, "Mintaqat Azaz district", 40, {"Hawar Kilis Operations Room - IS": 10, "Hawar Kilis Operations Room - SDF": 6, "National Front for Liberation, SNA - SDF": 6, "SNA - SDF": 4}, ["A'zaz", "Azaz", "Aazaz"]),
    ("Dael town", 32.7539, 36.13, "Daraa" + G, "Markaz Daraa district", 40, {"Government of Syria - Syrian insurgents": 37, "Government of Syria - IS": 1}, ["Da'el", "Dael"]),
    ("Khan ash Shih town", 33.3751, 36.11287, "Rif Dimashq" + G, "Qatana district", 40, {"Government of Syria - Syrian insurgents": 39, "Government of Syria - Civilians": 1}, ["Khan Elshih", "Khan al-Sheeh"]),
    ("Ein Issa town", 36.385687, 38.858694, "Ar Raqqah" + G, "Tall Abyad district", 39, {"IS - SDF": 28, "SNA - SDF": 8, "Government of Syria - Syrian insurgents": 2, "Syrian insurgents - Civilians": 1}, ["Ain Issa", "Ein Issa"]),
    ("Zamalka town", 33.528426, 36.352354, "Rif Dimashq" + G, "Markaz Rif Dimashq district", 38, {"Government of Syria - Syrian insurgents": 35}, ["Zamalka", "Zamalkah"]),
    ("Ad Dumayr town", 33.641944, 36.692778, "Rif Dimashq" + G, "Duma district", 37, {"Government of Syria - IS": 7, "Government of Syria - Syrian insurgents": 7, "IS - Civilians": 3}, ["Dmeir", "Al-Dumayr"]),
    ("Maskanah town", 35.963158, 38.035566, "Aleppo" + G, "Manbij district", 36, {"Government of Syria - IS": 30, "IS - Civilians": 3, "Government of Syria - Syrian insurgents": 3}, ["Maskana", "Maskanah"]),
    ("Al Hasakah town", 36.502368, 40.747716, "Al Hasakah" + G, "Al Hasakah district", 21, {"Government of Syria - SDF": 11, "IS - SDF": 9, "IS - Civilians": 1}, ["Al-Hasakeh", "Hasakah", "Al Hasakah"]),
    ("Hamah town", 35.133333, 36.75, "Hamah" + G, "Mintaqat Markaz Hamah district", 14, {"Government of Syria - Syrian insurgents": 12, "IS - Civilians": 1, "Government of Syria - IS": 1}, ["Hama", "Hamah"]),
    ("Latakia town", 35.531683, 35.790106, "Latakia" + G, "Latakia district", 12, {"Government of Syria - Syrian insurgents": 3}, ["Lattakia", "Latakia", "Al-Ladhiqiyah"]),
    ("Jarabulus town", 36.8175, 38.011111, "Aleppo" + G, "Jarabulus district", 32, {"National Front for Liberation, SNA - SDF": 5, "Hawar Kilis Operations Room - SDF": 4, "Hawar Kilis Operations Room - IS": 4, "SNA - SDF": 4}, ["Jarablus", "Jarabulus"]),
    ("Kobane/Ayn al Arab town", 36.890952, 38.353471, "Aleppo" + G, "Ayn al Arab district", 13, {"IS - SDF": 11, "SNA - SDF": 1}, ["Ain Al Arab", "Kobani", "Kobane"]),
    ("Ras al Ayn town", 36.850336, 40.070555, "Al Hasakah" + G, "Ras al Ayn district", 16, {"SNA - SDF": 11, "IS - SDF": 3}, ["Ras Al Ain", "Ras al-Ayn", "Serekaniye"]),
    ("Al Qamishli  town", 37.052152, 41.231422, "Al Hasakah" + G, "Al Qamishli district", 27, {"IS - SDF": 12, "Government of Syria - SDF": 8, "SNA - SDF": 4}, ["Qamishli", "Al-Qamishli", "Qamishlo"]),
    ("Busra ash Sham town", 32.52013, 36.48256, "Daraa" + G, "Markaz Daraa district", 13, {"Government of Syria - Syrian insurgents": 12, "Syrian insurgents - Civilians": 1}, ["Busra Esh-Sham", "Bosra", "Busra al-Sham"]),
    ("Az Zabadani town", 33.726307, 36.095947, "Rif Dimashq" + G, "Mintaqat az Zabadani district", 16, {"Government of Syria - Syrian insurgents": 16}, ["Zabadani", "Az-Zabadani"]),
    ("Inkhil town", 33.01797, 36.12806, "Daraa" + G, "As Sanamayn district", 15, {"Government of Syria - Syrian insurgents": 9, "Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front - IS": 4}, ["Inkhil", "Inkhel"]),
    ("Jasim town", 32.99115, 36.060232, "Daraa" + G, "Izra district", 14, {"Government of Syria - Syrian insurgents": 11, "Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front - IS": 1, "Ahrar al-Sham, HTS, Southern Front - IS": 1}, ["Jasim", "Jassem"]),
    ("Nawa town", 32.891028, 36.043459, "Daraa" + G, "Izra district", 22, {"Government of Syria - Syrian insurgents": 18, "Ahrar al-Sham, HTS, Southern Front - IS": 2, "Syrian insurgents - Civilians": 1}, ["Nawa", "Nawa town"]),
    ("Muhradah town", 35.25, 36.583333, "Hamah" + G, "Muhradah district", 17, {"Government of Syria - Syrian insurgents": 17}, ["Mhardeh", "Muhradah", "Mahardah"]),
    ("Quneitra town", 33.125624, 35.823967, "Quneitra" + G, "Markaz al Quneitra district", 12, {"Government of Syria - Syrian insurgents": 3}, ["Quneitra", "Al-Quneitra"]),
    ("Tall Abyad town", 36.697508, 38.956658, "Ar Raqqah" + G, "Tall Abyad district", 28, {"SNA - SDF": 12, "IS - SDF": 11, "IS - Civilians": 2, "Syrian insurgents - Civilians": 2}, ["Tell Abiad", "Tal Abyad", "Tall Abyad"]),
    ("Madaya town", 33.690559, 36.102683, "Rif Dimashq" + G, "Mintaqat az Zabadani district", 29, {"Government of Syria - Syrian insurgents": 29}, ["Madaya", "Madaya town"]),
    ("Houla town", 34.885278, 36.511667, "Homs" + G, "Mintaqat Markaz Homs district", 29, {"Government of Syria - Syrian insurgents": 29}, ["Al-Houla", "Houla", "Hula"]),
    ("Al Atarib town", 36.13895, 36.82499, "Aleppo" + G, "Atarib district", 30, {"Government of Syria - Syrian insurgents": 28, "Syrian insurgents - Civilians": 1}, ["Atareb", "Al-Atarib"]),
    ("Khan Tuman town", 36.11696, 37.05103, "Aleppo" + G, "Jabal Saman district", 33, {"Government of Syria - Syrian insurgents": 33}, ["Khan Tuman", "Khan Touman"]),
]

TOWN_POINTS = {t[0]: t[1:3] for t in TOWNS}
# Towns on a border or the coast and the bearing (degrees) of the way
# inland: a point moved within 25 km of one goes within 60 degrees of it, so
# that no generated point leaves Syria.
INLAND = {
    "Albu Kamal town": 300, "Baghuz Fawqani village": 300, "As Susah village": 300,
    "Ash Shafah town": 300, "Hajin town": 300, "Azaz town": 180, "Jarabulus town": 180,
    "Kobane/Ayn al Arab town": 180, "Tall Abyad town": 180, "Ras al Ayn town": 180,
    "Al Qamishli  town": 180, "Daraa town": 0, "Quneitra town": 90, "Latakia town": 90,
    "Az Zabadani town": 90, "Madaya town": 90,
}

# Coarser places, where UCDP puts them: a governorate at where_prec 4, with
# ACLED's name for it; a part of one at 5; a district at 3; the country at 6.
GOVERNORATES = {
    "Aleppo" + G: (36.25, 37.616667, "Aleppo"),
    "Ar Raqqah" + G: (36.0, 38.933333, "Ar-Raqqa"),
    "Damascus" + G: (33.513364, 36.291575, "Damascus"),
    "Deir ez Zor" + G: (35.166667, 40.283333, "Deir-ez-Zor"),
    "Daraa" + G: (32.85, 36.21667, "Dar'a"),
    "Rif Dimashq" + G: (33.5, 37.383333, "Rural Damascus"),
    "Idlib" + G: (35.766667, 36.666667, "Idleb"),
    "Hamah" + G: (35.233333, 37.2, "Hama"),
    "Homs" + G: (34.466667, 38.3, "Homs"),
    "Latakia" + G: (35.566667, 36.033333, "Lattakia"),
    "Al Hasakah" + G: (36.516667, 40.9, "Al-Hasakeh"),
    "Quneitra" + G: (33.03333, 35.78333, "Quneitra"),
    "As Suwayda" + G: (32.76667, 36.85, "As-Sweida"),
    "Tartus" + G: (35.00427, 36.15867, "Tartous"),
}
REGIONS = {
    "Rif Dimashq" + G: ("Eastern Qalamoun", 33.72, 36.89),
    "Hamah" + G: ("Northern Hamah Governorate", 35.4, 37.25),
    "Deir ez Zor" + G: ("Eastern Deir ez Zor Governorate", 35.17, 41.01),
    "Aleppo" + G: ("Northern Aleppo Governorate", 36.476922, 37.518625),
    "Homs" + G: ("Northern Homs Governorate", 34.82, 36.68),
    "Idlib" + G: ("Southern Idlib Governorate", 35.44, 36.84),
    "Daraa" + G: ("Western Daraa Governorate", 32.8, 36.0),
    "Ar Raqqah" + G: ("Northern Ar Raqqah Governorate", 36.29, 39.1),
    "Latakia" + G: ("Northern Latakia Governorate", 35.7, 36.1),
}
DISTRICTS = {
    "Afrin district": (36.548912, 36.792947),
    "Tadmur district": (34.42401, 38.6458),
    "Deir ez Zor district": (35.449132, 40.193425),
    "Manbij district": (36.066867, 37.917346),
    "Tall Abyad district": (36.498739, 39.201633),
    "Al Mayadin district": (34.856496, 40.304136),
    "Ar Rastan district": (34.926532, 36.732381),
    "Albu Kamal district": (34.540762, 40.519662),
    "Al Hasakah district": (36.225783, 40.734463),
    "Ar Raqqah district": (36.0, 38.933333),
    "Mintaqat Azaz district": (36.49986, 37.183823),
    "Al Bab district": (36.309459, 37.532774),
    "Maarat al-Numaan district": (35.53858, 36.79193),
    "Mintaqat Markaz Hamah district": (35.285769, 37.126261),
    "Ath Thawrah district": (35.798425, 38.345496),
}
SYRIA = (35.0, 38.0)

# Villages' names: heads and roots of Syrian place names.
VILLAGE_HEADS = ["Tall", "Kafr", "Ayn", "Dayr", "Khirbat", "Umm", "Abu", "Bir", "Mazraat", "Bayt", "Qasr", "Arab", "Jubb", "Marj", "Tallat", "Ard", "Sultan", "Ras", "Qalat", "Hawsh"]
VILLAGE_ROOTS = ["al Hamrah", "as Sultan", "al Ahmar", "al Kabir", "as Saghir", "az Zaytun", "an Nasr", "as Salih", "ad Dahir", "al Jamal", "al Hadid", "ar Rumman", "al Karm", "as Sabil", "an Nahr", "al Amud", "ash Shams", "al Milh", "al Hawa", "al Ghazal", "ash Sharqi", "al Gharbi", "al Jadid", "al Qadim", "Hamadi", "Hasan", "Awad", "Shihab", "al Aswad", "al Abyad", "al Khadra", "an Namir", "al Qasab", "at Tut", "al Bayda", "ad Dib", "Musa", "Ali", "Ibrahim", "Mahmud"]

# Shares in the real file: where_prec 1-6, date_prec 1-5.
WHERE_PREC = [(1, 9010), (2, 5786), (3, 334), (4, 620), (5, 562), (6, 254)]
# Days a span lasts past its first day, by date_prec (2-6 days: 2; a week: 3;
# to a month: 4; longer: 5), with the real file's counts.
SPAN_DAYS = [
    (0, 15480), (1, 420), (2, 271), (3, 78), (4, 33), (5, 26), (6, 21),
    (7, 24), (9, 10), (13, 5), (14, 10), (20, 3), (27, 9), (29, 23), (30, 42),
    (31, 9), (41, 3), (61, 4), (91, 2), (126, 1), (194, 1), (365, 6),
]
# `best` 0..29 in the real file (events each); 2.8 % are 30 or more.
BEST_UNDER_30 = [1124, 4614, 3031, 1161, 2723, 608, 454, 362, 281, 204, 213, 165, 154, 100, 94, 115, 105, 77, 75, 63, 67, 39, 36, 32, 42, 37, 34, 29, 34, 25]
BEST_30_UP = 468
# For type 1 and 2 with deaths: who died (deaths_a, deaths_b, civilians,
# unknown), with the real file's counts.
DEATH_SPLITS = [((0, 0, 1, 0), 4380), ((1, 1, 0, 0), 3392), ((0, 0, 0, 1), 2140), ((1, 0, 0, 0), 2124), ((0, 1, 0, 0), 1957), ((0, 0, 1, 1), 535), ((0, 1, 1, 0), 103), ((1, 0, 1, 0), 99)]
HEADLINES = {
    1: ["Clashes between regime forces and {b} in {p}", "Regime forces shell {p}", "Warplanes carry out airstrikes on {p}", "Violent clashes continue on the fronts of {p}", "{n} killed in bombardment on {p}"],
    2: ["Clashes between {a} and {b} in {p}", "{n} killed in clashes near {p}", "Fierce fighting between {a} and {b} in the countryside of {p}"],
    3: ["{a} executes {n} civilians in {p}", "{n} civilians killed in {p}", "Explosion kills {n} civilians in {p}"],
}

# How ACLED names UCDP's actors: ACLED's conventions, several spellings, and
# for UCDP's umbrella "Syrian insurgents" the groups ACLED names instead,
# which no alias table can tie to it.
ACLED_ACTORS = {
    "Government of Syria": [("Military Forces of Syria (2000-2024)", 6), ("Military Forces of Syria (2000-)", 3), ("Military Forces of Russia (2000-)", 1), ("NDF: National Defence Forces", 1)],
    "IS": [("Islamic State (Syria)", 8), ("Islamic State", 2), ("ISIS", 1)],
    "SDF": [("SDF: Syrian Democratic Forces", 6), ("Syrian Democratic Forces", 2), ("YPG: People's Protection Units", 2)],
    "Syrian insurgents": [("Opposition Rebels (Syria)", 6), ("Hayat Tahrir al-Sham", 2), ("Free Syrian Army", 2), ("Jabhat Fateh al-Sham", 1), ("Ahrar al-Sham", 1), ("Jaish al-Islam", 1), ("Faylaq al-Rahman", 1), ("National Front for Liberation", 1), ("Southern Front", 1)],
    "Civilians": [("Civilians (Syria)", 1)],
    "HTS": [("Hayat Tahrir al-Sham", 4), ("HTS: Hayat Tahrir al-Sham", 2), ("Tahrir al-Sham", 1)],
    "SNA": [("Syrian National Army", 3), ("SNA: Syrian National Army", 2), ("Military Forces of Turkey (2016-)", 1)],
    "Hawar Kilis Operations Room": [("Opposition Rebels (Syria)", 2), ("Hawar Kilis Operations Room", 1), ("Free Syrian Army", 1)],
    "National Front for Liberation": [("National Front for Liberation", 3), ("NLF: National Liberation Front", 1)],
    "Government of Turkey": [("Military Forces of Turkey (2016-)", 3), ("Military Forces of Turkey (2002-)", 1)],
    "Government of Iraq": [("Military Forces of Iraq (2014-)", 3), ("Air Force of Iraq", 1)],
    "Ahrar al-Sham": [("Ahrar al-Sham", 2), ("Harakat Ahrar al-Sham al-Islamiyya", 1)],
    "Jabhat Fateh al-Sham": [("Jabhat Fateh al-Sham", 2), ("JFS: Jabhat Fateh al-Sham", 1), ("Jabhat al-Nusra", 1)],
    "Fatah Halab": [("Fatah Halab Operations Room", 1), ("Opposition Rebels (Syria)", 1)],
    "Southern Front": [("Southern Front", 1), ("Free Syrian Army", 1)],
    "Jaysh al-Islam": [("Jaish al-Islam", 2), ("Jaysh al-Islam", 1)],
    "Rahman Corps": [("Faylaq al-Rahman", 2), ("Al-Rahman Legion", 1)],
    "Sham Legion": [("Faylaq al-Sham", 1)],
    "Government of Israel": [("Military Forces of Israel (1948-)", 1)],
    "Government of Iran": [("Military Forces of Iran (1989-)", 1)],
}
INTER = {
    "Military Forces": "State forces", "Air Force": "State forces", "Civilians": "Civilians",
    "Islamic State": "Rebel group", "ISIS": "Rebel group", "NDF": "Political militia",
}

# How ACLED codes UCDP's type of violence: (weight, event type, sub-event
# type, keeps actor2). Shelling and air strikes are remote violence, where
# ACLED often names no second actor.
ACLED_TYPES = {
    1: [(55, "Battles", "Armed clash", True), (30, "Explosions/Remote violence", "Shelling/artillery/missile attack", False), (15, "Explosions/Remote violence", "Air/drone strike", False)],
    2: [(75, "Battles", "Armed clash", True), (15, "Explosions/Remote violence", "Remote explosive/landmine/IED", False), (10, "Explosions/Remote violence", "Suicide bomb", True)],
    3: [(70, "Violence against civilians", "Attack", True), (20, "Explosions/Remote violence", "Air/drone strike", True), (10, "Violence against civilians", "Abduction/forced disappearance", True)],
}
SOURCES = [("Syrian Observatory for Human Rights", "National"), ("SOHR", "National"), ("Step News Agency; SOHR", "National-Regional"), ("SANA", "National"), ("Smart News Agency", "Subnational"), ("Enab Baladi", "National")]

# How a second source re-reports an event: the day it gives for a one-day
# event (days after UCDP's; a longer span gets a day inside it), how far its
# point is from UCDP's (km, drawn uniformly in the range), and its toll.
# ACLED and UCDP code Syria mostly from the same monitors, so the day and
# the toll mostly agree; a different day is more often the day after. Each
# change makes an event harder to tell from its twin (same place, day and
# sides: 15 % of the real file's events have one), see `ceiling`: with
# these shares the best reachable top-1 is about 0.96-0.97 on synthetic
# sets and 0.95 on the real file; with a toll changed in 40 % of re-reports
# and a day in 30 %, 0.95 and 0.93; even unchanged re-reports stop at 0.98.
DATE_SHIFT = [(0, 80), (-1, 5), (1, 15)]
MOVE_KM = [((0, 1.5), 50), ((1.5, 6), 50)]
FATALITIES = [("equal", 80), ("add", 5), ("scale", 5), ("unknown", 10)]

# Transliteration variants for a place ACLED names differently, when no
# spelling above is given (places of the real file): each applied or not.
RESPELL = [
    (r"^(Al|Ash|As|Ar|Ad|At|Az|An) ", ["Al-", "", "{1}-"]),
    (r"Shaykh", ["Sheikh", "Shaikh"]),
    (r"^Kafr ", ["Kfar ", "Kafr "]),
    (r"^Tall ", ["Tal ", "Tell "]),
    (r"^(Ayn|Ein) ", ["Ain ", "Ein "]),
    (r"ah$", ["eh", "a"]),
    (r"ay", ["ei", "ay"]),
    (r"u", ["ou", "u"]),
]
PLACE_SUFFIX = re.compile(r"\s+(town|village|city|suburb)$")


def weighted(rng, pairs):
    """One item of (item, weight) pairs."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def poisson(rng, lam):
    """Knuth's Poisson sampler (small lambda)."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def km(lat1, lon1, lat2, lon2):
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def moved(rng, lat, lon, lo_km, hi_km):
    """A point lo..hi km from (lat, lon) in a random direction, but inland
    near a border or the coast."""
    d, bearing = rng.uniform(lo_km, hi_km), rng.uniform(0, 2 * math.pi)
    for town, inland in INLAND.items():
        if km(lat, lon, *TOWN_POINTS[town]) < 25:
            bearing = math.radians(inland + rng.uniform(-60, 60))
            break
    dlat = d * math.cos(bearing) / 111.2
    dlon = d * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def priogrid(lat, lon):
    """PRIO-GRID cell id (half-degree cells, row-major from the south-west)."""
    return int((lat + 90) / 0.5) * 720 + int((lon + 180) / 0.5) + 1


def fmt(x):
    return f"{x:.6f}".rstrip("0").rstrip(".")


# --- synth ----------------------------------------------------------------


def draw_best(rng):
    if rng.random() < BEST_30_UP / (BEST_30_UP + sum(BEST_UNDER_30)):
        # The real tail: median about 50, a few in the thousands.
        return min(3000, int(30 * (1 - rng.random()) ** (-1 / 1.4)))
    return weighted(rng, list(enumerate(BEST_UNDER_30)))


def ged_fatalities(rng, violence, best):
    """best/low/high and who died, as UCDP splits them (with its rare rows
    whose best lies outside low..high)."""
    a = b = civ = unk = 0
    if violence == 3:
        civ = best
    elif best:
        shares = weighted(rng, DEATH_SPLITS)
        parts = [i for i, s in enumerate(shares) if s]
        split = [0, 0, 0, 0]
        for _ in range(best):
            split[rng.choice(parts)] += 1
        a, b, civ, unk = split
    low = high = best
    if rng.random() < 0.11:
        high = best + max(1, round(best * rng.choice([1, 1, 1, 2, 3, 0.5, 0.2, 0.1])))
    if rng.random() < 0.02:
        low = max(0, best - max(1, round(best * 0.2)))
    if best and rng.random() < 0.004:
        high = best - 1
    elif rng.random() < 0.002:
        low = best + 1
    return a, b, civ, unk, best, high, low


def ged_place(rng, town):
    """Where UCDP puts an event in `town`: the town itself (where_prec 1-2),
    or its district, governorate, a part of the country or the country."""
    name, lat, lon, adm1, adm2 = town[:5]
    prec = weighted(rng, WHERE_PREC)
    if prec == 3 and adm2 in DISTRICTS:
        return 3, adm2, *DISTRICTS[adm2], adm1, adm2
    if prec == 5 and adm1 in REGIONS:
        return 5, *REGIONS[adm1], adm1, ""
    if prec == 6:
        return 6, "Syria", *SYRIA, "", ""
    if prec >= 3:
        glat, glon, _ = GOVERNORATES[adm1]
        return 4, adm1, glat, glon, adm1, ""
    return prec, name, lat, lon, adm1, adm2


def ged_span(rng, day):
    extra = weighted(rng, SPAN_DAYS)
    if extra >= 28 and extra <= 31 and rng.random() < 0.5:
        # UCDP's month-long events are mostly calendar months.
        start = day.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return start, nxt - dt.timedelta(days=1), 4
    prec = 1 if extra == 0 else 2 if extra <= 5 else 3 if extra == 6 else 4 if extra <= 30 else 5
    return day, day + dt.timedelta(days=extra), prec


def ged_event(rng, town, dyad_name, day):
    violence, cid, cname, did, aid, side_a, bid, side_b = DYADS[dyad_name]
    prec, where, lat, lon, adm1, adm2 = ged_place(rng, town)
    start, end, date_prec = ged_span(rng, day)
    a, b, civ, unk, best, high, low = ged_fatalities(rng, violence, draw_best(rng))
    source_date = start + dt.timedelta(days=weighted(rng, [(0, 54), (1, 36), (2, 10)]))
    headline = rng.choice(HEADLINES[violence]).format(a=side_a, b=side_b, n=best, p=PLACE_SUFFIX.sub("", where))
    office = "Airwars" if "airstrike" in headline.lower() and rng.random() < 0.5 else "SOHR"
    sources = weighted(rng, [(1, 81), (2, 14), (3, 3), (4, 2)])
    return {
        "id": "", "relid": "", "year": str(start.year), "active_year": "1", "code_status": "",
        "type_of_violence": str(violence), "conflict_dset_id": "", "conflict_new_id": str(cid),
        "conflict_name": cname, "dyad_dset_id": "", "dyad_new_id": str(did), "dyad_name": dyad_name,
        "side_a_dset_id": "", "side_a_new_id": str(aid), "side_a": side_a,
        "side_b_dset_id": "", "side_b_new_id": str(bid), "side_b": side_b,
        "number_of_sources": str(sources),
        "source_article": f'"{office},{source_date},{headline}"', "source_office": office,
        "source_date": str(source_date), "source_headline": headline, "source_original": office,
        "where_prec": str(prec), "where_coordinates": where, "where_description": "",
        "adm_1": adm1, "adm_2": adm2, "latitude": fmt(lat), "longitude": fmt(lon),
        "geom_wkt": f"POINT ({fmt(lon)} {fmt(lat)})", "priogrid_gid": str(priogrid(lat, lon)),
        "country": "Syria", "country_id": "652", "region": "Middle East",
        "event_clarity": "2" if rng.random() < 0.038 else "1", "date_prec": str(date_prec),
        "date_start": str(start), "date_end": str(end),
        "deaths_a": str(a), "deaths_b": str(b), "deaths_civilians": str(civ), "deaths_unknown": str(unk),
        "best": str(best), "high": str(high), "low": str(low), "gwnoa": "", "gwnob": "",
    }


def villages(rng, town):
    """Villages around a town (UCDP's file has ~2,000 places, most of them
    villages with a few events each): names made the way Syrian village
    names are (distinct around one town, repeated across the country, as
    real ones are), 1.5-8 km out, a few busy and most quiet."""
    name, lat, lon, adm1, adm2, events = town[:6]
    names = [f"{h} {r}" for h in VILLAGE_HEADS for r in VILLAGE_ROOTS]
    out = []
    for i, vname in enumerate(rng.sample(names, max(3, events // 5))):
        vlat, vlon = moved(rng, lat, lon, 1.5, 8)
        out.append(((f"{vname} village", vlat, vlon, adm1, adm2), 1 / (i + 1)))
    return out


def synth(n, seed):
    """N events as fighting happens: episodes of a few days between one dyad
    around one town, a few events a day, mostly at one place (the town or a
    village of it), some at other villages or towns nearby."""
    rng = random.Random(seed)
    days = max(30, round(n / EVENTS_PER_DAY))
    town_weights = [(t, max(t[5], 12)) for t in TOWNS]
    around = {t[0]: villages(rng, t) for t in TOWNS}
    nearby = {t[0]: [u[:5] for u in TOWNS if u is not t and km(t[1], t[2], u[1], u[2]) <= 15] for t in TOWNS}
    # Towns 15-60 km away where the same dyad fights: the same front.
    fronts = {
        (t[0], d): [u[:5] for u in TOWNS if d in u[6] and 15 <= km(t[1], t[2], u[1], u[2]) <= 60]
        for t in TOWNS
        for d in t[6]
    }
    events = []
    while len(events) < n:
        town = weighted(rng, town_weights)
        dyad = weighted(rng, list(town[6].items()))
        spots = [(town[:5], TOWN_SHARE)] + around[town[0]]
        centre = weighted(rng, spots)
        first = LAST_DAY - dt.timedelta(days=rng.randrange(days))
        length = 1 + min(20, int(rng.expovariate(1 / EPISODE_DAYS)))
        rate = rng.uniform(0.3, 2 * EPISODE_RATE - 0.3)
        for k in range(length):
            for _ in range(poisson(rng, rate)):
                front = fronts[town[0], dyad]
                if rng.random() < AT_CENTRE:
                    here = centre
                elif front and rng.random() < FRONT:
                    here = rng.choice(front)
                elif nearby[town[0]] and rng.random() < 0.3:
                    here = rng.choice(nearby[town[0]])
                else:
                    here = weighted(rng, spots)
                events.append(ged_event(rng, here, dyad, first + dt.timedelta(days=k)))
    events = events[:n]
    # Like UCDP's file: in date order, ids rising with gaps.
    events.sort(key=lambda e: (e["date_start"], e["where_coordinates"]))
    uid = 400000
    for e in events:
        uid += rng.randint(1, 6)
        e["id"] = str(uid)
    return events


# --- second ---------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def spellings(name, where_prec, adm1):
    """Every way ACLED may spell the place UCDP names: a town's known
    spellings; for another place, its transliteration variants; for a
    governorate or a part of the country, the governorate's name."""
    if where_prec in (4, 5) and adm1 in GOVERNORATES:
        return (GOVERNORATES[adm1][2],)
    if where_prec >= 4:
        return ("Syria",)
    for t in TOWNS:
        if t[0] == name:
            return tuple(t[7])
    out = set(re.sub(r" district$", "", PLACE_SUFFIX.sub("", name)).split("/"))
    for pattern, options in RESPELL:
        out |= {re.sub(pattern, lambda m: o.replace("{1}", m.group(1) if m.groups() else ""), v, count=1) for v in out for o in options}
    return tuple(sorted({v.strip() for v in out} - {""}) or ["Syria"])


def acled_actor(rng, ucdp_side):
    """ACLED's actor and associated actors for a UCDP side, which may list
    several groups ("Ahrar al-Sham, HTS, Southern Front")."""
    names = []
    for group in ucdp_side.split(", "):
        options = ACLED_ACTORS.get(group)
        name = weighted(rng, options) if options else group.replace("Jaysh", "Jaish")
        if name not in names:
            names.append(name)
    return names[0], "; ".join(names[1:])


def inter(actor):
    for prefix, kind in INTER.items():
        if actor.startswith(prefix):
            return kind
    return "Rebel group" if actor else ""


def acled_admin2(adm2):
    return re.sub(r"^(Mintaqat )?(Markaz )?| district$", "", adm2)


def acled_row(rng, base, day, place, lat, lon, geo_precision, fatalities):
    """An ACLED row for an event between `base`'s sides at `place` (UCDP's
    name, where_prec, adm_1 and adm_2), as ACLED codes it."""
    _, where_prec, adm1, adm2 = place
    location = rng.choice(spellings(*place[:3]))
    violence = int(base["type_of_violence"])
    _, event_type, sub_type, keeps_actor2 = weighted(rng, [(t, t[0]) for t in ACLED_TYPES[violence]])
    actor1, assoc1 = acled_actor(rng, base["side_a"])
    actor2, assoc2 = acled_actor(rng, base["side_b"]) if keeps_actor2 or rng.random() < 0.4 else ("", "")
    if event_type == "Battles" and rng.random() < 0.25:
        # ACLED's actor1 is whoever attacked, not UCDP's side A.
        actor1, assoc1, actor2, assoc2 = actor2, assoc2, actor1, assoc1
    # A row at geo precision 3 without admin1 is a country-level location.
    admin1 = GOVERNORATES[adm1][2] if adm1 in GOVERNORATES and where_prec < 6 else ""
    source, scale = rng.choice(SOURCES)
    where = f"{location} ({admin1 or 'Syria'})"
    what = {
        "Battles": f"{actor1} clashed with {actor2} in {where}",
        "Explosions/Remote violence": f"{actor1 or 'unidentified forces'} carried out {sub_type.lower()}s on {where}",
        "Violence against civilians": f"{actor1} attacked civilians in {where}",
    }[event_type]
    killed = "" if fatalities is None else f" {fatalities} fatalities."
    notes = f"On {day.day} {day:%B %Y}, {what}.{killed}"
    return {
        "event_id_cnty": "", "event_date": str(day), "year": str(day.year), "time_precision": "1",
        "disorder_type": "Political violence", "event_type": event_type, "sub_event_type": sub_type,
        "actor1": actor1, "assoc_actor_1": assoc1, "inter1": inter(actor1),
        "actor2": actor2, "assoc_actor_2": assoc2, "inter2": inter(actor2),
        "interaction": "-".join(x for x in (inter(actor1), inter(actor2)) if x),
        "civilian_targeting": "Civilian targeting" if actor2.startswith("Civilians") else "",
        "iso": "760", "region": "Middle East", "country": "Syria",
        "admin1": admin1, "admin2": acled_admin2(adm2), "admin3": "",
        "location": location, "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}",
        "geo_precision": str(geo_precision), "source": source, "source_scale": scale, "notes": notes,
        # Unknown is an empty cell, which the reader keeps unknown.
        "fatalities": "" if fatalities is None else str(fatalities), "tags": "",
        "timestamp": str(1552000000 + rng.randrange(200000000)),
    }


def place_of(row):
    return row["where_coordinates"], int(row["where_prec"]), row["adm_1"], row["adm_2"]


def span_of(row):
    return dt.date.fromisoformat(row["date_start"]), dt.date.fromisoformat(row["date_end"])


def rereport(rng, base):
    """The same event as a second source reports it."""
    start, end = span_of(base)
    if start == end:
        day = start + dt.timedelta(days=weighted(rng, DATE_SHIFT))
    else:
        day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    lat, lon = moved(rng, float(base["latitude"]), float(base["longitude"]), *weighted(rng, MOVE_KM))
    prec = int(base["where_prec"])
    geo = 3 if prec >= 3 else 1 if km(lat, lon, float(base["latitude"]), float(base["longitude"])) < 2 and prec == 1 else 2
    return acled_row(rng, base, day, place_of(base), lat, lon, geo, reported_fatalities(rng, int(base["best"])))


def reported_fatalities(rng, best):
    """The toll a second source gives for UCDP's `best` (None: unknown)."""
    change = weighted(rng, FATALITIES)
    return None if change == "unknown" else rng.choice(fatality_options(best)[change])


def fatality_options(best):
    """What a second source may say for `best`, by kind of change."""
    return {
        "equal": [best],
        "add": [max(0, best + k) for k in (-3, -2, -1, 1, 2, 3)],
        "scale": [max(0, round(best * m)) for m in (0.7, 1.3)],
    }


class Busy:
    """Where and when each pair of sides fought (base events, re-reports and
    accepted near misses), so that a near miss is near its own base event
    only."""

    def __init__(self, rows):
        self.at = {}
        for r in rows:
            start, end = span_of(r)
            for k in range((end - start).days + 1):
                self.add(r, start + dt.timedelta(days=k), float(r["latitude"]), float(r["longitude"]))

    @staticmethod
    def sides(r):
        return tuple(sorted((r["side_a"], r["side_b"])))

    def add(self, r, day, lat, lon):
        self.at.setdefault((self.sides(r), day), []).append((lat, lon))

    def near(self, r, day, lat, lon, within_km=15):
        """Whether the sides fought within `within_km` of the point on the
        day before, the day, or the day after."""
        return any(
            km(lat, lon, a, b) < within_km
            for k in (-1, 0, 1)
            for a, b in self.at.get((self.sides(r), day + dt.timedelta(days=k)), [])
        )


def near_miss(rng, base, places, busy):
    """Another event like `base`: the same place and sides 2-7 days before or
    after it, or the same day at a place 20-60 km away. None when it would
    be near another event of the same sides, or no place is that far."""
    start, end = span_of(base)
    lat, lon = float(base["latitude"]), float(base["longitude"])
    if rng.random() < 0.5:
        gap = rng.randint(2, 7)
        day = end + dt.timedelta(days=gap) if rng.random() < 0.5 else start - dt.timedelta(days=gap)
        lat, lon = moved(rng, lat, lon, 0, 2)
        place, geo = place_of(base), int(base["where_prec"])
    else:
        day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        far = [p for p in places if 20 <= km(lat, lon, p[1], p[2]) <= 60]
        if not far:
            return None
        place, plat, plon = rng.choice(far)
        lat, lon = moved(rng, plat, plon, 0, 2)
        geo = 1
    if busy.near(base, day, lat, lon):
        return None
    busy.add(base, day, lat, lon)
    fatalities = draw_best(rng) if rng.random() < 0.85 else None
    return acled_row(rng, base, day, place, lat, lon, geo, fatalities)


def second(base_rows, seed, share, near_share):
    """The second source's rows and the truth: (kind, row, base uid)."""
    rng = random.Random(seed)
    busy = Busy(base_rows)
    # Named places of the base set, for near misses elsewhere.
    seen, places = set(), []
    for r in base_rows:
        if r["where_prec"] in ("1", "2") and r["where_coordinates"] not in seen:
            seen.add(r["where_coordinates"])
            places.append((place_of(r), float(r["latitude"]), float(r["longitude"])))
    out = []
    for r in base_rows:
        if rng.random() < share:
            row = rereport(rng, r)
            busy.add(r, dt.date.fromisoformat(row["event_date"]), float(row["latitude"]), float(row["longitude"]))
            out.append(("rereport", row, "UCDP-" + r["id"]))
    for r in base_rows:
        if r["where_prec"] in ("1", "2") and rng.random() < near_share:
            # Dense places reject most tries: a few before giving up.
            row = next(filter(None, (near_miss(rng, r, places, busy) for _ in range(5))), None)
            if row:
                out.append(("nearmiss", row, "UCDP-" + r["id"]))
    # ACLED's ids rise with the date, with gaps; the file is in no useful order.
    rng.shuffle(out)
    out.sort(key=lambda t: t[1]["event_date"])
    n = 10000
    for _, row, _ in out:
        n += rng.randint(1, 9)
        row["event_id_cnty"] = f"SYR{n}"
    rng.shuffle(out)
    return out


# --- ceiling ----------------------------------------------------------------


def likelihood(row, base):
    """How likely `rereport` of `base` is to have written the ACLED `row`,
    from the model above (the choices every candidate shares left out)."""
    day, (start, end) = dt.date.fromisoformat(row["event_date"]), span_of(base)
    if start == end:
        p = dict(DATE_SHIFT).get((day - start).days, 0) / sum(w for _, w in DATE_SHIFT)
    else:
        p = 1 / ((end - start).days + 1) if start <= day <= end else 0
    d = km(float(row["latitude"]), float(row["longitude"]), float(base["latitude"]), float(base["longitude"]))
    # Rounding and the flat-earth step of `moved`: 0.1 km of slack.
    p *= sum(w / (hi - lo) for (lo, hi), w in MOVE_KM if lo - 0.1 <= d <= hi + 0.1) / sum(w for _, w in MOVE_KM)
    options = fatality_options(int(base["best"]))
    said = None if row["fatalities"] == "" else int(row["fatalities"])
    p *= sum(
        w * (said is None if kind == "unknown" else said is not None and options[kind].count(said) / len(options[kind]))
        for kind, w in FATALITIES
    ) / sum(w for _, w in FATALITIES)
    names = spellings(*place_of(base)[:3])
    p *= names.count(row["location"]) / len(names)
    violence = int(base["type_of_violence"])
    if (row["event_type"], row["sub_event_type"]) not in {t[1:3] for t in ACLED_TYPES[violence]}:
        return 0
    sides = {n for side in (base["side_a"], base["side_b"]) for g in side.split(", ") for n, _ in ACLED_ACTORS.get(g, [(g.replace("Jaysh", "Jaish"), 1)])}
    return p if row["actor1"] in sides | {""} and row["actor2"] in sides | {""} else 0


def ceiling(base_rows, second_rows, truth):
    """The best top-1 accuracy any dedup can reach on this set: for each
    re-report, the base events the model makes likeliest to have written
    it; a tie between k of them, the original among them, counts 1/k."""
    by_day = {}
    for b in base_rows:
        start, end = span_of(b)
        for k in range(-1, (end - start).days + 2):
            by_day.setdefault(start + dt.timedelta(days=k), []).append(b)
    rows = {r["event_id_cnty"]: r for r in second_rows}
    hits = n = 0
    for kind, second_uid, base_uid in truth:
        if kind != "rereport":
            continue
        row, n = rows[second_uid], n + 1
        day = dt.date.fromisoformat(row["event_date"])
        scored = [(likelihood(row, b), "UCDP-" + b["id"]) for b in by_day.get(day, [])]
        top = max((p for p, _ in scored), default=0)
        likeliest = [uid for p, uid in scored if p == top and p > 0]
        hits += likeliest.count(base_uid) / len(likeliest) if likeliest else 0
    return hits / n if n else None


# --- score ----------------------------------------------------------------


def read_truth(path):
    truth = []
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        header = next(rows, None)
        if header != ["kind", "second_uid", "base_uid"]:
            sys.exit(f"{path}: line 1: expected the header kind<TAB>second_uid<TAB>base_uid, got {header}")
        for i, row in enumerate(rows, start=2):
            if len(row) != 3 or row[0] not in ("rereport", "nearmiss"):
                sys.exit(f"{path}: line {i}: expected rereport|nearmiss, second uid, base uid; got {row}")
            truth.append(tuple(row))
    return truth


def read_pairs(path):
    with open(path, encoding="utf-8") as f:
        try:
            pairs = json.load(f)
        except json.JSONDecodeError as e:
            sys.exit(f"{path}: not JSON: {e}")
    if not isinstance(pairs, list):
        sys.exit(f"{path}: expected a JSON array of pairs, got {type(pairs).__name__}")
    for i, p in enumerate(pairs):
        if not isinstance(p, dict) or not {"a", "b", "score", "verdict"} <= p.keys():
            sys.exit(f"{path}: pair {i}: expected an object with a, b, score and verdict, got {str(p)[:200]}")
        if p["verdict"] not in ("duplicate", "possible"):
            sys.exit(f"{path}: pair {i}: verdict {p['verdict']!r}: expected duplicate or possible")
    return pairs


def score(truth, pairs):
    """The figures, and the misses for --misses."""
    original = {s: b for k, s, b in truth if k == "rereport"}
    nearmisses = {s for k, s, _ in truth if k == "nearmiss"}
    second_uids = {s for _, s, _ in truth}
    # Each incident's best-scored partner: the first of equal scores, the
    # output being best first.
    best = {}
    for p in pairs:
        for me, other in ((p["a"], p["b"]), (p["b"], p["a"])):
            if me not in best or p["score"] > best[me]["score"]:
                best[me] = p | {"partner": other}
    dup = [p for p in pairs if p["verdict"] == "duplicate"]
    truth_pairs = {frozenset((s, b)) for s, b in original.items()}
    pair_of = {frozenset((p["a"], p["b"])): p for p in pairs}
    wrong = {"other_base": 0, "nearmiss": 0, "base_base": 0, "second_second": 0}
    false_dups = []
    for p in dup:
        if frozenset((p["a"], p["b"])) in truth_pairs:
            continue
        in_second = (p["a"] in second_uids) + (p["b"] in second_uids)
        kind = (
            "base_base" if in_second == 0
            else "second_second" if in_second == 2
            else "nearmiss" if p["a"] in nearmisses or p["b"] in nearmisses
            else "other_base"
        )
        wrong[kind] += 1
        false_dups.append(p | {"kind": kind})
    top1_misses = []
    for s, b in original.items():
        if best.get(s, {}).get("partner") != b:
            true = pair_of.get(frozenset((s, b)))
            top1_misses.append({"second": s, "base": b, "best": best.get(s), "true": true})
    # Worst first: a confident wrong partner, then no pair at all.
    top1_misses.sort(key=lambda m: -((m["best"] or {}).get("score", 0) - (m["true"] or {}).get("score", 0)))
    false_dups.sort(key=lambda p: -p["score"])
    flagged = {u for p in dup for u in (p["a"], p["b"])}
    n = len(original)
    figures = {
        "top1": (n - len(top1_misses)) / n if n else None,
        "precision": (len(dup) - len(false_dups)) / len(dup) if dup else None,
        "nearmiss_fp": len(nearmisses & flagged) / len(nearmisses) if nearmisses else None,
        "recall": sum(1 for p in dup if frozenset((p["a"], p["b"])) in truth_pairs) / n if n else None,
        "rereports": n,
        "nearmisses": len(nearmisses),
        "pairs": len(pairs),
        "duplicates": len(dup),
        "duplicates_wrong": wrong,
        "top1_misses": {
            "wrong_partner": sum(1 for m in top1_misses if m["best"]),
            "no_pair": sum(1 for m in top1_misses if not m["best"]),
        },
    }
    return figures, top1_misses, false_dups


def describe_rows(base_csv, second_csv):
    """uid -> one line about the row, from the two CSVs."""
    rows = {}
    if base_csv:
        with open(base_csv, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                span = r["date_start"] if r["date_start"] == r["date_end"] else f"{r['date_start']}..{r['date_end']}"
                rows["UCDP-" + r["id"]] = (
                    f"{span} | {r['where_coordinates']} p{r['where_prec']} ({r['latitude']},{r['longitude']}) | "
                    f"{r['side_a']} - {r['side_b']} | type {r['type_of_violence']} | best {r['best']}"
                )
    if second_csv:
        with open(second_csv, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows[r["event_id_cnty"]] = (
                    f"{r['event_date']} | {r['location']} p{r['geo_precision']} ({r['latitude']},{r['longitude']}) | "
                    f"{r['actor1']} - {r['actor2']} | {r['event_type']} | fatalities {r['fatalities'] or '?'}"
                )
    return rows


def print_misses(k, top1_misses, false_dups, rows, original):
    def line(uid):
        of = f" (re-report of {original[uid]})" if uid in original else ""
        return f"      {uid}{of}: {rows.get(uid, '')}"

    def pair(p):
        return "none" if not p else f"score {p['score']:.3f} {p['verdict']} reasons {json.dumps(p.get('reasons'), ensure_ascii=False)}"

    print(f"\n{min(k, len(top1_misses))} worst top-1 misses of {len(top1_misses)}:")
    for m in top1_misses[:k]:
        print(f"  re-report {m['second']}, original {m['base']}")
        print(line(m["second"]))
        print(f"    original: {pair(m['true'])}")
        print(line(m["base"]))
        if m["best"]:
            print(f"    best instead {m['best']['partner']}: {pair(m['best'])}")
            print(line(m["best"]["partner"]))
    print(f"\n{min(k, len(false_dups))} highest-scored false duplicates of {len(false_dups)}:")
    for p in false_dups[:k]:
        print(f"  {p['a']} ~ {p['b']} ({p['kind']}): {pair(p)}")
        print(line(p["a"]))
        print(line(p["b"]))


# --- stats ----------------------------------------------------------------


def density(rows):
    """Shares of events that have another event of the same dyad: at the
    same place (< 1 km) the same day, a day apart, 2-7 days apart; the same
    day 1-6 km and 20-60 km away. Neighbours by start date."""
    by_day = {}
    for r in rows:
        r["_d"] = dt.date.fromisoformat(r["date_start"])
        r["_p"] = (float(r["latitude"]), float(r["longitude"]))
        by_day.setdefault((r["_d"], r["dyad_name"]), []).append(r)
    keys = ["same_place_same_day", "same_place_1_day", "same_place_2_7_days", "same_day_1_6_km", "same_day_20_60_km"]
    counts = dict.fromkeys(keys, 0)
    for r in rows:
        found = set()
        for k in range(-7, 8):
            for o in by_day.get((r["_d"] + dt.timedelta(days=k), r["dyad_name"]), []):
                if o is r:
                    continue
                d = km(*r["_p"], *o["_p"])
                if d < 1:
                    found.add(keys[0] if k == 0 else keys[1] if abs(k) == 1 else keys[2])
                elif k == 0 and d < 6:
                    found.add(keys[3])
                elif k == 0 and 20 <= d <= 60:
                    found.add(keys[4])
        for key in found:
            counts[key] += 1
    n = len(rows)
    days = len({r["_d"] for r in rows})
    return {"events": n, "events_per_day": round(n / days, 2) if days else 0, "places": len({r["where_coordinates"] for r in rows})} | {
        k: round(v / n, 3) for k, v in counts.items()
    }


# --- command line ---------------------------------------------------------


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# The GED columns this script reads, and how each must parse.
GED_NEEDS = {
    "id": int, "type_of_violence": int, "side_a": str, "side_b": str, "dyad_name": str,
    "where_prec": int, "where_coordinates": str, "adm_1": str, "adm_2": str,
    "latitude": float, "longitude": float, "date_start": dt.date.fromisoformat,
    "date_end": dt.date.fromisoformat, "best": int,
}


def read_ged(path):
    """A UCDP GED CSV, checked for what this script reads."""
    rows = read_csv(path)
    missing = [c for c in GED_NEEDS if rows and c not in rows[0]]
    if missing:
        sys.exit(f"{path}: not a UCDP GED CSV: no column {', '.join(missing)}")
    for line, r in enumerate(rows, start=2):
        for column, parse in GED_NEEDS.items():
            try:
                parse(r[column])
            except ValueError:
                sys.exit(f"{path}: line {line}: {column} {r[column]!r}: expected {parse.__name__}")
    return rows


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("synth", help="a synthetic UCDP GED CSV")
    p.add_argument("--out", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p = sub.add_parser("second", help="an ACLED CSV re-reporting part of a GED CSV, with near misses and the truth")
    p.add_argument("--base", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--share", type=float, default=0.4, help="share of base events re-reported")
    p.add_argument("--near-share", type=float, default=0.15, help="share of base events given a near miss")
    p = sub.add_parser("score", help="score dedup's JSON against the truth")
    p.add_argument("--truth", required=True)
    p.add_argument("--pairs", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--misses", type=int, default=0, help="list the K worst misses")
    p.add_argument("--base", help="the base CSV, to show rows in --misses")
    p.add_argument("--second", help="the second CSV, to show rows in --misses")
    p = sub.add_parser("ceiling", help="the best top-1 accuracy a dedup can reach on a set")
    p.add_argument("--base", required=True)
    p.add_argument("--second", required=True)
    p.add_argument("--truth", required=True)
    p = sub.add_parser("stats", help="how dense a GED CSV is")
    p.add_argument("--csv", required=True)
    p.add_argument("--json", action="store_true")
    args = ap.parse_args()

    if args.cmd == "synth":
        if args.n < 1:
            sys.exit(f"--n {args.n}: expected a positive number of events")
        write_csv(args.out, GED_COLUMNS, synth(args.n, args.seed))
    elif args.cmd == "second":
        out = second(read_ged(args.base), args.seed, args.share, args.near_share)
        write_csv(args.out, ACLED_COLUMNS, [row for _, row, _ in out])
        with open(args.truth, "w", encoding="utf-8") as f:
            f.write("kind\tsecond_uid\tbase_uid\n")
            for kind, row, uid in sorted(out, key=lambda t: (t[0], t[1]["event_id_cnty"])):
                f.write(f"{kind}\t{row['event_id_cnty']}\t{uid}\n")
    elif args.cmd == "score":
        truth = read_truth(args.truth)
        figures, top1_misses, false_dups = score(truth, read_pairs(args.pairs))
        if args.json:
            print(json.dumps(figures))
        else:
            pct = lambda x: "-" if x is None else f"{100 * x:.2f} %"
            print(f"top-1 accuracy        {pct(figures['top1'])}  (of {figures['rereports']} re-reports; misses {figures['top1_misses']})")
            print(f"duplicate precision   {pct(figures['precision'])}  (of {figures['duplicates']} duplicate pairs; wrong {figures['duplicates_wrong']})")
            print(f"duplicate recall      {pct(figures['recall'])}")
            print(f"near-miss false pos.  {pct(figures['nearmiss_fp'])}  (of {figures['nearmisses']} near misses)")
            print(f"pairs                 {figures['pairs']}")
        if args.misses:
            original = {s: b for kind, s, b in truth if kind == "rereport"}
            print_misses(args.misses, top1_misses, false_dups, describe_rows(args.base, args.second), original)
    elif args.cmd == "ceiling":
        print(json.dumps({"top1_ceiling": ceiling(read_ged(args.base), read_csv(args.second), read_truth(args.truth))}))
    else:
        figures = density(read_ged(args.csv))
        print(json.dumps(figures) if args.json else "\n".join(f"{k:22} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
