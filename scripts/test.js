// `npm test`: builds the dashboard if its sources changed (the browser test needs it),
// then runs every suite with vitest. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { buildWebIfStale } from './web-build.js';

buildWebIfStale();
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
