// The health check behind GET /healthz: the process answers, and the database answers a query.
// A load balancer or orchestrator polls it; during a graceful shutdown it turns 503 so traffic
// moves elsewhere while in-flight requests finish.
import type { DB } from '../store/db';

export type HealthStatus = 'ok' | 'stopping' | 'unavailable';

export interface Health {
  /** HTTP status to answer: 200 when healthy, 503 otherwise. */
  httpStatus: 200 | 503;
  body: { status: HealthStatus };
}

export function checkHealth(db: DB, stopping: boolean): Health {
  if (stopping) return { httpStatus: 503, body: { status: 'stopping' } };
  try {
    db.prepare('SELECT 1').get();
    return { httpStatus: 200, body: { status: 'ok' } };
  } catch {
    return { httpStatus: 503, body: { status: 'unavailable' } };
  }
}
