// `npm run docs:openapi`: writes docs/openapi.json from the route definitions, the same
// document the server serves at /openapi.json. A test fails when the file is stale.
import { writeFile } from 'node:fs/promises';
import { apiRoutes } from '../src/server/app.ts';
import { buildOpenApi } from '../src/server/openapi.ts';

const target = new URL('../docs/openapi.json', import.meta.url);
await writeFile(target, `${JSON.stringify(buildOpenApi(apiRoutes), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
