import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, endpointWants, isEnabledEvent } from './event-types.ts';

const MODULES = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The literal event types passed to the functions that record events, in src/modules. */
function recordedTypes(): Set<string> {
  const found = new Set<string>();
  const call = /\b(?:recordEvents?|recordUpdate|recordInvoiceEvent|snapshot)\((?:[^()]|\([^()]*\))*\)/g;
  for (const file of sourceFiles(MODULES)) {
    for (const match of readFileSync(file, 'utf8').matchAll(call)) {
      for (const literal of match[0].matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) found.add(literal[1] as string);
    }
  }
  return found;
}

describe('event types endpoints can enable', () => {
  it('include every type a module records', () => {
    const recorded = [...recordedTypes()];
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.filter((type) => !isEnabledEvent(type))).toEqual([]);
  });

  it('are * or a known type; * wants everything', () => {
    expect(isEnabledEvent('*')).toBe(true);
    expect(isEnabledEvent('customer.*')).toBe(false);
    expect(isEnabledEvent('customer.exploded')).toBe(false);
    expect(EVENT_TYPES.every(isEnabledEvent)).toBe(true);
    expect(endpointWants(['*'], 'invoice.paid')).toBe(true);
    expect(endpointWants(['invoice.paid'], 'invoice.paid')).toBe(true);
    expect(endpointWants(['invoice.paid'], 'customer.created')).toBe(false);
  });
});
