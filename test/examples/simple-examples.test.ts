/**
 * The docs' three small service-binding examples, written anew under reference/examples/, answer
 * the same on the reference as on workerd: add(a, b), a greeter reading [vars], and a signup whose
 * welcome message is left to ctx.waitUntil.
 */
import { expect } from "chai";
import { loadExample, startBoth, type BothRuntimes } from "./helpers.ts";

describe("examples: calculator, greeter, signup on the reference and on workerd", function () {
  let both: BothRuntimes;

  before(async function () {
    const definitions = [
      ...(await loadExample("calculator", ["caller", "adder"])),
      ...(await loadExample("greeter", ["front", "greeter"])),
      ...(await loadExample("signup", ["front", "accounts"])),
    ];
    both = await startBoth(definitions); // one Miniflare for the whole file
  });
  after(async () => both?.dispose());

  it("calculator: GET /?a=2&b=3 is the same sum, as a number, on both", async function () {
    for (const query of ["/?a=2&b=3", "/?a=-1.5&b=0.25", "/", "/?a=9007199254740991&b=1"]) {
      const { reference, workerd } = await both.ask("calculator-caller", query);
      expect(reference, query).to.deep.equal(workerd);
    }
  });

  it("calculator: the adder's own fetch answers the same 404", async function () {
    const { reference, workerd } = await both.ask("calculator-adder", "/");
    expect(reference).to.deep.equal(workerd);
  });

  it("greeter: the greeting comes from the greeter's [vars], not the caller's", async function () {
    const { reference, workerd } = await both.ask("greeter-front", "/?name=Ada");
    expect(workerd.body).to.equal("Bonjour, Ada!");
    expect(reference).to.deep.equal(workerd);
  });

  it("signup: answers before the welcome is sent, and waitUntil sends it afterwards", async function () {
    const first = await both.ask("signup-front", "/signup?email=ada@example.com", { method: "POST" });
    expect(first.reference).to.deep.equal(first.workerd);
    // The welcome is sent 20 ms later, by work the runtime keeps alive after the answer.
    const deadline = Date.now() + 5000;
    let sent = await both.ask("signup-front", "/sent");
    while ((sent.reference.body === "[]" || sent.workerd.body === "[]") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      sent = await both.ask("signup-front", "/sent");
    }
    expect(sent.workerd.body).to.equal(JSON.stringify(["welcome, ada@example.com"]));
    expect(sent.reference).to.deep.equal(sent.workerd);
  });
});
