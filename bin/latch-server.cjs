#!/usr/bin/env node
// `npx latch-server`: starts the compiled reference user service (dist/server/main.js) with plain
// Node. CommonJS on purpose: loading this file does not touch libuv's thread pool, so the pool size
// set here is the one the pool starts with (an ES module entry is read through the pool first).
// The size mirrors threadPoolSize() in src/server/services/hash-queue.ts (a test checks they agree): the
// hashing concurrency (cores - 1, or HASH_CONCURRENCY) plus one thread to spare for files and DNS,
// at least libuv's default of 4. An explicit UV_THREADPOOL_SIZE in the environment wins.
'use strict';
const { availableParallelism } = require('node:os');

if (!process.env.UV_THREADPOOL_SIZE) {
  const hashing = Number(process.env.HASH_CONCURRENCY) || Math.max(1, availableParallelism() - 1);
  process.env.UV_THREADPOOL_SIZE = String(Math.max(4, hashing + 1));
}
import('../dist/server/main.js').catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
