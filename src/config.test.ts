import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config: RECUR_PUBLIC_URL', () => {
  it('defaults to this machine on PORT, and drops a trailing slash', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:4100');
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ RECUR_PUBLIC_URL: 'https://billing.example.com/' }).publicUrl).toBe('https://billing.example.com');
    expect(loadConfig({ RECUR_PUBLIC_URL: 'https://example.com/recur/' }).publicUrl).toBe('https://example.com/recur');
  });

  it('refuses what cannot start a link: not http(s), a query, credentials, not a URL', () => {
    for (const bad of ['ftp://example.com', 'https://example.com/?a=1', 'https://user:pw@example.com', 'billing.example.com', 'javascript:alert(1)']) {
      expect(() => loadConfig({ RECUR_PUBLIC_URL: bad }), bad).toThrow(ConfigError);
    }
  });
});
