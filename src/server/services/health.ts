// The health check behind GET /healthz: the process answers, and the database answers a query.
// A load balancer or orchestrator polls it; during a graceful shutdown it turns 503 so traffic
// moves elsewhere while in-flight requests finish.
import { ping } from '../store/open';
import type { Sql } from '../store/sql';

export type HealthStatus = 'ok' | 'stopping' | 'unavailable';

export interface Health {
  /** HTTP status to answer: 200 when healthy, 503 otherwise. */
  httpStatus: 200 | 503;
  body: { status: HealthStatus };
}

export async function checkHealth(sql: Sql, stopping: boolean): Promise<Health> {
  if (stopping) return { httpStatus: 503, body: { status: 'stopping' } };
  if (await ping(sql)) return { httpStatus: 200, body: { status: 'ok' } };
  return { httpStatus: 503, body: { status: 'unavailable' } };
}
