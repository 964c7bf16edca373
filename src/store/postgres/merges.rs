//! Merge records: what each merge did to the incident it kept.

use super::PgWriter;
use crate::error::Result;
use crate::store::MergeRecord;

impl PgWriter<'_> {
    /// Records a merge; one already recorded for `m.other` is an error.
    pub fn save_merge(&mut self, m: &MergeRecord) -> Result<()> {
        let record = serde_json::to_value(m)?;
        let saved = self.tx()?.execute(
            "INSERT INTO merges (other_uid, keep_uid, record) VALUES ($1, $2, $3) \
             ON CONFLICT (other_uid) DO NOTHING",
            &[&m.other, &m.keep, &record],
        )?;
        if saved == 0 {
            return Err(m.already_saved());
        }
        Ok(())
    }

    /// The merge recorded for `other`, removed.
    pub fn take_merge(&mut self, other: &str) -> Result<Option<MergeRecord>> {
        self.tx()?
            .query_opt(
                "DELETE FROM merges WHERE other_uid = $1 RETURNING record::text",
                &[&other],
            )?
            .map(|r| MergeRecord::from_json(other, r.get(0)))
            .transpose()
    }

    /// The merges recorded into `keep`, oldest first (several written in
    /// the same millisecond in the order written).
    pub fn merges_into(&self, keep: &str) -> Result<Vec<MergeRecord>> {
        self.tx()?
            .query(
                "SELECT other_uid, record::text FROM merges WHERE keep_uid = $1 ORDER BY at, id",
                &[&keep],
            )?
            .iter()
            .map(|r| MergeRecord::from_json(r.get(0), r.get(1)))
            .collect()
    }
}
