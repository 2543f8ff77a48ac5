import GRDB

/// The versioned schema. Migrations are append-only: never edit a shipped one, add the next.
enum Schema {
    static let tables: Set<String> = [
        "employees", "sessions", "transcripts", "rubrics", "inspections", "findings", "assignments",
        "ratings", "schemes", "appraisals", "period_locks", "audit_log", "auto_runs",
        "credentials", "inspection_responses", "carried_reviews", "rescored_auto",
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
            CREATE TABLE employees (
                employee_id   TEXT PRIMARY KEY,
                name          TEXT NOT NULL,
                team          TEXT NOT NULL,
                role          TEXT NOT NULL CHECK (role IN ('agent', 'inspector', 'supervisor', 'hr')),
                supervisor_id TEXT,
                active        INTEGER NOT NULL CHECK (active IN (0, 1))
            );

            CREATE TABLE sessions (
                session_id             TEXT PRIMARY KEY,
                agent_id               TEXT NOT NULL REFERENCES employees(employee_id),
                channel                TEXT NOT NULL CHECK (channel IN ('video', 'phone', 'chat')),
                started_at             TEXT NOT NULL,
                ended_at               TEXT NOT NULL,
                period                 TEXT NOT NULL,
                wait_seconds           REAL,
                first_response_seconds REAL,
                handle_seconds         REAL,
                resolved               INTEGER,
                transferred            INTEGER,
                csat                   INTEGER CHECK (csat BETWEEN 1 AND 5)
            );
            CREATE INDEX sessions_by_period_agent ON sessions(period, agent_id);

            -- Transcripts in the core's compact binary encoding (cheap to scan, no JSON to parse again).
            CREATE TABLE transcripts (
                session_id TEXT PRIMARY KEY REFERENCES sessions(session_id) ON DELETE CASCADE,
                turn_count INTEGER NOT NULL,
                data       BLOB NOT NULL
            );

            CREATE TABLE rubrics (
                rubric_id TEXT NOT NULL,
                version   INTEGER NOT NULL,
                name      TEXT NOT NULL,
                source    TEXT NOT NULL,
                digest    TEXT NOT NULL,
                added_at  TEXT NOT NULL,
                PRIMARY KEY (rubric_id, version)
            );

            CREATE TABLE inspections (
                id              INTEGER PRIMARY KEY,
                session_id      TEXT NOT NULL REFERENCES sessions(session_id),
                agent_id        TEXT NOT NULL REFERENCES employees(employee_id),
                period          TEXT NOT NULL,
                rubric_id       TEXT NOT NULL,
                rubric_version  INTEGER NOT NULL,
                inspector_id    TEXT REFERENCES employees(employee_id),
                mode            TEXT NOT NULL CHECK (mode IN ('manual', 'auto')),
                status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
                score           REAL,
                compliance      REAL,
                accuracy        REAL,
                etiquette       REAL,
                critical_failed INTEGER NOT NULL DEFAULT 0,
                answers         TEXT NOT NULL,
                comment         TEXT,
                created_at      TEXT NOT NULL,
                updated_at      TEXT NOT NULL,
                FOREIGN KEY (rubric_id, rubric_version) REFERENCES rubrics(rubric_id, version)
            );
            CREATE INDEX inspections_by_period ON inspections(period, agent_id);
            CREATE UNIQUE INDEX inspections_one_auto ON inspections(session_id, rubric_id) WHERE mode = 'auto';
            CREATE UNIQUE INDEX inspections_one_manual ON inspections(session_id, rubric_id, inspector_id) WHERE mode = 'manual';

            CREATE TABLE findings (
                id            INTEGER PRIMARY KEY,
                inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
                item_id       TEXT NOT NULL,
                rule          TEXT NOT NULL,
                turn_index    INTEGER,
                at            REAL,
                matched       TEXT,
                measured      REAL,
                severity      TEXT,
                message       TEXT NOT NULL,
                status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'rejected')),
                reviewer_id   TEXT,
                reason        TEXT,
                reviewed_at   TEXT
            );
            CREATE INDEX findings_by_inspection ON findings(inspection_id);

            CREATE TABLE assignments (
                id           INTEGER PRIMARY KEY,
                period       TEXT NOT NULL,
                session_id   TEXT NOT NULL REFERENCES sessions(session_id),
                agent_id     TEXT NOT NULL,
                rubric_id    TEXT NOT NULL,
                inspector_id TEXT NOT NULL REFERENCES employees(employee_id),
                reason       TEXT NOT NULL DEFAULT 'random',
                created_at   TEXT NOT NULL,
                UNIQUE (session_id, rubric_id)
            );

            CREATE TABLE ratings (
                id          INTEGER PRIMARY KEY,
                period      TEXT NOT NULL,
                employee_id TEXT NOT NULL REFERENCES employees(employee_id),
                source      TEXT NOT NULL CHECK (source IN ('self', 'peer', 'supervisor', 'customer')),
                rater_id    TEXT NOT NULL,
                criterion   TEXT NOT NULL,
                score       REAL NOT NULL,
                UNIQUE (period, employee_id, source, rater_id, criterion)
            );

            CREATE TABLE schemes (
                scheme_id TEXT NOT NULL,
                version   INTEGER NOT NULL,
                kind      TEXT NOT NULL CHECK (kind IN ('monthly', 'annual')),
                source    TEXT NOT NULL,
                digest    TEXT NOT NULL,
                added_at  TEXT NOT NULL,
                PRIMARY KEY (scheme_id, version)
            );

            -- One appraisal per agent and period (YYYY-MM monthly, YYYY annual); `result` is the full
            -- AppraisalResult JSON (components, missing, explanation), the columns beside it are for queries.
            CREATE TABLE appraisals (
                period          TEXT NOT NULL,
                employee_id     TEXT NOT NULL REFERENCES employees(employee_id),
                scheme_id       TEXT NOT NULL,
                scheme_version  INTEGER NOT NULL,
                status          TEXT NOT NULL,
                final_unrounded REAL,
                final_score     REAL,
                grade           TEXT,
                bonus           REAL,
                result          TEXT NOT NULL,
                computed_at     TEXT NOT NULL,
                PRIMARY KEY (period, employee_id),
                FOREIGN KEY (scheme_id, scheme_version) REFERENCES schemes(scheme_id, version)
            );

            CREATE TABLE period_locks (
                period       TEXT PRIMARY KEY,
                finalized_at TEXT NOT NULL,
                finalized_by TEXT NOT NULL
            );

            CREATE TABLE audit_log (
                id        INTEGER PRIMARY KEY,
                at        TEXT NOT NULL,
                actor     TEXT NOT NULL,
                action    TEXT NOT NULL,
                entity    TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                before    TEXT,
                after     TEXT,
                reason    TEXT
            );
            CREATE INDEX audit_by_entity ON audit_log(entity, entity_id);

            CREATE TABLE auto_runs (
                id             INTEGER PRIMARY KEY,
                period         TEXT NOT NULL,
                rubric_id      TEXT NOT NULL,
                rubric_version INTEGER NOT NULL,
                started_at     TEXT NOT NULL,
                finished_at    TEXT,
                scored         INTEGER NOT NULL DEFAULT 0,
                notes          TEXT
            );
            """)
        }
        // The web app: sign-in credentials (bcrypt hashes, never the password) and the agent's response to
        // an inspection — acknowledged, or disputed and then answered by an inspector or supervisor.
        migrator.registerMigration("v2-web") { db in
            try db.execute(sql: """
            CREATE TABLE credentials (
                employee_id   TEXT PRIMARY KEY REFERENCES employees(employee_id),
                password_hash TEXT NOT NULL,
                updated_at    TEXT NOT NULL
            );

            CREATE TABLE inspection_responses (
                inspection_id INTEGER PRIMARY KEY REFERENCES inspections(id) ON DELETE CASCADE,
                agent_id      TEXT NOT NULL REFERENCES employees(employee_id),
                status        TEXT NOT NULL CHECK (status IN ('acknowledged', 'disputed', 'upheld', 'overturned')),
                reason        TEXT,
                responded_at  TEXT NOT NULL,
                answered_by   TEXT REFERENCES employees(employee_id),
                answer        TEXT,
                answered_at   TEXT
            );
            CREATE INDEX inspection_responses_by_status ON inspection_responses(status);
            """)
        }
        // An automatic inspection's answers after review (复核), NULL until a finding of it is reviewed: the
        // `answers` column keeps the rules' own answers (review is recomputed from them), and what reads
        // answers for reporting (the workbook's item failures) takes COALESCE(reviewed_answers, answers).
        migrator.registerMigration("v3-reviewed-answers") { db in
            try db.execute(sql: "ALTER TABLE inspections ADD COLUMN reviewed_answers TEXT")
        }
        // Review decisions waiting to be put back on the findings of a rescore (`CarriedReviews`).
        migrator.registerMigration("v4-carried-reviews") { db in
            try db.execute(sql: """
            CREATE TABLE carried_reviews (
                period      TEXT NOT NULL,
                rubric_id   TEXT NOT NULL,
                session_id  TEXT NOT NULL,
                item_id     TEXT NOT NULL,
                rule        TEXT NOT NULL,
                turn_index  INTEGER,
                matched     TEXT,
                status      TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected')),
                reviewer_id TEXT,
                reason      TEXT,
                reviewed_at TEXT
            );
            CREATE INDEX carried_reviews_by_period ON carried_reviews(period, rubric_id);
            """)
        }
        // A scheme file may change without a new version (`appraise --scheme FILE` with an edited copy of
        // monthly v1): each content is kept as a variant of (id, version), told apart by its digest, and an
        // appraisal records the variant it was computed with. GRDB runs migrations with foreign keys off and
        // checks them at the end.
        migrator.registerMigration("v5-scheme-variants") { db in
            try db.execute(sql: """
            CREATE TABLE schemes_new (
                scheme_id TEXT NOT NULL,
                version   INTEGER NOT NULL,
                kind      TEXT NOT NULL CHECK (kind IN ('monthly', 'annual')),
                source    TEXT NOT NULL,
                digest    TEXT NOT NULL,
                added_at  TEXT NOT NULL,
                PRIMARY KEY (scheme_id, version, digest)
            );
            INSERT INTO schemes_new SELECT scheme_id, version, kind, source, digest, added_at FROM schemes;
            CREATE TABLE appraisals_new (
                period          TEXT NOT NULL,
                employee_id     TEXT NOT NULL REFERENCES employees(employee_id),
                scheme_id       TEXT NOT NULL,
                scheme_version  INTEGER NOT NULL,
                scheme_digest   TEXT NOT NULL,
                status          TEXT NOT NULL,
                final_unrounded REAL,
                final_score     REAL,
                grade           TEXT,
                bonus           REAL,
                result          TEXT NOT NULL,
                computed_at     TEXT NOT NULL,
                PRIMARY KEY (period, employee_id),
                FOREIGN KEY (scheme_id, scheme_version, scheme_digest) REFERENCES schemes(scheme_id, version, digest)
            );
            INSERT INTO appraisals_new
                SELECT a.period, a.employee_id, a.scheme_id, a.scheme_version, s.digest, a.status, a.final_unrounded,
                       a.final_score, a.grade, a.bonus, a.result, a.computed_at
                FROM appraisals a JOIN schemes s ON s.scheme_id = a.scheme_id AND s.version = a.scheme_version;
            DROP TABLE appraisals;
            DROP TABLE schemes;
            ALTER TABLE schemes_new RENAME TO schemes;
            ALTER TABLE appraisals_new RENAME TO appraisals;
            """)
        }
        // Inspection and finding ids are never given out twice: `inspect auto --rescore` deletes a period's
        // automatic inspections, and with a plain INTEGER PRIMARY KEY the new ones took the deleted (highest)
        // ids again, so an audit entry or a note naming "inspection 812" or "finding 4031" pointed at a
        // different row than the one it was written about. AUTOINCREMENT keeps the highest id ever used in
        // sqlite_sequence. Rebuilt the SQLite way (new table, copy, drop, rename; GRDB runs migrations with
        // foreign keys off and checks them at the end); the other tables' REFERENCES name the table, so they
        // follow the rename.
        migrator.registerMigration("v6-ids-never-reused") { db in
            try db.execute(sql: """
            CREATE TABLE inspections_new (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id      TEXT NOT NULL REFERENCES sessions(session_id),
                agent_id        TEXT NOT NULL REFERENCES employees(employee_id),
                period          TEXT NOT NULL,
                rubric_id       TEXT NOT NULL,
                rubric_version  INTEGER NOT NULL,
                inspector_id    TEXT REFERENCES employees(employee_id),
                mode            TEXT NOT NULL CHECK (mode IN ('manual', 'auto')),
                status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
                score           REAL,
                compliance      REAL,
                accuracy        REAL,
                etiquette       REAL,
                critical_failed INTEGER NOT NULL DEFAULT 0,
                answers         TEXT NOT NULL,
                comment         TEXT,
                created_at      TEXT NOT NULL,
                updated_at      TEXT NOT NULL,
                reviewed_answers TEXT,
                FOREIGN KEY (rubric_id, rubric_version) REFERENCES rubrics(rubric_id, version)
            );
            INSERT INTO inspections_new (id, session_id, agent_id, period, rubric_id, rubric_version, inspector_id, mode,
                status, score, compliance, accuracy, etiquette, critical_failed, answers, comment, created_at, updated_at,
                reviewed_answers)
            SELECT id, session_id, agent_id, period, rubric_id, rubric_version, inspector_id, mode,
                status, score, compliance, accuracy, etiquette, critical_failed, answers, comment, created_at, updated_at,
                reviewed_answers
            FROM inspections ORDER BY id;
            CREATE TABLE findings_new (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
                item_id       TEXT NOT NULL,
                rule          TEXT NOT NULL,
                turn_index    INTEGER,
                at            REAL,
                matched       TEXT,
                measured      REAL,
                severity      TEXT,
                message       TEXT NOT NULL,
                status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'rejected')),
                reviewer_id   TEXT,
                reason        TEXT,
                reviewed_at   TEXT
            );
            INSERT INTO findings_new (id, inspection_id, item_id, rule, turn_index, at, matched, measured, severity,
                message, status, reviewer_id, reason, reviewed_at)
            SELECT id, inspection_id, item_id, rule, turn_index, at, matched, measured, severity,
                message, status, reviewer_id, reason, reviewed_at
            FROM findings ORDER BY id;
            DROP TABLE findings;
            DROP TABLE inspections;
            ALTER TABLE inspections_new RENAME TO inspections;
            ALTER TABLE findings_new RENAME TO findings;
            CREATE INDEX inspections_by_period ON inspections(period, agent_id);
            CREATE UNIQUE INDEX inspections_one_auto ON inspections(session_id, rubric_id) WHERE mode = 'auto';
            CREATE UNIQUE INDEX inspections_one_manual ON inspections(session_id, rubric_id, inspector_id) WHERE mode = 'manual';
            CREATE INDEX findings_by_inspection ON findings(inspection_id);
            """)
        }
        // The employee's name as it was when the appraisal was computed (the team is in `result`): the HR
        // workbook of a finalized period shows it, so a later roster import cannot change that workbook.
        migrator.registerMigration("v7-appraisal-names") { db in
            try db.execute(sql: """
            ALTER TABLE appraisals ADD COLUMN name TEXT;
            UPDATE appraisals SET name = (SELECT name FROM employees e WHERE e.employee_id = appraisals.employee_id);
            """)
        }
        // The automatic inspections a rescore replaces, until the run completes and logs what changed
        // (`RescoredInspections`).
        migrator.registerMigration("v8-rescored-auto") { db in
            try db.execute(sql: """
            CREATE TABLE rescored_auto (
                period          TEXT NOT NULL,
                rubric_id       TEXT NOT NULL,
                session_id      TEXT NOT NULL,
                inspection_id   INTEGER NOT NULL,
                rubric_version  INTEGER NOT NULL,
                score           REAL,
                critical_failed INTEGER NOT NULL,
                answers         TEXT NOT NULL,
                PRIMARY KEY (period, rubric_id, session_id)
            ) WITHOUT ROWID;
            """)
        }
        // A kept review decision remembers its finding's message: a rescore after a rule change (other
        // phrases, another limit) produces a finding with the same session, item, rule kind and empty
        // evidence but a different message — a different finding, which must not inherit the decision.
        migrator.registerMigration("v9-carried-review-messages") { db in
            try db.execute(sql: "ALTER TABLE carried_reviews ADD COLUMN message TEXT")
        }
        // The rule's `name:` or the named condition that produced a finding (RULES.md: shown on findings), so
        // an inspector sees which condition of a composite rule fired; NULL for findings of earlier runs.
        migrator.registerMigration("v10-finding-rule-names") { db in
            try db.execute(sql: "ALTER TABLE findings ADD COLUMN rule_name TEXT")
        }
        return migrator
    }
}
