import GRDB

/// The schema, as named append-only migrations (never edit a shipped one; add another).
enum StoreMigrations {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: runs, tasks, samples, response cache") { db in
      try db.execute(
        sql: """
          CREATE TABLE run (
            id TEXT PRIMARY KEY NOT NULL,
            model TEXT NOT NULL,
            runtime TEXT NOT NULL,
            base_url TEXT NOT NULL,
            harness_version TEXT NOT NULL,
            config TEXT NOT NULL,
            config_hash TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted', 'failed'))
          );
          CREATE INDEX run_by_config ON run(config_hash, started_at);
          CREATE TABLE run_task (
            run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            task_id TEXT NOT NULL,
            suite_id TEXT NOT NULL,
            variant_id TEXT NOT NULL,
            language TEXT NOT NULL,
            license TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dataset_sha256 TEXT NOT NULL,
            planned INTEGER NOT NULL,
            primary_metric TEXT NOT NULL,
            pipelines TEXT NOT NULL,
            PRIMARY KEY (run_id, task_id)
          );
          CREATE TABLE sample (
            run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            task_id TEXT NOT NULL,
            sample_index INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('scored', 'failed')),
            request_key TEXT NOT NULL,
            prompt TEXT NOT NULL,
            target TEXT NOT NULL,
            response TEXT,
            finish_reason TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            latency_ms REAL,
            attempts INTEGER NOT NULL,
            from_cache INTEGER NOT NULL,
            answers TEXT,
            correct TEXT,
            score REAL,
            explanation TEXT,
            error TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (run_id, task_id, sample_index),
            FOREIGN KEY (run_id, task_id) REFERENCES run_task(run_id, task_id) ON DELETE CASCADE
          );
          CREATE TABLE response_cache (
            key TEXT PRIMARY KEY NOT NULL,
            endpoint TEXT NOT NULL,
            request TEXT NOT NULL,
            response TEXT NOT NULL,
            created_at TEXT NOT NULL
          );
          """)
    }
    migrator.registerMigration("v2: task settings") { db in
      try db.execute(sql: "ALTER TABLE run_task ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'")
    }
    migrator.registerMigration("v3: comparison sets, claims, judgments") { db in
      try db.execute(
        sql: """
          CREATE TABLE comparison_set (
            name TEXT PRIMARY KEY NOT NULL,
            source TEXT NOT NULL,
            overlap INTEGER NOT NULL CHECK (overlap >= 1),
            repeat_share REAL NOT NULL CHECK (repeat_share >= 0 AND repeat_share <= 1),
            seed INTEGER NOT NULL,
            created_at TEXT NOT NULL
          );
          CREATE TABLE pair_item (
            set_name TEXT NOT NULL REFERENCES comparison_set(name) ON DELETE CASCADE,
            item_index INTEGER NOT NULL,
            item_key TEXT NOT NULL,
            prompt TEXT NOT NULL,
            model_a TEXT NOT NULL,
            response_a TEXT NOT NULL,
            model_b TEXT NOT NULL,
            response_b TEXT NOT NULL,
            draw_order INTEGER NOT NULL,
            repeated INTEGER NOT NULL,
            PRIMARY KEY (set_name, item_index)
          );
          CREATE INDEX pair_item_order ON pair_item(set_name, draw_order);
          CREATE TABLE claim (
            set_name TEXT NOT NULL,
            item_index INTEGER NOT NULL,
            rater TEXT NOT NULL,
            pass INTEGER NOT NULL,
            claimed_at TEXT NOT NULL,
            PRIMARY KEY (set_name, item_index, rater, pass),
            FOREIGN KEY (set_name, item_index) REFERENCES pair_item(set_name, item_index) ON DELETE CASCADE
          );
          CREATE TABLE judgment (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            set_name TEXT NOT NULL,
            item_index INTEGER NOT NULL,
            rater TEXT NOT NULL,
            rater_kind TEXT NOT NULL CHECK (rater_kind IN ('human', 'llm')),
            pass INTEGER NOT NULL,
            a_on_left INTEGER NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('left', 'right', 'tie', 'bothbad', 'skip')),
            note TEXT,
            latency_ms REAL NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (set_name, item_index, rater, pass),
            FOREIGN KEY (set_name, item_index, rater, pass) REFERENCES claim(set_name, item_index, rater, pass)
          );
          """)
    }
    migrator.registerMigration("v4: graded values and their weights per sample") { db in
      // Every metric's graded value (pass@k for each k, IFEval's instruction shares) and the number of judgments
      // behind it; before v4 only the primary metric's value was kept (`score`).
      try db.execute(sql: "ALTER TABLE sample ADD COLUMN graded TEXT")
      try db.execute(sql: "ALTER TABLE sample ADD COLUMN weights TEXT")
    }
    migrator.registerMigration("v5: the server behind each cached answer") { db in
      // The identity of the server that gave the answer (its URL and what /v1/models says, or the model file's
      // sha256); NULL for answers cached before v5, which a run takes only from runs against its own base URL.
      try db.execute(sql: "ALTER TABLE response_cache ADD COLUMN server TEXT")
    }
    migrator.registerMigration("v6: the skipped queue, and claims by LLM judges") { db in
      // 1 when a skipped item came back to its rater (its skip taken back); skipping it then is final.
      try db.execute(sql: "ALTER TABLE claim ADD COLUMN revisit INTEGER NOT NULL DEFAULT 0")
      // An LLM judge's claims (`assay pairs judge`) do not use up an item's --overlap human raters.
      try db.execute(sql: "ALTER TABLE claim ADD COLUMN rater_kind TEXT NOT NULL DEFAULT 'human'")
      // The few-shot exemplars before an item's question, shown folded (NULL: none).
      try db.execute(sql: "ALTER TABLE pair_item ADD COLUMN context TEXT")
    }
    return migrator
  }
}
