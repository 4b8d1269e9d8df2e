// User storage for the reference service: creating users with their emails, phones and password
// hash, finding them for login, and rendering the wire UserSchema (api-contract section 4).
// Password hashes never leave this module except to the login check.
import type { Sql } from './sql';
import { ApiError } from '../shared/errors';
import { objectId } from '../shared/ids';
import { isUniqueViolation } from './constraint';
import { insertEmail, insertPhone } from './contacts';
import type { LoginKey, PhoneNumber } from '../shared/phone';

export interface UserRow {
  id: string;
  application_id: string;
  first_name: string;
  last_name: string;
  gender: string | null;
  dob: string | null;
  username: string;
  account_type: string;
  profile_pic_url: string;
  meta: string;
  external_id: string | null;
  rr_id: string | null;
  active: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  delete_on: number | null;
}

export interface UserEmail {
  email: string;
  active: boolean;
  primary: boolean;
  verified: boolean;
}

export interface UserPhone {
  phone: string;
  country_code: number;
  active: boolean;
  primary: boolean;
  verified: boolean;
}

/** The wire shape. Optional text fields are "" when unset; `dob` is left out when unknown. */
export interface UserSchema {
  _id: string;
  user_id: string;
  application_id: string;
  first_name: string;
  last_name: string;
  gender: string;
  dob?: string;
  active: boolean;
  profile_pic_url: string;
  username: string;
  account_type: string;
  meta: Record<string, unknown>;
  phone_numbers: UserPhone[];
  emails: UserEmail[];
  created_at: string;
  updated_at: string;
  external_id: string;
  rr_id: string;
}

export interface NewUser {
  first_name?: string;
  last_name?: string;
  gender?: string;
  dob?: string;
  username?: string;
  meta?: Record<string, unknown>;
  external_id?: string;
  rr_id?: string;
  email?: string;
  phone?: PhoneNumber;
  verified: boolean;
  /** An already computed hash; plain passwords never reach the store. */
  passwordHash?: string;
}

export class UserStore {
  readonly #sql: Sql;
  readonly #applicationId: string;
  readonly #now: () => number;

  constructor(sql: Sql, applicationId: string, now: () => number) {
    this.#sql = sql;
    this.#applicationId = applicationId;
    this.#now = now;
  }

