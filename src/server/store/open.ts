// Opens the service's database from its one setting (DATABASE / ServiceOptions.database) and brings
// the schema up to date, whichever database it names. Today: a SQLite file path or ':memory:'.
import { migrate, openDatabase } from './db';
import { SqliteSql, type Sql } from './sql';

export async function openSql(database: string): Promise<Sql> {
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
