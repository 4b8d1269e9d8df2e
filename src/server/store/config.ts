// The platform config row (platform_config): one per application, holding the admin's overrides
// as JSON with a version. Merging and rendering them is services/config.ts.
import type { DB } from './db';
import { objectId } from '../shared/ids';

export interface ConfigRow {
  id: string;
  overrides: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export class ConfigRows {
  readonly #db: DB;
  readonly #applicationId: string;

  constructor(db: DB, applicationId: string, now: () => number) {
    this.#db = db;
    this.#applicationId = applicationId;
    // One row per application from the first start on, so the config keeps a stable _id and
    // created_at even before anyone changes it.
    const t = now();
    db.prepare(
      `INSERT OR IGNORE INTO platform_config (application_id, id, overrides, version, created_at, updated_at)
       VALUES (?, ?, '{}', 0, ?, ?)`,
    ).run(applicationId, objectId(t), t, t);
  }

  read(): ConfigRow {
    return this.#db
      .prepare('SELECT id, overrides, version, created_at, updated_at FROM platform_config WHERE application_id = ?')
      .get(this.#applicationId) as ConfigRow;
  }

  /**
   * Replaces the overrides with what `next` makes of the current row, bumping the version, in one
   * immediate transaction (a second process waits instead of failing); returns the new row.
   */
  change(next: (row: ConfigRow) => { overrides: string; updatedAt: number }): ConfigRow {
    return this.#db.transaction(() => {
      const { overrides, updatedAt } = next(this.read());
      this.#db
        .prepare('UPDATE platform_config SET overrides = ?, version = version + 1, updated_at = ? WHERE application_id = ?')
        .run(overrides, updatedAt, this.#applicationId);
      return this.read();
    }).immediate();
  }
}
