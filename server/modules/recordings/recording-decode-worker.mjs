// The entry of the recording decoder's worker thread (recording-decoder.ts). OneCall's server is TypeScript run
// without a build: under `tsx server/main.ts` (npm start, npm run dev, the journeys) a worker inherits tsx's loader
// from the process's flags, under vitest it does not (vitest transforms its own imports only). tsx's API loads the
// worker's TypeScript either way, with its own loader scoped to this import.
import { tsImport } from 'tsx/esm/api';

await tsImport('./recording-decode-worker.ts', import.meta.url);
