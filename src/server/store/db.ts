// SQLite storage for the reference service: opens the database and brings its schema up to date
// through an ordered list of versioned migrations, recorded in `schema_migrations`. Each migration
// runs in its own transaction, so a failure leaves the database at the previous version.
import Database from 'better-sqlite3';
import { SqliteSql, type Sql } from './sql';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Append only: a migration that has shipped is never edited, a change is a new entry.
// Timestamps are integer milliseconds (from the injectable clock); the API renders them as ISO.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, contacts, passwords, sessions, platform config',
    sql: `
      CREATE TABLE users (
        id              TEXT PRIMARY KEY,            -- 24 hex, like a Mongo ObjectId
        application_id  TEXT NOT NULL,
        first_name      TEXT NOT NULL DEFAULT '',
        last_name       TEXT NOT NULL DEFAULT '',
        gender          TEXT,
        dob             TEXT,
        username        TEXT NOT NULL,
        account_type    TEXT NOT NULL DEFAULT 'user',
        profile_pic_url TEXT NOT NULL DEFAULT '',
        meta            TEXT NOT NULL DEFAULT '{}',  -- JSON object
        external_id     TEXT,
        rr_id           TEXT,
        active          INTEGER NOT NULL DEFAULT 1,  -- 0 = blocked by an admin
        blocked_reason  TEXT,
        archived        INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        -- soft deletion (account deletion with a grace period); NULL while the account is live
        deleted_at        INTEGER,
        delete_on         INTEGER,
        delete_reason     TEXT,
        delete_reason_id  TEXT
      );
      CREATE UNIQUE INDEX users_username ON users (application_id, username COLLATE NOCASE);
      CREATE INDEX users_delete_on ON users (delete_on) WHERE delete_on IS NOT NULL;

      CREATE TABLE user_emails (
        id              INTEGER PRIMARY KEY,
        user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        application_id  TEXT NOT NULL,
        email           TEXT NOT NULL,               -- as the user typed it
        email_key       TEXT NOT NULL,               -- lowercased, for lookups and uniqueness
        is_primary      INTEGER NOT NULL DEFAULT 0,
        verified        INTEGER NOT NULL DEFAULT 0,
        active          INTEGER NOT NULL DEFAULT 1,
        created_at      INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX user_emails_key ON user_emails (application_id, email_key);
      CREATE INDEX user_emails_user ON user_emails (user_id);

      CREATE TABLE user_phones (
        id              INTEGER PRIMARY KEY,
        user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        application_id  TEXT NOT NULL,
        phone           TEXT NOT NULL,               -- national number, digits only
        country_code    INTEGER NOT NULL,
        is_primary      INTEGER NOT NULL DEFAULT 0,
        verified        INTEGER NOT NULL DEFAULT 0,
        active          INTEGER NOT NULL DEFAULT 1,
        created_at      INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX user_phones_number ON user_phones (application_id, country_code, phone);
      CREATE INDEX user_phones_user ON user_phones (user_id);

      CREATE TABLE password_hashes (
        user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        hash        TEXT NOT NULL,                   -- scrypt$n=..,r=..,p=..$salt$hash
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        id_hash         TEXT PRIMARY KEY,            -- sha256 hex of the cookie value, never the value
        user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        application_id  TEXT NOT NULL,
        user_agent      TEXT NOT NULL DEFAULT '',
        ip              TEXT NOT NULL DEFAULT '',
        created_at      INTEGER NOT NULL,
        last_seen_at    INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX sessions_expires ON sessions (expires_at);

      CREATE TABLE platform_config (
        application_id  TEXT PRIMARY KEY,
        id              TEXT NOT NULL,               -- the config's own _id
        overrides       TEXT NOT NULL DEFAULT '{}',  -- JSON: what admins changed, merged over the defaults
        version         INTEGER NOT NULL DEFAULT 0,  -- rendered as __v
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'dev outbox, one-time codes, one-time tokens',
    sql: `
      -- Every SMS and email the service "sends" (see outbox.ts). Rows hold live codes and links in
      -- clear text, which is the point of a dev outbox, so they are dropped after a day.
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        application_id  TEXT NOT NULL,
        channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        recipient       TEXT NOT NULL,               -- E.164 for SMS, the address for email
        recipient_key   TEXT NOT NULL,               -- digits only / lowercased, for ?to= lookups
        subject         TEXT,                        -- email only
        body            TEXT NOT NULL,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX outbox_recipient ON outbox (application_id, recipient_key);
      CREATE INDEX outbox_created ON outbox (created_at);

      -- One row per code request (see otp.ts); a resend replaces the code but keeps the request_id.
      CREATE TABLE otp_requests (
        request_id        TEXT PRIMARY KEY,          -- 32 hex, handed to the client
        application_id    TEXT NOT NULL,
        purpose           TEXT NOT NULL,             -- login | forgot | contact
        channel           TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        destination       TEXT NOT NULL,             -- "<country code>:<number>" or the lowercased email
        address           TEXT NOT NULL,             -- what the message was sent to
        user_id           TEXT REFERENCES users (id) ON DELETE CASCADE,  -- contact codes: who asked
        code_hash         TEXT NOT NULL,             -- sha256 hex of "<request_id>:<code>", never the code
        attempts          INTEGER NOT NULL DEFAULT 0,
        expires_at        INTEGER NOT NULL,
        resend_token_hash TEXT NOT NULL,             -- sha256 hex of the current resend token
        resend_after      INTEGER NOT NULL,
        consumed_at       INTEGER,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL
      );
      CREATE INDEX otp_requests_destination ON otp_requests (application_id, purpose, channel, destination);
      CREATE INDEX otp_requests_resend ON otp_requests (resend_token_hash);

      -- register_token, forgot_token and reset link codes: stored as sha256, single use.
      CREATE TABLE one_time_tokens (
        token_hash      TEXT PRIMARY KEY,
        application_id  TEXT NOT NULL,
        purpose         TEXT NOT NULL,               -- register | forgot | reset
        user_id         TEXT REFERENCES users (id) ON DELETE CASCADE,
        channel         TEXT,                        -- the contact the token proves (register, forgot)
        destination     TEXT,
        address         TEXT,
        expires_at      INTEGER NOT NULL,
        consumed_at     INTEGER,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);
    `,
  },
  {
    version: 3,
    name: 'social identities, user timeline, purge tombstones, public session ids',
    sql: `
      -- Which provider account (provider + its stable subject id) signs in as which user.
      CREATE TABLE social_identities (
        id              INTEGER PRIMARY KEY,
        application_id  TEXT NOT NULL,
        provider        TEXT NOT NULL,               -- google | facebook | apple
        subject         TEXT NOT NULL,               -- the provider's user id (sub), never an email
        user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at      INTEGER NOT NULL,
        last_login_at   INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX social_identities_subject ON social_identities (application_id, provider, subject);
      CREATE INDEX social_identities_user ON social_identities (user_id);

      -- Account events for the admin timeline. No foreign key: the events must outlive a purge,
      -- so they hold no personal data (a purge also blanks sub_title).
      CREATE TABLE user_timeline (
        id              INTEGER PRIMARY KEY,
        application_id  TEXT NOT NULL,
        user_id         TEXT NOT NULL,
        type            TEXT NOT NULL,
        title           TEXT NOT NULL,
        sub_title       TEXT NOT NULL DEFAULT '',
        visible         INTEGER NOT NULL DEFAULT 1,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX user_timeline_user ON user_timeline (user_id, created_at);
      -- Every way of creating a user (admin, registration, social, demo seed) gets its event
      -- without each having to remember it.
      CREATE TRIGGER users_timeline_created AFTER INSERT ON users BEGIN
        INSERT INTO user_timeline (application_id, user_id, type, title, created_at)
        VALUES (NEW.application_id, NEW.id, 'account_created', 'Account created', NEW.created_at);
      END;
      INSERT INTO user_timeline (application_id, user_id, type, title, created_at)
        SELECT application_id, id, 'account_created', 'Account created', created_at FROM users;

      -- What is left of a purged account: its id and dates, nothing that identifies a person.
      CREATE TABLE purged_users (
        user_id         TEXT PRIMARY KEY,
        application_id  TEXT NOT NULL,
        delete_on       INTEGER,
        purged_at       INTEGER NOT NULL
      );

      -- The free text a shopper typed when asking for deletion (delete_reason holds the reason).
      ALTER TABLE users ADD COLUMN delete_reason_text TEXT;

      -- A non-secret handle for one session, for the admin session list and revoke. The cookie
      -- value must never be shown, and its hash is what a lookup needs, so neither can serve.
      -- The trigger fills it for every insert, whichever code creates the session.
      ALTER TABLE sessions ADD COLUMN public_id TEXT;
      ALTER TABLE sessions ADD COLUMN domain TEXT NOT NULL DEFAULT '';
      UPDATE sessions SET public_id = lower(hex(randomblob(16))) WHERE public_id IS NULL;
      CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);
      CREATE TRIGGER sessions_public_id AFTER INSERT ON sessions WHEN NEW.public_id IS NULL BEGIN
        UPDATE sessions SET public_id = lower(hex(randomblob(16))) WHERE rowid = NEW.rowid;
      END;
    `,
  },
  {
    version: 4,
    name: 'pending registrations, privacy consent',
    sql: `
      -- Sign-ups from the registration form wait here until every contact they gave is proven by a
      -- code; only then is a users row made. A pending row reserves no email or phone, so someone
      -- who types another person's address cannot keep its owner from signing up. No user_id
      -- column: there is no user yet. Rows live 30 minutes and are then deleted (registration.ts).
      CREATE TABLE pending_registrations (
        token_hash        TEXT PRIMARY KEY,          -- sha256 hex of the register_token, never the token
        application_id    TEXT NOT NULL,
        first_name        TEXT NOT NULL,
        last_name         TEXT NOT NULL DEFAULT '',
        gender            TEXT,
        email             TEXT,                      -- as typed; NULL when none was given
        email_key         TEXT,                      -- lowercased
        phone             TEXT,                      -- national number, digits only
        country_code      INTEGER,
        password_hash     TEXT NOT NULL,             -- scrypt, as in password_hashes
        consent           INTEGER NOT NULL DEFAULT 0,
        email_request_id  TEXT,                      -- the otp_requests row of the email code
        sms_request_id    TEXT,                      -- the otp_requests row of the SMS code
        email_verified    INTEGER NOT NULL DEFAULT 0,
        phone_verified    INTEGER NOT NULL DEFAULT 0,
        expires_at        INTEGER NOT NULL,
        created_at        INTEGER NOT NULL
      );
      CREATE INDEX pending_registrations_expires ON pending_registrations (expires_at);

      -- When the shopper ticked the registration form's consent box; NULL when they did not.
      ALTER TABLE users ADD COLUMN privacy_consent_at INTEGER;
    `,
  },
  {
    version: 5,
    name: 'session re-authentication time, custom user attributes',
    sql: `
      -- When the shopper last proved who they are in this session (a sign-in of any kind, or a
      -- password typed again). Ending other sessions or setting a first password needs this to be
      -- recent. Every session row is made by a sign-in, so the trigger fills it for every insert,
      -- whichever code path creates the session; sessions from before this migration count as
      -- authenticated when they were created.
      ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER;
      UPDATE sessions SET authenticated_at = created_at WHERE authenticated_at IS NULL;
      CREATE TRIGGER sessions_authenticated_at AFTER INSERT ON sessions WHEN NEW.authenticated_at IS NULL BEGIN
        UPDATE sessions SET authenticated_at = NEW.created_at WHERE rowid = NEW.rowid;
      END;

      -- Attribute definitions an admin declares per application (attributes.ts). validations and
      -- default_value are JSON.
      CREATE TABLE user_attribute_definitions (
        id                 TEXT PRIMARY KEY,          -- 24 hex, like the users' ids
        application_id     TEXT NOT NULL,
        name               TEXT NOT NULL,
        slug               TEXT NOT NULL,
        description        TEXT NOT NULL DEFAULT '',
        type               TEXT NOT NULL CHECK (type IN ('string', 'number', 'boolean', 'date', 'enum')),
        multi_value        INTEGER NOT NULL DEFAULT 0,
        customer_editable  INTEGER NOT NULL DEFAULT 0,
        encrypted          INTEGER NOT NULL DEFAULT 0,  -- kept and returned; values are not encrypted here
        pinned             INTEGER NOT NULL DEFAULT 0,
        pin_order          REAL,
        is_locked          INTEGER NOT NULL DEFAULT 0,
        validations        TEXT NOT NULL DEFAULT '[]',
        default_value      TEXT,
        created_by         TEXT,
        updated_by         TEXT,
        version            INTEGER NOT NULL DEFAULT 0,  -- rendered as __v
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX user_attribute_definitions_slug ON user_attribute_definitions (application_id, slug);

      -- One value per user and definition, as JSON. The user_id column also makes the account
      -- purge (deletion.ts) remove these rows with the rest of the person's data.
      CREATE TABLE user_attributes (
        id                   TEXT PRIMARY KEY,        -- 24 hex; getUserAttributeById takes it
        application_id       TEXT NOT NULL,
        definition_id        TEXT NOT NULL REFERENCES user_attribute_definitions (id) ON DELETE CASCADE,
        user_id              TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        value                TEXT NOT NULL,
        customer_overridden  INTEGER NOT NULL DEFAULT 0,  -- last written by the shopper
        updated_by           TEXT NOT NULL DEFAULT '',
        created_at           INTEGER NOT NULL,
        updated_at           INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX user_attributes_definition_user ON user_attributes (definition_id, user_id);
      CREATE INDEX user_attributes_user ON user_attributes (user_id);
    `,
  },
  {
    version: 6,
    name: 'indexes for purges and code lookups',
    sql: `
      -- Purges walk these instead of the whole table (purge.ts), so their cost does not grow with it.
      CREATE INDEX otp_requests_expires ON otp_requests (expires_at);
      CREATE INDEX one_time_tokens_expires ON one_time_tokens (expires_at);
      -- The newest open request for an address: found and ordered by the index, no sort.
      DROP INDEX otp_requests_destination;
      CREATE INDEX otp_requests_destination ON otp_requests (application_id, purpose, channel, destination, updated_at, created_at);
    `,
  },
  {
    version: 7,
    name: 'user groups',
    sql: `
      -- Groups of shoppers (store/user-groups.ts). A conditional group's members are computed from
      -- its conditions at every read; a bulk group's members are rows of user_group_members.
      CREATE TABLE user_groups (
        id              TEXT PRIMARY KEY,            -- 24 hex, the wire _id
        application_id  TEXT NOT NULL,
        uid             INTEGER NOT NULL,            -- 1, 2, 3... per application
        name            TEXT NOT NULL,
        description     TEXT NOT NULL DEFAULT '',
        type            TEXT NOT NULL CHECK (type IN ('conditional', 'bulk')),
        conditions      TEXT NOT NULL DEFAULT '[]',  -- JSON
        file_url        TEXT,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
        is_active       INTEGER NOT NULL DEFAULT 1,
        error_count     INTEGER NOT NULL DEFAULT 0,
        error_report    TEXT,                        -- CSV of the rows the last load could not apply
        failure         TEXT,                        -- why the last file could not be loaded at all
        version         INTEGER NOT NULL DEFAULT 0,  -- rendered as __v
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX user_groups_uid ON user_groups (application_id, uid);
      -- The last uid handed out per application, so a deleted group's uid is never reused.
      CREATE TABLE user_group_uids (
        application_id  TEXT PRIMARY KEY,
        last_uid        INTEGER NOT NULL
      );

      -- The user_id column also makes the account purge (deletion.ts) remove these rows.
      CREATE TABLE user_group_members (
        group_id        TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
        user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        application_id  TEXT NOT NULL,
        added_at        INTEGER NOT NULL,
        PRIMARY KEY (group_id, user_id)
      );
      CREATE INDEX user_group_members_user ON user_group_members (user_id);
    `,
  },
  {
    version: 8,
    name: 'attribute definition fields of newer clients',
    sql: `
      -- icon, ordering_channels, masking and registration, which newer platform clients send on
      -- attribute definitions (attributes.ts, DefinitionExtras): kept as one JSON object.
      ALTER TABLE user_attribute_definitions ADD COLUMN extras TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 9,
    name: 'wrong codes per address',
    sql: `
      -- Every code check sums the wrong tries at its address across purposes and resends within a
      -- window (otp.ts, OTP_MAX_WRONG_PER_DESTINATION). otp_requests_destination leads with purpose,
      -- which that sum does not name; this one answers it from the index alone (attempts included).
      CREATE INDEX otp_requests_wrong_per_destination ON otp_requests (application_id, channel, destination, updated_at, attempts);
    `,
  },
  {
    version: 10,
    name: 'storefront tokens: one-time sign-in tokens and contact verification links',
    sql: `
      -- store/storefront-tokens.ts. Only the SHA-256 of each token is kept; a row is spent once.
      -- A verification link carries the contact it proves (destination, address), since the
      -- contact joins the account only when the link is followed.
      CREATE TABLE storefront_tokens (
        token_hash      TEXT PRIMARY KEY,
        application_id  TEXT NOT NULL,
        purpose         TEXT NOT NULL CHECK (purpose IN ('login', 'verify-email', 'verify-mobile')),
        user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        destination     TEXT,
        address         TEXT,
        expires_at      INTEGER NOT NULL,
        consumed_at     INTEGER,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX storefront_tokens_expires ON storefront_tokens (expires_at);
      CREATE INDEX storefront_tokens_user ON storefront_tokens (user_id, purpose);
    `,
  },
  {
    version: 11,
    name: 'shared limits and leases',
    sql: `
      -- One row per counted attempt (store/limits.ts), so limits hold across every instance on one
      -- database instead of living in each process. bucket names the rule, key what it counts
      -- (long keys are stored as their SHA-256). The first index answers "the newest hits of this
      -- key", the second lets the purge walk old rows in time order.
      CREATE TABLE limit_hits (id INTEGER PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX limit_hits_key ON limit_hits (bucket, key, at);
      CREATE INDEX limit_hits_at ON limit_hits (at);
      -- Who runs a piece of scheduled work (a purge) right now, and until when (store/leases.ts).
      -- A holder that dies mid-run leaves its row to expire, and another instance takes over.
      CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `,
  },
];

export type DB = Database.Database;

/** How long a write waits for another connection's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (or creates) the SQLite file and sets its connection options; the schema is brought up to
 * date by migrate() (store/open.ts does both).
 */
export function openDatabase(path: string): DB {
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  // Another process on the same file (a second instance, a migration, an admin script) makes this
  // one wait up to this long for the write lock instead of failing with "database is locked". Set
  // first, since switching to WAL below needs the lock too. Transactions are opened IMMEDIATE
  // (store/sql.ts), which takes the lock up front: a deferred one that read first cannot wait for
  // it and fails at once.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:' && path !== '') {
    // WAL lets the dev server read while a write is in flight and survives crashes better;
    // it is meaningless for in-memory databases.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  return db;
}

/**
 * Applies every migration newer than the database's version; safe to call on every start. Each
 * migration runs in its own transaction, so a failure leaves the database at the previous version.
 */
export async function migrate(sql: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await sql.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  )`);
  const applied = new Set((await sql.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  // better-sqlite3 runs a script of several statements (triggers included) only through exec(),
  // which the Sql interface does not offer. Inside the transaction below the connection is this
  // process's own, BEGIN IMMEDIATE already sent, so the script goes to it directly.
  const raw = sql instanceof SqliteSql ? sql.db : undefined;
  const ran: number[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    const applies = await sql.tx(async (q) => {
      await q.lock('schema_migrations');
      // Another process may have applied it since the check above; the lock is held now.
      if (await q.get('SELECT 1 AS x FROM schema_migrations WHERE version = ?', m.version)) return false;
      if (raw) raw.exec(m.sql);
      else await q.run(m.sql);
      await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', m.version, m.name, new Date().toISOString());
      return true;
    });
    if (applies) ran.push(m.version);
  }
  return ran;
}

