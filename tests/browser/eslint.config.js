// The frontend's ESLint config, run by the frontend's ESLint (`npm run --prefix frontend
// lint:browser`, part of `make lint`): these scripts have no linting packages of their own. They
// run in Node and hand callbacks to the page, so both Node's and the browser's globals are known.
import frontend, { nodeGlobals } from '../../frontend/eslint.config.js';

export default [...frontend, nodeGlobals];
