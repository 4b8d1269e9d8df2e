// Identifier helpers for the reference user service: Mongo-style 24-hex ObjectIds for users and
// config rows (the wire format clients already expect from the real service), request ids, and the
// one SHA-256 helper every store uses to keep tokens, codes and session ids only as digests.
import { createHash, randomBytes } from 'node:crypto';

// The 5 "process" bytes and the counter start are random per process, as in a real ObjectId,
// so ids made in the same second by two processes (standalone + tests) do not collide.
const processBytes = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

/** A 24-hex-character ObjectId: 4-byte seconds timestamp, 5 process bytes, 3-byte counter. */
export function objectId(nowMs: number = Date.now()): string {
  const buf = Buffer.alloc(12);
  buf.writeUInt32BE(Math.floor(nowMs / 1000) >>> 0, 0);
  processBytes.copy(buf, 4);
  counter = (counter + 1) & 0xffffff;
  buf.writeUIntBE(counter, 9, 3);
  return buf.toString('hex');
}

/** A random id for one request; it is not a secret, only a handle for matching logs to answers. */
export function requestId(): string {
  return randomBytes(12).toString('hex');
}

/** Hex SHA-256 of a UTF-8 string: how tokens, codes and session ids are stored and looked up. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
