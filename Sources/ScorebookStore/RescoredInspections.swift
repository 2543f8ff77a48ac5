import GRDB

/// The audit trail of `inspect auto --rescore`: each automatic inspection's score before the rescore is
/// kept in `rescored_auto` (a table, so an interrupted rescore still gets its entries when the rerun
/// completes), and when the run completes every session whose score, red-line flag or answers changed gets
/// one `rescore` entry on its new inspection, with the old inspection id, score and answers before and the
/// new ones after. Sessions that come out the same are not logged (the run's own entry counts them all).
enum RescoredInspections {
    /// Keeps the period's automatic inspections with the rubric as they are now (a session already kept by
    /// an earlier, unfinished rescore keeps its first "before").
    static func keep(_ db: Database, period: String, rubricID: String) throws {
        try db.execute(sql: """
            INSERT INTO rescored_auto (period, rubric_id, session_id, inspection_id, rubric_version, score,
                                       critical_failed, answers)
            SELECT i.period, i.rubric_id, i.session_id, i.id, i.rubric_version, i.score, i.critical_failed,
                   COALESCE(i.reviewed_answers, i.answers)
            FROM inspections i
            WHERE i.period = ?1 AND i.rubric_id = ?2 AND i.mode = 'auto'
              AND NOT EXISTS (SELECT 1 FROM rescored_auto r
                              WHERE r.period = ?1 AND r.rubric_id = ?2 AND r.session_id = i.session_id)
            ORDER BY i.id
            """, arguments: [period, rubricID])
    }

    /// Appends one audit entry per changed session and forgets what was kept; returns the number of entries.
    @discardableResult
    static func audit(_ db: Database, period: String, rubricID: String, runID: Int64, actor: String) throws -> Int {
        try db.execute(sql: """
            INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, reason)
            SELECT ?1, ?2, 'rescore', 'inspection', CAST(i.id AS TEXT),
                   json_object('inspection_id', b.inspection_id, 'rubric_version', b.rubric_version, 'score', b.score,
                               'critical_failed', json(CASE b.critical_failed WHEN 0 THEN 'false' ELSE 'true' END),
                               'answers', json(b.answers)),
                   json_object('inspection_id', i.id, 'rubric_version', i.rubric_version, 'score', i.score,
                               'critical_failed', json(CASE i.critical_failed WHEN 0 THEN 'false' ELSE 'true' END),
                               'answers', json(COALESCE(i.reviewed_answers, i.answers))),
                   'inspect auto --rescore (run ' || ?3 || ')'
            FROM rescored_auto b
            JOIN inspections i ON i.session_id = b.session_id AND i.rubric_id = b.rubric_id AND i.mode = 'auto'
            WHERE b.period = ?4 AND b.rubric_id = ?5
              AND (b.score IS NOT i.score OR b.critical_failed != i.critical_failed
                   OR b.answers != COALESCE(i.reviewed_answers, i.answers))
            ORDER BY i.id
            """, arguments: [Clock.now(), actor, runID, period, rubricID])
        let logged = db.changesCount
        try db.execute(sql: "DELETE FROM rescored_auto WHERE period = ? AND rubric_id = ?", arguments: [period, rubricID])
        return logged
    }
}
