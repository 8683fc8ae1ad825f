import { ApiError } from '../../src/lib/errors.ts';

/** The ApiError that `run` throws; fails the test if it throws nothing or something else. */
export function apiErrorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, but nothing was thrown');
}
