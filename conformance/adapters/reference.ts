/**
 * The `reference` adapter: this project's own runtime, in-process. The default adapter.
 * (The project's own tests wrap it with a deliberately broken variant of the runtime, through
 * test/conformance/broken-adapter.ts, to show that each conformance test can fail.)
 */
import { ADAPTER_CONTRACT_VERSION, type Adapter } from "../contract.ts";
import { REFERENCE_VERSION, startScenario } from "../../reference/index.ts";

export function createReferenceAdapter(): Adapter {
  return {
    name: "reference",
    contractVersion: ADAPTER_CONTRACT_VERSION,
    // Scenarios are independent in-process objects; two at once keeps esbuild's process busy
    // while this one evaluates and probes.
    concurrentScenarios: 2,
    async runtime() {
      return { name: "reference", version: REFERENCE_VERSION, details: { node: process.version } };
    },
    async start(scenario) {
      // What worker code does wrong off the call path is the tests' business, not the suite's output.
      return startScenario(scenario.workers, { onLog: () => {} });
    },
  };
}
