-- The whole schema of an incidents database, as append-only migrations.
-- Each block starts with a line "-- migration N"; a database's PRAGMA
-- user_version says which blocks have run. Never edit a shipped block: add
-- the next one.

-- migration 1
CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    title               TEXT,
    event_type          TEXT NOT NULL,
    sub_event_type      TEXT,
    date_start          TEXT NOT NULL,   -- ISO 8601 date
    date_end            TEXT NOT NULL,   -- ISO 8601 date, >= date_start
    date_precision      TEXT NOT NULL CHECK (date_precision IN ('day', 'week', 'month', 'year', 'range')),
    place               TEXT,            -- the name as reported
    latitude            REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude           REAL CHECK (longitude BETWEEN -180 AND 180),
    geo_precision       INTEGER CHECK (geo_precision IN (1, 2, 3)),
    country             TEXT,            -- ISO 3166-1 alpha-2
    admin1              TEXT,
    admin1_code         TEXT,            -- ISO 3166-2 (or Natural Earth adm1_code)
    admin2              TEXT,
    admin2_code         TEXT,            -- OCHA P-code
    reported_admin1     TEXT,            -- admin1 as an imported dataset coded it
    reported_admin2     TEXT,            -- admin2 as an imported dataset coded it
    fatalities          INTEGER CHECK (fatalities >= 0),          -- NULL = unknown, never 0
    fatalities_low      INTEGER CHECK (fatalities_low >= 0),
    fatalities_high     INTEGER CHECK (fatalities_high >= 0),
    civilian_fatalities INTEGER CHECK (civilian_fatalities >= 0),
    actor1              TEXT,
    actor2              TEXT,
    assoc_actors        TEXT,
    notes               TEXT,
    tags                TEXT NOT NULL DEFAULT '[]',              -- JSON array of strings
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (date_end >= date_start),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX incidents_by_date ON incidents (date_start, date_end);
CREATE INDEX incidents_by_admin1 ON incidents (admin1_code, date_start);
CREATE INDEX incidents_by_admin2 ON incidents (admin2_code, date_start);
CREATE INDEX incidents_by_country ON incidents (country, date_start);
CREATE INDEX incidents_by_type ON incidents (event_type, date_start);

CREATE TABLE sources (
    id        INTEGER PRIMARY KEY,
    publisher TEXT NOT NULL,
    title     TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    published TEXT,
    UNIQUE (publisher, title, url)
);

CREATE TABLE incident_sources (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    excerpt     TEXT,   -- a short excerpt or page locator
    PRIMARY KEY (incident_id, source_id)
) WITHOUT ROWID;
CREATE INDEX incident_sources_by_source ON incident_sources (source_id);

CREATE TABLE tallies (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    region       TEXT,             -- as written by the source
    region_code  TEXT,             -- resolved region, when known
    place        TEXT,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    metric       TEXT NOT NULL,
    value        REAL NOT NULL CHECK (value >= 0),
    derived      INTEGER NOT NULL DEFAULT 0,   -- 1 when computed from the source's words
    source_id    INTEGER REFERENCES sources (id),
    excerpt      TEXT,
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (period_end >= period_start)
);
CREATE INDEX tallies_by_period ON tallies (period_start, period_end);

-- Every insert, update and delete of an incident or tally, with old and new
-- values as JSON, written by triggers so that no code path can skip it.
-- An insert of an incident records the event without a copy of the row:
-- the values it inserted are the `old` of its first update, or the row
-- itself while it has none, so nothing is lost and a million-row import
-- does not write every row twice (`Store::history` fills them in).
CREATE TABLE history (
    id     INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('incident', 'tally')),
    uid    TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old    TEXT,
    new    TEXT,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX history_by_uid ON history (uid, id);

CREATE VIEW incident_json (id, uid, doc) AS
SELECT id, uid, json_object(
    'uid', uid, 'title', title, 'event_type', event_type, 'sub_event_type', sub_event_type,
    'date_start', date_start, 'date_end', date_end, 'date_precision', date_precision,
    'place', place, 'latitude', latitude, 'longitude', longitude, 'geo_precision', geo_precision,
    'country', country, 'admin1', admin1, 'admin1_code', admin1_code,
    'admin2', admin2, 'admin2_code', admin2_code,
    'reported_admin1', reported_admin1, 'reported_admin2', reported_admin2,
    'fatalities', fatalities, 'fatalities_low', fatalities_low, 'fatalities_high', fatalities_high,
    'civilian_fatalities', civilian_fatalities, 'actor1', actor1, 'actor2', actor2,
    'assoc_actors', assoc_actors, 'notes', notes, 'tags', json(tags),
    'created_at', created_at, 'updated_at', updated_at)
