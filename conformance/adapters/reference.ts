/**
 * The `reference` adapter: this project's own runtime, in-process. The default adapter.
 * With `faults`, it runs a deliberately broken variant of the runtime (see reference/README.md),
 * which is how the project's own tests show that each conformance test can fail.
 */
import { ADAPTER_CONTRACT_VERSION, type Adapter } from "../contract.ts";
import { REFERENCE_VERSION, startScenario, type Fault } from "../../reference/index.ts";

export function createReferenceAdapter(options: { faults?: Fault[] } = {}): Adapter {
  const faults = options.faults ?? [];
  return {
    name: faults.length ? `reference+${faults.join("+")}` : "reference",
    contractVersion: ADAPTER_CONTRACT_VERSION,
    // Scenarios are independent in-process objects; two at once keeps esbuild's process busy
    // while this one evaluates and probes.
    concurrentScenarios: 2,
    async runtime() {
      return {
        name: "reference",
        version: REFERENCE_VERSION,
        details: { node: process.version, ...(faults.length && { faults: faults.join(",") }) },
      };
    },
    async start(scenario) {
      // What worker code does wrong off the call path is the tests' business, not the suite's output.
      return startScenario(scenario.workers, { faults, onLog: () => {} });
    },
  };
}
