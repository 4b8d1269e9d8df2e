// Graceful shutdown for the standalone service: on a stop signal the listening socket closes (no
// new connections), requests already in flight run to their end within a bound, idle keep-alive
// connections are closed as they become idle, and only then is the database closed. A deploy or a
// Ctrl-C therefore never cuts a login in half.
import type { Server } from 'node:http';

/** How long in-flight requests may take to finish before their connections are cut. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** SHUTDOWN_GRACE_SECONDS: whole or fractional seconds, 0 to cut at once. */
export function parseShutdownGrace(value: string | undefined): number {
  const v = value?.trim();
  if (!v) return DEFAULT_SHUTDOWN_GRACE_MS;
  const seconds = Number(v);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`SHUTDOWN_GRACE_SECONDS must be a number of seconds, got "${v}"`);
  return Math.round(seconds * 1000);
}

export interface Drainer {
  /** True once stop() was called. */
  readonly stopping: boolean;
  /** Requests whose response has not finished yet. */
  readonly inFlight: number;
  /**
   * Stops accepting and waits for in-flight requests (at most `graceMs`, then cuts the rest).
   * Resolves with whether every request finished on its own. Calling it again returns the same promise.
   */
  stop(graceMs: number): Promise<boolean>;
}

/** Watches `server`'s requests from now on, so stop() knows what is in flight. */
export function drainer(server: Server): Drainer {
  let inFlight = 0;
  let stopping = false;
  let stopped: Promise<boolean> | undefined;

  server.on('request', (_req, res) => {
    inFlight++;
    // A request that arrives on a kept-alive connection during the drain is still served, but
    // tells the client this connection ends with it.
    if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight--;
      // The connection just became idle; while stopping, idle ones are closed so close() can end.
      if (stopping) server.closeIdleConnections();
    });
  });

  return {
    get stopping() {
      return stopping;
    },
    get inFlight() {
      return inFlight;
    },
    stop(graceMs: number): Promise<boolean> {
      if (stopped) return stopped;
      stopping = true;
      stopped = new Promise<boolean>((resolve) => {
        let cut = false;
        const timer = setTimeout(() => {
          cut = true;
          server.closeAllConnections();
        }, graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve(!cut);
        });
        server.closeIdleConnections();
      });
      return stopped;
    },
  };
}
