import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { secretBox } from '../../src/lib/secret-box.ts';
import { Gateways } from '../../src/modules/payments/gateways/registry.ts';

/** Gateways for code driven outside a server (benchmarks, fault workers, run tests): the test gateway, and any account sealed under RECUR_SECRET_KEY if one is set. */
export function testGateways(database: Pick<DatabaseHandle, 'gatewayDb'>): Gateways {
  const key = process.env.RECUR_SECRET_KEY ? Buffer.from(process.env.RECUR_SECRET_KEY, 'hex') : randomBytes(32);
  return new Gateways(database.gatewayDb, secretBox(key));
}
