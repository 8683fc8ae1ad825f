import { describe, expect, it } from 'vitest';
import { fromDatabase, loggableUrl } from './errors.ts';

describe('database errors a retry resolves', () => {
  it('answer 409 (which the stripe SDK retries) for races: serialization, deadlock, lock, unique index', () => {
    for (const code of ['40001', '40P01', '55P03', '23505']) {
      const error = fromDatabase({ code });
      expect(error?.status, code).toBe(409);
      expect(error?.toBody().error.type).toBe('invalid_request_error');
    }
  });

  it('leave other database errors alone (they are bugs: 500)', () => {
    expect(fromDatabase({ code: '22P02' })).toBeNull();
    expect(fromDatabase({})).toBeNull();
  });
});

describe('logged URLs', () => {
  it('never carry a card-update link\'s token', () => {
    expect(loggableUrl('/pay/card/v1.abc.def.ghi')).toBe('/pay/card/…');
    expect(loggableUrl('/v1/customers?email=a')).toBe('/v1/customers?email=a');
  });
});
