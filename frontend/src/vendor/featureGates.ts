// Stands in for `@atlaskit/feature-gate-js-client/feature-gates` (see vite.config.ts).
//
// Atlaskit components ask Atlassian's feature-gate client (Statsig) for gradual-rollout flags.
// Outside Atlassian's own products that client is never initialized, so every gate is off and
// every experiment has its default value; this answers the same without bundling the client
// (about 100 kB minified) or logging "Client must be initialized" on every check.
const known = {
  checkGate: (): boolean => false,
  getExperimentValue: <T>(_experiment: string, _parameter: string, defaultValue: T): T =>
    defaultValue,
  initializeCompleted: (): boolean => false,
};

/** Any other method answers `undefined`, as an uninitialized client does. */
const FeatureGates = new Proxy(known, {
  get: (target, name) => (name in target ? target[name as keyof typeof known] : () => undefined),
});

export default FeatureGates;
