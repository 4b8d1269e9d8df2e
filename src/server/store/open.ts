// Opens the service's database from its one setting (DATABASE / ServiceOptions.database) and brings
// the schema up to date, whichever database it names: a postgres:// URL selects PostgreSQL (several
// instances on one database), anything else is a SQLite file path or ':memory:' (the default).
import { migrate, openDatabase } from './db';
import { SqliteSql, type Sql } from './sql';

/** Whether a DATABASE setting names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(setting: string): boolean {
  return /^postgres(ql)?:\/\//i.test(setting);
}

export async function openSql(database: string, log?: (line: string) => void): Promise<Sql> {
  if (isPostgresUrl(database)) {
    // Loaded only when asked for, so a SQLite service never starts the pg driver.
    const { openPostgres } = await import('./migrations-postgres');
    return openPostgres(database, log ? { log } : {});
  }
  const sql = new SqliteSql(openDatabase(database));
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close();
    throw err;
  }
  return sql;
}

/** Whether the database answers a query (GET /healthz). */
export async function ping(sql: Sql): Promise<boolean> {
  try {
    await sql.get('SELECT 1 AS ok');
    return true;
  } catch {
    return false;
  }
}
