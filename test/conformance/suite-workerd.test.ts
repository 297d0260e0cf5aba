/**
 * The suite passes on real workerd under every profile. `npm test` runs 10 cases per property
 * (two cores; a workerd boot costs about a process start-up per case's workers), `npm run
 * test:full` 30, as CI does.
 */
import { createWorkerdAdapter } from "../../conformance/adapters/workerd.ts";
import { budget } from "../budget.ts";
import { suiteRuns } from "./suite-runs.ts";

describe("the suite on workerd", function () {
  this.timeout(600_000);
  suiteRuns("workerd", createWorkerdAdapter, () => budget(10, 30));
});
