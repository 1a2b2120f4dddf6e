/** The `wsp spec` commands, loaded only when one of them runs. */
export { specIndex, type SpecIndexOptions } from "./indexCommand";
export { specMap, type SpecMapOptions } from "./mapCommand";
export { specCoverage, type SpecCoverageOptions } from "./coverageCommand";
