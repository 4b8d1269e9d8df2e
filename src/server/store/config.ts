// The platform config row (platform_config): one per application, holding the admin's overrides
// as JSON with a version. Merging and rendering them is services/config.ts.
import type { Sql } from './sql';
import { objectId } from '../shared/ids';

export interface ConfigRow {
  id: string;
  overrides: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export class ConfigRows {
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(sql: Sql, applicationId: string, now: () => number) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /**
   * One row per application from the first start on, so the config keeps a stable _id and
   * created_at even before anyone changes it. Called once by createService.
   */
  async ensure(): Promise<void> {
    const t = this.#now();
    await this.#sql.run(
      `INSERT INTO platform_config (application_id, id, overrides, version, created_at, updated_at)
       VALUES (?, ?, '{}', 0, ?, ?) ON CONFLICT (application_id) DO NOTHING`,
      this.#applicationId,
      objectId(t),
      t,
      t,
    );
  }

  async read(q: Sql = this.#sql): Promise<ConfigRow> {
    const row = await q.get<ConfigRow>(
      'SELECT id, overrides, version, created_at, updated_at FROM platform_config WHERE application_id = ?',
      this.#applicationId,
    );
    return { ...row!, version: Number(row!.version), created_at: Number(row!.created_at), updated_at: Number(row!.updated_at) };
  }

  /**
   * Replaces the overrides with what `next` makes of the current row, bumping the version, in one
   * transaction holding the config's lock (a second instance waits instead of interleaving);
   * returns the new row.
   */
  async change(next: (row: ConfigRow) => { overrides: string; updatedAt: number }): Promise<ConfigRow> {
    return this.#sql.tx(async (q) => {
      await q.lock(`config:${this.#applicationId}`);
      const { overrides, updatedAt } = next(await this.read(q));
      await q.run(
        'UPDATE platform_config SET overrides = ?, version = version + 1, updated_at = ? WHERE application_id = ?',
        overrides,
        updatedAt,
        this.#applicationId,
      );
      return this.read(q);
    });
  }
}
