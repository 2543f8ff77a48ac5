import GRDB

/// Review decisions (复核) that outlive `inspect auto --rescore`. The rescore deletes the period's automatic
/// inspections with their findings; an inspector's confirmation or rejection of a finding whose evidence the
/// new run finds again (same session, item, rule, turn, matched text and message — the message names the
/// rule's phrases and limits, so a changed rule's finding is not the same one) still holds, so the decisions are
/// kept in `carried_reviews` before the delete and put back on the new findings when the run completes —
/// a table rather than memory, so an interrupted rescore puts them back when the rerun completes.
/// A decision whose finding the new run does not produce (the rule or the rubric changed) is dropped and
/// counted.
enum CarriedReviews {
    /// Keeps the reviewed findings of the period's automatic inspections with the rubric; returns how many.
    static func keep(_ db: Database, period: String, rubricID: String) throws -> Int {
        try db.execute(sql: """
            INSERT INTO carried_reviews (period, rubric_id, session_id, item_id, rule, turn_index, matched,
                                         status, reviewer_id, reason, reviewed_at, message)
            SELECT i.period, i.rubric_id, i.session_id, f.item_id, f.rule, f.turn_index, f.matched,
                   f.status, f.reviewer_id, f.reason, f.reviewed_at, f.message
            FROM findings f JOIN inspections i ON i.id = f.inspection_id
            WHERE i.period = ? AND i.rubric_id = ? AND i.mode = 'auto' AND f.status != 'open'
            ORDER BY f.id
            """, arguments: [period, rubricID])
        return db.changesCount
    }

    /// Puts the kept decisions back on the open findings with the same evidence, one decision per finding
    /// in the order both were made, re-scores the inspections they change (with an audit entry each), and
    /// forgets every kept decision of the period and rubric. Returns (put back, dropped).
    static func apply(_ db: Database, period: String, rubricID: String, actor: String) throws -> (carried: Int, dropped: Int) {
        let kept = try Row.fetchAll(db, sql: """
            SELECT rowid, session_id, item_id, rule, turn_index, matched, status, reviewer_id, reason, reviewed_at, message
            FROM carried_reviews WHERE period = ? AND rubric_id = ? ORDER BY rowid
            """, arguments: [period, rubricID])
        guard !kept.isEmpty else { return (0, 0) }
        let candidates = try db.makeStatement(sql: """
            SELECT f.id, f.inspection_id FROM findings f
            JOIN inspections i ON i.id = f.inspection_id
            WHERE i.session_id = ? AND i.rubric_id = ? AND i.mode = 'auto' AND f.status = 'open'
              AND f.item_id = ? AND f.rule = ? AND f.turn_index IS ? AND f.matched IS ?
              AND (?7 IS NULL OR f.message = ?7) -- kept before migration v9: no message to compare
            ORDER BY f.id LIMIT 1
            """)
        var carried = 0
        var changed: [Int64] = []
        for row in kept {
            let sessionID: String = row["session_id"]
            let args: StatementArguments = [sessionID, rubricID, row["item_id"] as String, row["rule"] as String,
                                            row["turn_index"] as Int?, row["matched"] as String?, row["message"] as String?]
            guard let target = try Row.fetchOne(candidates, arguments: args) else { continue }
            try db.execute(sql: "UPDATE findings SET status = ?, reviewer_id = ?, reason = ?, reviewed_at = ? WHERE id = ?",
                           arguments: [row["status"] as String, row["reviewer_id"] as String?, row["reason"] as String?,
                                       row["reviewed_at"] as String?, target["id"] as Int64])
            carried += 1
            let inspectionID: Int64 = target["inspection_id"]
            if !changed.contains(inspectionID) { changed.append(inspectionID) }
        }
        for inspectionID in changed {
            _ = try Findings.rescore(db, inspectionID: inspectionID, actor: actor,
                                     reason: "review decisions kept through the rescore")
        }
        try db.execute(sql: "DELETE FROM carried_reviews WHERE period = ? AND rubric_id = ?", arguments: [period, rubricID])
        let dropped = kept.count - carried
        try AuditLog.append(db, actor: actor, action: "carry-reviews", entity: "period", entityID: period,
                            before: ["kept": String(kept.count), "rubric": rubricID],
                            after: ["carried": String(carried), "dropped": String(dropped)])
        return (carried, dropped)
    }
}
