// `npm install` runs this: the dashboard is built once so `npm start` can serve it.
import { buildWebIfStale } from './web-build.js';

buildWebIfStale();