  /** The same store on another connection: `q` of a transaction, so its reads see that transaction. */
  bind(q: Sql): UserStore {
    return new UserStore(q, this.#applicationId, this.#now);
  }

  async findById(id: string): Promise<UserRow | undefined> {
    return this.#sql.get<UserRow>('SELECT * FROM users WHERE id = ? AND application_id = ?', id, this.#applicationId);
  }

  async emailTaken(email: string, q: Sql = this.#sql): Promise<boolean> {
    return !!(await q.get('SELECT 1 AS x FROM user_emails WHERE application_id = ? AND email_key = ?', this.#applicationId, email.toLowerCase()));
  }

  async phoneTaken(phone: PhoneNumber, q: Sql = this.#sql): Promise<boolean> {
    return !!(await q.get(
      'SELECT 1 AS x FROM user_phones WHERE application_id = ? AND country_code = ? AND phone = ?',
      this.#applicationId,
      phone.country_code,
      phone.phone,
    ));
  }

  async usernameTaken(username: string, q: Sql = this.#sql): Promise<boolean> {
    return !!(await q.get('SELECT 1 AS x FROM users WHERE application_id = ? AND lower(username) = lower(?)', this.#applicationId, username));
  }

  /**
   * The user an email or phone login names, through an active contact; undefined when none. Password
   * login passes verifiedOnly: a contact nobody proved is no way in (account pre-hijacking).
   */
  async findForLogin(login: LoginKey, opts: { verifiedOnly?: boolean } = {}): Promise<UserRow | undefined> {
    const proven = opts.verifiedOnly ? ' AND verified = 1' : '';
    if (login.kind === 'email') {
      return this.#sql.get<UserRow>(
        `SELECT u.* FROM users u JOIN user_emails e ON e.user_id = u.id
         WHERE e.application_id = ? AND e.email_key = ? AND e.active = 1${proven.replace('verified', 'e.verified')}`,
        this.#applicationId,
        login.email,
      );
    }
    if (login.kind === 'phone') {
      return this.#sql.get<UserRow>(
        `SELECT u.* FROM users u JOIN user_phones p ON p.user_id = u.id
         WHERE p.application_id = ? AND p.country_code = ? AND p.phone = ? AND p.active = 1${proven.replace('verified', 'p.verified')}`,
        this.#applicationId,
        login.phone.country_code,
        login.phone.phone,
      );
    }
    return undefined;
  }

  async passwordHash(userId: string): Promise<string | undefined> {
    const row = await this.#sql.get<{ hash: string }>('SELECT hash FROM password_hashes WHERE user_id = ?', userId);
    return row?.hash;
  }

  /**
   * Replaces the hash only while it is still `from` (a rehash at sign-in): a password set meanwhile
   * by a reset or change is never overwritten with the old password's upgraded hash. Returns
   * whether it was replaced.
   */
  async upgradePasswordHash(userId: string, from: string, to: string): Promise<boolean> {
    const { changes } = await this.#sql.run('UPDATE password_hashes SET hash = ?, updated_at = ? WHERE user_id = ? AND hash = ?', to, this.#now(), userId, from);
    return changes === 1;
  }

  async setPasswordHash(userId: string, hash: string, q: Sql = this.#sql): Promise<void> {
    const t = this.#now();
    await q.run(
      `INSERT INTO password_hashes (user_id, hash, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
      userId,
      hash,
      t,
      t,
    );
  }

  /**
   * Creates a user. Uniqueness is checked first for a clear message, then enforced again by the
   * unique indexes inside the transaction in case two requests race. Pass `q` to create it inside
   * the caller's transaction.
   */
  async create(input: NewUser, q?: Sql): Promise<UserRow> {
    if (!q) return this.#sql.tx((inner) => this.create(input, inner));
    const username = input.username?.trim() || input.email?.toLowerCase() || `${input.phone!.country_code}${input.phone!.phone}`;
    if (input.email && (await this.emailTaken(input.email, q))) {
      throw new ApiError(409, 'EMAIL_EXISTS', 'A user with this email already exists');
    }
    if (input.phone && (await this.phoneTaken(input.phone, q))) {
      throw new ApiError(409, 'PHONE_EXISTS', 'A user with this phone number already exists');
    }
    if (await this.usernameTaken(username, q)) {
      throw new ApiError(409, 'USERNAME_EXISTS', 'A user with this username already exists');
    }
    const t = this.#now();
    const id = objectId(t);
    const verified = input.verified ? 1 : 0;
    try {
      await q.run(
        `INSERT INTO users (id, application_id, first_name, last_name, gender, dob, username, meta,
           external_id, rr_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        id,
        this.#applicationId,
        input.first_name ?? '',
        input.last_name ?? '',
        input.gender || null,
        input.dob || null,
        username,
        JSON.stringify(input.meta ?? {}),
        input.external_id || null,
        input.rr_id || null,
        t,
        t,
      );
      // The account's first contacts: primary and active, verified as the caller says.
      const user = { id, application_id: this.#applicationId };
      if (input.email) await insertEmail(q, user, input.email, { primary: 1, active: 1, verified }, t);
      if (input.phone) await insertPhone(q, user, input.phone, { primary: 1, active: 1, verified }, t);
      if (input.passwordHash) {
        await q.run('INSERT INTO password_hashes (user_id, hash, created_at, updated_at) VALUES (?, ?, ?, ?)', id, input.passwordHash, t, t);
      }
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ApiError(409, 'USER_EXISTS', 'A user with this email, phone number or username already exists');
      }
      throw err;
    }
    return (await q.get<UserRow>('SELECT * FROM users WHERE id = ?', id))!;
  }

  /**
   * Writes profile columns; `fields` holds only column names the caller's schema allows (never
   * keys from input as such), so they may name columns in the statement.
   */
  async updateProfile(
    userId: string,
    fields: Partial<Record<'first_name' | 'last_name' | 'gender' | 'dob' | 'profile_pic_url', string | null>>,
  ): Promise<void> {
    const sets = Object.keys(fields) as (keyof typeof fields)[];
    if (!sets.length) return;
    await this.#sql.run(
      `UPDATE users SET ${sets.map((k) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
      ...sets.map((k) => fields[k] ?? null),
      this.#now(),
      userId,
    );
  }

  async setProfilePicUrl(userId: string, url: string): Promise<void> {
    await this.#sql.run('UPDATE users SET profile_pic_url = ? WHERE id = ?', url, userId);
  }

  async toSchema(row: UserRow): Promise<UserSchema> {
    const emails = await this.#sql.all<{ email: string; active: number; is_primary: number; verified: number }>(
      `SELECT email, active, is_primary, verified FROM user_emails WHERE user_id = ?
       ORDER BY is_primary DESC, id`,
      row.id,
    );
    const phones = await this.#sql.all<{ phone: string; country_code: number; active: number; is_primary: number; verified: number }>(
      `SELECT phone, country_code, active, is_primary, verified FROM user_phones WHERE user_id = ?
       ORDER BY is_primary DESC, id`,
      row.id,
    );
    const user: UserSchema = {
      _id: row.id,
      user_id: row.id,
      application_id: row.application_id,
      first_name: row.first_name,
      last_name: row.last_name,
      gender: row.gender ?? '',
      active: row.active === 1,
      profile_pic_url: row.profile_pic_url,
      username: row.username,
      account_type: row.account_type,
      meta: JSON.parse(row.meta) as Record<string, unknown>,
      phone_numbers: phones.map((p) => ({
        phone: p.phone,
        country_code: p.country_code,
        active: p.active === 1,
        primary: p.is_primary === 1,
        verified: p.verified === 1,
      })),
      emails: emails.map((e) => ({
        email: e.email,
        active: e.active === 1,
        primary: e.is_primary === 1,
        verified: e.verified === 1,
      })),
      created_at: new Date(row.created_at).toISOString(),
      updated_at: new Date(row.updated_at).toISOString(),
      external_id: row.external_id ?? '',
      rr_id: row.rr_id ?? '',
    };
    if (row.dob) user.dob = row.dob;
    return user;
  }
}