FROM incidents;

CREATE TRIGGER incidents_history_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO history (entity, uid, action) VALUES ('incident', NEW.uid, 'insert');
END;
CREATE TRIGGER incidents_history_update AFTER UPDATE ON incidents BEGIN
    INSERT INTO history (entity, uid, action, old, new)
    VALUES ('incident', NEW.uid, 'update', json_object(
        'uid', OLD.uid, 'title', OLD.title, 'event_type', OLD.event_type, 'sub_event_type', OLD.sub_event_type,
        'date_start', OLD.date_start, 'date_end', OLD.date_end, 'date_precision', OLD.date_precision,
        'place', OLD.place, 'latitude', OLD.latitude, 'longitude', OLD.longitude, 'geo_precision', OLD.geo_precision,
        'country', OLD.country, 'admin1', OLD.admin1, 'admin1_code', OLD.admin1_code,
        'admin2', OLD.admin2, 'admin2_code', OLD.admin2_code,
        'reported_admin1', OLD.reported_admin1, 'reported_admin2', OLD.reported_admin2,
        'fatalities', OLD.fatalities, 'fatalities_low', OLD.fatalities_low, 'fatalities_high', OLD.fatalities_high,
        'civilian_fatalities', OLD.civilian_fatalities, 'actor1', OLD.actor1, 'actor2', OLD.actor2,
        'assoc_actors', OLD.assoc_actors, 'notes', OLD.notes, 'tags', json(OLD.tags),
        'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        (SELECT doc FROM incident_json WHERE id = NEW.id));
END;
CREATE TRIGGER incidents_history_delete BEFORE DELETE ON incidents BEGIN
    INSERT INTO history (entity, uid, action, old)
    SELECT 'incident', OLD.uid, 'delete', json_set(doc, '$.sources', json((
        SELECT json_group_array(json_object('publisher', s.publisher, 'title', s.title,
            'url', s.url, 'published', s.published, 'excerpt', l.excerpt))
        FROM incident_sources l JOIN sources s ON s.id = l.source_id
        WHERE l.incident_id = OLD.id)))
    FROM incident_json WHERE id = OLD.id;
END;

CREATE VIEW tally_json (id, uid, doc) AS
SELECT t.id, t.uid, json_object(
    'uid', t.uid, 'region', t.region, 'region_code', t.region_code, 'place', t.place,
    'period_start', t.period_start, 'period_end', t.period_end, 'metric', t.metric,
    'value', t.value, 'derived', json(CASE t.derived WHEN 1 THEN 'true' ELSE 'false' END),
    'source', (SELECT json_object('publisher', s.publisher, 'title', s.title, 'url', s.url,
                                  'published', s.published, 'excerpt', t.excerpt)
               FROM sources s WHERE s.id = t.source_id),
    'notes', t.notes, 'created_at', t.created_at, 'updated_at', t.updated_at)
FROM tallies t;

CREATE TRIGGER tallies_history_insert AFTER INSERT ON tallies BEGIN
    INSERT INTO history (entity, uid, action, new)
    SELECT 'tally', NEW.uid, 'insert', doc FROM tally_json WHERE id = NEW.id;
END;
CREATE TRIGGER tallies_history_update AFTER UPDATE ON tallies BEGIN
    INSERT INTO history (entity, uid, action, old, new)
    VALUES ('tally', NEW.uid, 'update', json_object(
        'uid', OLD.uid, 'region', OLD.region, 'region_code', OLD.region_code, 'place', OLD.place,
        'period_start', OLD.period_start, 'period_end', OLD.period_end, 'metric', OLD.metric,
        'value', OLD.value, 'derived', OLD.derived, 'source_id', OLD.source_id,
        'excerpt', OLD.excerpt, 'notes', OLD.notes,
        'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        (SELECT doc FROM tally_json WHERE id = NEW.id));
END;
CREATE TRIGGER tallies_history_delete BEFORE DELETE ON tallies BEGIN
    INSERT INTO history (entity, uid, action, old)
    SELECT 'tally', OLD.uid, 'delete', doc FROM tally_json WHERE id = OLD.id;
END;

-- Places added by users (the bundled gazetteer lives in the binary).
CREATE TABLE places (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    alt_names    TEXT NOT NULL DEFAULT '[]',   -- JSON array
    latitude     REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude    REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    country      TEXT,
    feature_code TEXT NOT NULL DEFAULT 'PPL',
    population   INTEGER NOT NULL DEFAULT 0,
    geonameid    INTEGER UNIQUE,               -- kept when imported from a GeoNames file
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- User polygons (areas of interest, districts from another source).
CREATE TABLE custom_regions (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    geometry   TEXT NOT NULL,                  -- GeoJSON geometry
    source     TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Which custom regions contain each incident, kept up to date on write.
CREATE TABLE incident_regions (
    region_code TEXT NOT NULL,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (region_code, incident_id)
) WITHOUT ROWID;
CREATE INDEX incident_regions_by_incident ON incident_regions (incident_id);

-- migration 2
-- A spatial index of incident points for --near and --bbox (SQLite R*Tree;
-- boxes are stored as 32-bit floats rounded outwards, so queries use it to
-- narrow down and then compare the exact coordinates).
CREATE VIRTUAL TABLE incidents_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat);
INSERT INTO incidents_rtree
    SELECT id, longitude, longitude, latitude, latitude FROM incidents WHERE latitude IS NOT NULL;
CREATE TRIGGER incidents_rtree_insert AFTER INSERT ON incidents WHEN NEW.latitude IS NOT NULL BEGIN
    INSERT INTO incidents_rtree VALUES (NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude);
END;
CREATE TRIGGER incidents_rtree_update AFTER UPDATE OF latitude, longitude ON incidents BEGIN
    DELETE FROM incidents_rtree WHERE id = OLD.id;
    INSERT INTO incidents_rtree
        SELECT NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude WHERE NEW.latitude IS NOT NULL;
END;
CREATE TRIGGER incidents_rtree_delete AFTER DELETE ON incidents BEGIN
    DELETE FROM incidents_rtree WHERE id = OLD.id;
END;

-- migration 3
-- The longest date span in the database, found in O(log n): it bounds the
-- search for incidents that only overlap a period (see filter_sql.rs).
CREATE INDEX incidents_by_span ON incidents (julianday(date_end) - julianday(date_start));

-- migration 4
-- Geo precision 4 (only the country is known), and the rule that geo
-- precision decides the levels an incident is credited to: 3 credits the
-- country and admin1 only, 4 the country only. SQLite cannot change a CHECK
-- in place, so the table is rebuilt (foreign keys are off while migrations
-- run) with its indexes, view and triggers; then existing rows are
-- corrected through the update trigger, so history records each change.
CREATE TABLE incidents_new (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    title               TEXT,
    event_type          TEXT NOT NULL,
    sub_event_type      TEXT,
    date_start          TEXT NOT NULL,   -- ISO 8601 date
    date_end            TEXT NOT NULL,   -- ISO 8601 date, >= date_start
    date_precision      TEXT NOT NULL CHECK (date_precision IN ('day', 'week', 'month', 'year', 'range')),
    place               TEXT,            -- the name as reported
    latitude            REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude           REAL CHECK (longitude BETWEEN -180 AND 180),
    geo_precision       INTEGER CHECK (geo_precision IN (1, 2, 3, 4)),  -- 4: only the country is known
    country             TEXT,            -- ISO 3166-1 alpha-2
    admin1              TEXT,
    admin1_code         TEXT,            -- ISO 3166-2 (or Natural Earth adm1_code)
    admin2              TEXT,
    admin2_code         TEXT,            -- OCHA P-code
    reported_admin1     TEXT,            -- admin1 as an imported dataset coded it
    reported_admin2     TEXT,            -- admin2 as an imported dataset coded it
    fatalities          INTEGER CHECK (fatalities >= 0),          -- NULL = unknown, never 0
    fatalities_low      INTEGER CHECK (fatalities_low >= 0),
    fatalities_high     INTEGER CHECK (fatalities_high >= 0),
    civilian_fatalities INTEGER CHECK (civilian_fatalities >= 0),
    actor1              TEXT,
    actor2              TEXT,
    assoc_actors        TEXT,
    notes               TEXT,
    tags                TEXT NOT NULL DEFAULT '[]',              -- JSON array of strings
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (date_end >= date_start),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
INSERT INTO incidents_new SELECT * FROM incidents;
DROP VIEW incident_json;
DROP TABLE incidents;
ALTER TABLE incidents_new RENAME TO incidents;
CREATE INDEX incidents_by_date ON incidents (date_start, date_end);
CREATE INDEX incidents_by_admin1 ON incidents (admin1_code, date_start);
CREATE INDEX incidents_by_admin2 ON incidents (admin2_code, date_start);
CREATE INDEX incidents_by_country ON incidents (country, date_start);
CREATE INDEX incidents_by_type ON incidents (event_type, date_start);
CREATE INDEX incidents_by_span ON incidents (julianday(date_end) - julianday(date_start));

CREATE VIEW incident_json (id, uid, doc) AS
SELECT id, uid, json_object(
    'uid', uid, 'title', title, 'event_type', event_type, 'sub_event_type', sub_event_type,
    'date_start', date_start, 'date_end', date_end, 'date_precision', date_precision,
    'place', place, 'latitude', latitude, 'longitude', longitude, 'geo_precision', geo_precision,
    'country', country, 'admin1', admin1, 'admin1_code', admin1_code,
    'admin2', admin2, 'admin2_code', admin2_code,
    'reported_admin1', reported_admin1, 'reported_admin2', reported_admin2,
    'fatalities', fatalities, 'fatalities_low', fatalities_low, 'fatalities_high', fatalities_high,
    'civilian_fatalities', civilian_fatalities, 'actor1', actor1, 'actor2', actor2,
    'assoc_actors', assoc_actors, 'notes', notes, 'tags', json(tags),
    'created_at', created_at, 'updated_at', updated_at)
FROM incidents;

CREATE TRIGGER incidents_history_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO history (entity, uid, action) VALUES ('incident', NEW.uid, 'insert');
END;
CREATE TRIGGER incidents_history_update AFTER UPDATE ON incidents BEGIN
    INSERT INTO history (entity, uid, action, old, new)
    VALUES ('incident', NEW.uid, 'update', json_object(
        'uid', OLD.uid, 'title', OLD.title, 'event_type', OLD.event_type, 'sub_event_type', OLD.sub_event_type,
        'date_start', OLD.date_start, 'date_end', OLD.date_end, 'date_precision', OLD.date_precision,
        'place', OLD.place, 'latitude', OLD.latitude, 'longitude', OLD.longitude, 'geo_precision', OLD.geo_precision,
        'country', OLD.country, 'admin1', OLD.admin1, 'admin1_code', OLD.admin1_code,
        'admin2', OLD.admin2, 'admin2_code', OLD.admin2_code,
        'reported_admin1', OLD.reported_admin1, 'reported_admin2', OLD.reported_admin2,
        'fatalities', OLD.fatalities, 'fatalities_low', OLD.fatalities_low, 'fatalities_high', OLD.fatalities_high,
        'civilian_fatalities', OLD.civilian_fatalities, 'actor1', OLD.actor1, 'actor2', OLD.actor2,
        'assoc_actors', OLD.assoc_actors, 'notes', OLD.notes, 'tags', json(OLD.tags),
        'created_at', OLD.created_at, 'updated_at', OLD.updated_at),
        (SELECT doc FROM incident_json WHERE id = NEW.id));
END;
CREATE TRIGGER incidents_history_delete BEFORE DELETE ON incidents BEGIN
    INSERT INTO history (entity, uid, action, old)
    SELECT 'incident', OLD.uid, 'delete', json_set(doc, '$.sources', json((
        SELECT json_group_array(json_object('publisher', s.publisher, 'title', s.title,
            'url', s.url, 'published', s.published, 'excerpt', l.excerpt))
        FROM incident_sources l JOIN sources s ON s.id = l.source_id
        WHERE l.incident_id = OLD.id)))
    FROM incident_json WHERE id = OLD.id;
END;

CREATE TRIGGER incidents_rtree_insert AFTER INSERT ON incidents WHEN NEW.latitude IS NOT NULL BEGIN
    INSERT INTO incidents_rtree VALUES (NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude);
END;
CREATE TRIGGER incidents_rtree_update AFTER UPDATE OF latitude, longitude ON incidents BEGIN
    DELETE FROM incidents_rtree WHERE id = OLD.id;
    INSERT INTO incidents_rtree
        SELECT NEW.id, NEW.longitude, NEW.longitude, NEW.latitude, NEW.latitude WHERE NEW.latitude IS NOT NULL;
END;
CREATE TRIGGER incidents_rtree_delete AFTER DELETE ON incidents BEGIN
    DELETE FROM incidents_rtree WHERE id = OLD.id;
END;

UPDATE incidents SET geo_precision = 4, admin1 = NULL, admin1_code = NULL, admin2 = NULL,
    admin2_code = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE geo_precision = 3 AND EXISTS (
    SELECT 1 FROM json_each(incidents.tags)
    WHERE value IN ('ucdp:where_prec=6', 'ucdp:where_prec=7')
       OR (value = 'ucdp:where_prec=5' AND incidents.reported_admin1 IS NULL));
UPDATE incidents SET admin2 = NULL, admin2_code = NULL,
    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE geo_precision = 3 AND admin2_code IS NOT NULL;

-- migration 5
-- History documents are built in one place per entity, its view
-- (incident_json, tally_json): a BEFORE UPDATE trigger records the old
-- document and an AFTER UPDATE trigger adds the new one to that same row
-- (SQLite runs both around each row), so an update shows only what changed.
-- The tally update trigger used to build its own old document (derived as
-- 0/1, the source as an id), and tally_json kept the source as a string
-- holding JSON (a subquery's result loses its JSON type): both are
-- corrected, in the view and in the history already written.
DROP TRIGGER incidents_history_update;
CREATE TRIGGER incidents_history_update_old BEFORE UPDATE ON incidents BEGIN
    INSERT INTO history (entity, uid, action, old)
    SELECT 'incident', NEW.uid, 'update', doc FROM incident_json WHERE id = OLD.id;
END;
CREATE TRIGGER incidents_history_update_new AFTER UPDATE ON incidents BEGIN
    UPDATE history SET new = (SELECT doc FROM incident_json WHERE id = NEW.id)
    WHERE id = (SELECT max(id) FROM history);
END;

DROP TRIGGER tallies_history_update;
DROP VIEW tally_json;
CREATE VIEW tally_json (id, uid, doc) AS
SELECT t.id, t.uid, json_object(
    'uid', t.uid, 'region', t.region, 'region_code', t.region_code, 'place', t.place,
    'period_start', t.period_start, 'period_end', t.period_end, 'metric', t.metric,
    'value', t.value, 'derived', json(CASE t.derived WHEN 1 THEN 'true' ELSE 'false' END),
    'source', json((SELECT json_object('publisher', s.publisher, 'title', s.title, 'url', s.url,
                                       'published', s.published, 'excerpt', t.excerpt)
                    FROM sources s WHERE s.id = t.source_id)),
    'notes', t.notes, 'created_at', t.created_at, 'updated_at', t.updated_at)
FROM tallies t;
CREATE TRIGGER tallies_history_update_old BEFORE UPDATE ON tallies BEGIN
    INSERT INTO history (entity, uid, action, old)
    SELECT 'tally', NEW.uid, 'update', doc FROM tally_json WHERE id = OLD.id;
END;
CREATE TRIGGER tallies_history_update_new AFTER UPDATE ON tallies BEGIN
    UPDATE history SET new = (SELECT doc FROM tally_json WHERE id = NEW.id)
    WHERE id = (SELECT max(id) FROM history);
END;

UPDATE history SET old = json_object(
    'uid', json_extract(old, '$.uid'), 'region', json_extract(old, '$.region'),
    'region_code', json_extract(old, '$.region_code'), 'place', json_extract(old, '$.place'),
    'period_start', json_extract(old, '$.period_start'),
    'period_end', json_extract(old, '$.period_end'), 'metric', json_extract(old, '$.metric'),
    'value', json_extract(old, '$.value'),
    'derived', json(CASE json_extract(old, '$.derived') WHEN 1 THEN 'true' ELSE 'false' END),
    'source', json((SELECT json_object('publisher', s.publisher, 'title', s.title, 'url', s.url,
                                       'published', s.published,
                                       'excerpt', json_extract(history.old, '$.excerpt'))
                    FROM sources s WHERE s.id = json_extract(history.old, '$.source_id'))),
    'notes', json_extract(old, '$.notes'), 'created_at', json_extract(old, '$.created_at'),
    'updated_at', json_extract(old, '$.updated_at'))
WHERE entity = 'tally' AND json_type(old, '$.source_id') IS NOT NULL;
UPDATE history SET old = json_set(old, '$.source', json(json_extract(old, '$.source')))
WHERE entity = 'tally' AND json_type(old, '$.source') = 'text';
UPDATE history SET new = json_set(new, '$.source', json(json_extract(new, '$.source')))
WHERE entity = 'tally' AND json_type(new, '$.source') = 'text';

-- Generated uids (INC-000123, TAL-000001) come from a count that only
-- grows: the largest number of any uid of that form ever stored (given or
-- generated, deleted since or not), kept by triggers, so a uid is never
-- handed out twice and one history never mixes two records.
CREATE TABLE uid_sequence (
    entity TEXT PRIMARY KEY CHECK (entity IN ('incident', 'tally')),
    last   INTEGER NOT NULL
);
INSERT INTO uid_sequence (entity, last)
SELECT 'incident', COALESCE(max(CAST(substr(uid, 5) AS INTEGER)), 0)
FROM (SELECT uid FROM incidents UNION ALL SELECT uid FROM history WHERE entity = 'incident')
WHERE uid GLOB 'INC-[0-9]*' AND substr(uid, 5) NOT GLOB '*[^0-9]*' AND length(uid) <= 16;
INSERT INTO uid_sequence (entity, last)
SELECT 'tally', COALESCE(max(CAST(substr(uid, 5) AS INTEGER)), 0)
FROM (SELECT uid FROM tallies UNION ALL SELECT uid FROM history WHERE entity = 'tally')
WHERE uid GLOB 'TAL-[0-9]*' AND substr(uid, 5) NOT GLOB '*[^0-9]*' AND length(uid) <= 16;
CREATE TRIGGER incidents_uid_sequence AFTER INSERT ON incidents
WHEN NEW.uid GLOB 'INC-[0-9]*' AND substr(NEW.uid, 5) NOT GLOB '*[^0-9]*' AND length(NEW.uid) <= 16
BEGIN
    UPDATE uid_sequence SET last = max(last, CAST(substr(NEW.uid, 5) AS INTEGER))
    WHERE entity = 'incident';
END;
CREATE TRIGGER tallies_uid_sequence AFTER INSERT ON tallies
WHEN NEW.uid GLOB 'TAL-[0-9]*' AND substr(NEW.uid, 5) NOT GLOB '*[^0-9]*' AND length(NEW.uid) <= 16
BEGIN
    UPDATE uid_sequence SET last = max(last, CAST(substr(NEW.uid, 5) AS INTEGER))
    WHERE entity = 'tally';
END;

-- migration 6
-- Speed and size at a million rows (issue 13), with nothing traded away.
--
-- One history record per import, not per incident: an import is a row of
-- `imports`, and each incident it inserts carries its id instead of writing
-- an 'insert' history row (the history of such an incident starts with that
-- import; when it is deleted, the insert is written out first so nothing
-- is lost). Changes made during an import name it in `history.import_id`:
-- an import is one transaction and SQLite has one writer at a time, so the
-- import still open (done = 0) is the one making the change.
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    input      TEXT NOT NULL,            -- the file, as named when importing
    format     TEXT NOT NULL,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    done       INTEGER NOT NULL DEFAULT 0,
    rows       INTEGER,
    inserted   INTEGER,
    updated    INTEGER,
    unchanged  INTEGER,
    rejected   INTEGER
);
ALTER TABLE incidents ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE history ADD COLUMN import_id INTEGER REFERENCES imports (id);

DROP TRIGGER incidents_history_insert;
CREATE TRIGGER incidents_history_insert AFTER INSERT ON incidents WHEN NEW.import_id IS NULL BEGIN
    INSERT INTO history (entity, uid, action) VALUES ('incident', NEW.uid, 'insert');
END;
DROP TRIGGER incidents_history_update_old;
CREATE TRIGGER incidents_history_update_old BEFORE UPDATE ON incidents BEGIN
    INSERT INTO history (entity, uid, action, old, import_id)
    SELECT 'incident', NEW.uid, 'update', doc, (SELECT max(id) FROM imports WHERE done = 0)
    FROM incident_json WHERE id = OLD.id;
END;
CREATE TRIGGER incidents_history_delete_import BEFORE DELETE ON incidents
WHEN OLD.import_id IS NOT NULL BEGIN
    INSERT INTO history (entity, uid, action, import_id, at)
    SELECT 'incident', OLD.uid, 'insert', id, at FROM imports WHERE id = OLD.import_id;
END;

-- The spatial index is a B-tree over 0.01-degree grid cells (about 1 km;
-- row-major, 36001 columns) instead of an R*Tree: a million points are
-- indexed in a second instead of half a minute, in a fifth of the space.
-- --near and --bbox read the cell range of each row of cells their box
-- covers, then the exact coordinates decide (see filter_sql.rs, which
-- writes the same expression).
DROP TRIGGER incidents_rtree_insert;
DROP TRIGGER incidents_rtree_update;
DROP TRIGGER incidents_rtree_delete;
DROP TABLE incidents_rtree;
CREATE INDEX incidents_by_cell ON incidents
    ((CAST((latitude + 90) * 100 AS INTEGER) * 36001 + CAST((longitude + 180) * 100 AS INTEGER)));

-- Event types are few: a type filter reads the date index or the table.
DROP INDEX incidents_by_type;
-- The longest span bounds the search for overlapping incidents; one-day
-- incidents (most of them) have none, so they stay out of its index.
DROP INDEX incidents_by_span;
CREATE INDEX incidents_by_span ON incidents (julianday(date_end) - julianday(date_start))
    WHERE date_end > date_start;

-- migration 7
-- Who made each change (issue 14): the operating-system user, and the
-- name given with `--as`, stamped on a write transaction's history rows
-- and on its import when it commits. Changes made before, or by other
-- programs, have none.
ALTER TABLE history ADD COLUMN by_user TEXT;
ALTER TABLE history ADD COLUMN label TEXT;
ALTER TABLE imports ADD COLUMN by_user TEXT;
ALTER TABLE imports ADD COLUMN label TEXT;
-- The insert written out when an imported incident is deleted is the import's.
DROP TRIGGER incidents_history_delete_import;
CREATE TRIGGER incidents_history_delete_import BEFORE DELETE ON incidents
WHEN OLD.import_id IS NOT NULL BEGIN
    INSERT INTO history (entity, uid, action, import_id, at, by_user, label)
    SELECT 'incident', OLD.uid, 'insert', id, at, by_user, label FROM imports WHERE id = OLD.import_id;
END;

-- migration 8
-- Merging duplicate incidents (issue 15). A merged incident is kept, with
-- the uid of the one it was merged into in `merged_into`, and hidden from
-- list, report and export unless asked for (`--status`).
ALTER TABLE incidents ADD COLUMN merged_into TEXT;
-- What each merge did to the incident kept (the fields it filled, the
-- sources it attached: a MergeRecord as JSON), so that unmerging undoes
-- exactly that; one row per merged incident, in the order written (rowid).
CREATE TABLE merges (
    other_uid TEXT PRIMARY KEY,
    keep_uid  TEXT NOT NULL,
    record    TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX merges_by_keep ON merges (keep_uid);
-- History documents gain "merged_into", last, only when it is set: a JSON
-- merge patch drops a null member, so the documents of unmerged incidents
-- stay as they were, and a merge shows as a change of that one key.
DROP VIEW incident_json;
CREATE VIEW incident_json (id, uid, doc) AS
SELECT id, uid, json_patch(json_object(
    'uid', uid, 'title', title, 'event_type', event_type, 'sub_event_type', sub_event_type,
    'date_start', date_start, 'date_end', date_end, 'date_precision', date_precision,
    'place', place, 'latitude', latitude, 'longitude', longitude, 'geo_precision', geo_precision,
    'country', country, 'admin1', admin1, 'admin1_code', admin1_code,
    'admin2', admin2, 'admin2_code', admin2_code,
    'reported_admin1', reported_admin1, 'reported_admin2', reported_admin2,
    'fatalities', fatalities, 'fatalities_low', fatalities_low, 'fatalities_high', fatalities_high,
    'civilian_fatalities', civilian_fatalities, 'actor1', actor1, 'actor2', actor2,
    'assoc_actors', assoc_actors, 'notes', notes, 'tags', json(tags),
    'created_at', created_at, 'updated_at', updated_at),
    json_object('merged_into', merged_into))
FROM incidents;

-- migration 9
-- Review (issue 16). Every incident and tally is a `draft` (drafted by
-- `extract` from a report, never counted), `reviewed` (what `add`, `import`
-- and `seed` write, and every row written before this migration) or
-- `rejected`, with the reviewer's note, the spans of the report a draft
-- came from (`evidence`, a JSON array, NULL when there are none) and the
-- drafter's confidence.
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'reviewed'
    CHECK (status IN ('draft', 'reviewed', 'rejected'));
ALTER TABLE incidents ADD COLUMN review_note TEXT;
ALTER TABLE incidents ADD COLUMN evidence TEXT;
ALTER TABLE incidents ADD COLUMN confidence REAL CHECK (confidence BETWEEN 0 AND 1);
ALTER TABLE tallies ADD COLUMN status TEXT NOT NULL DEFAULT 'reviewed'
    CHECK (status IN ('draft', 'reviewed', 'rejected'));
ALTER TABLE tallies ADD COLUMN review_note TEXT;
ALTER TABLE tallies ADD COLUMN evidence TEXT;
ALTER TABLE tallies ADD COLUMN confidence REAL CHECK (confidence BETWEEN 0 AND 1);
-- Nearly every incident is reviewed: the default filter (reviewed, not
-- merged) reads the date and region indexes as before. The few drafts
-- (the review queue, --status draft, a report's note of what awaits
-- review) have an index of their own.
CREATE INDEX incidents_drafts ON incidents (created_at, uid) WHERE status = 'draft';
-- History documents gain "status" (always, after "merged_into") and
-- "review_note" (when set), so a review shows as a change of status, made
-- by whom and when. Documents written before gain the status every row
-- had then, so the first change after this migration shows only itself.
DROP VIEW incident_json;
CREATE VIEW incident_json (id, uid, doc) AS
SELECT id, uid, json_patch(json_object(
    'uid', uid, 'title', title, 'event_type', event_type, 'sub_event_type', sub_event_type,
    'date_start', date_start, 'date_end', date_end, 'date_precision', date_precision,
    'place', place, 'latitude', latitude, 'longitude', longitude, 'geo_precision', geo_precision,
    'country', country, 'admin1', admin1, 'admin1_code', admin1_code,
    'admin2', admin2, 'admin2_code', admin2_code,
    'reported_admin1', reported_admin1, 'reported_admin2', reported_admin2,
    'fatalities', fatalities, 'fatalities_low', fatalities_low, 'fatalities_high', fatalities_high,
    'civilian_fatalities', civilian_fatalities, 'actor1', actor1, 'actor2', actor2,
    'assoc_actors', assoc_actors, 'notes', notes, 'tags', json(tags),
    'created_at', created_at, 'updated_at', updated_at),
    json_object('merged_into', merged_into, 'status', status, 'review_note', review_note))
FROM incidents;
DROP VIEW tally_json;
CREATE VIEW tally_json (id, uid, doc) AS
SELECT t.id, t.uid, json_patch(json_object(
    'uid', t.uid, 'region', t.region, 'region_code', t.region_code, 'place', t.place,
    'period_start', t.period_start, 'period_end', t.period_end, 'metric', t.metric,
    'value', t.value, 'derived', json(CASE t.derived WHEN 1 THEN 'true' ELSE 'false' END),
    'source', json((SELECT json_object('publisher', s.publisher, 'title', s.title, 'url', s.url,
                                       'published', s.published, 'excerpt', t.excerpt)
                    FROM sources s WHERE s.id = t.source_id)),
    'notes', t.notes, 'created_at', t.created_at, 'updated_at', t.updated_at),
    json_object('status', t.status, 'review_note', t.review_note))
FROM tallies t;
UPDATE history SET old = json_patch(old, '{"status":"reviewed"}')
WHERE json_type(old) = 'object' AND json_type(old, '$.status') IS NULL;
UPDATE history SET new = json_patch(new, '{"status":"reviewed"}')
WHERE json_type(new) = 'object' AND json_type(new, '$.status') IS NULL;
