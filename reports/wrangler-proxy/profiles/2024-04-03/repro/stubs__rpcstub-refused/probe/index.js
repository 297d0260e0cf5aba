import { RpcTarget } from "cloudflare:workers";
import { observe, respond, input } from "./harness.js";
import { RpcStub } from "cloudflare:workers";
export default {
  async fetch(request, env, ctx) {
    try {

      let outcome;
      try { const s = new RpcStub(new Map(input("{\"$\":\"array\",\"id\":1,\"length\":0,\"items\":[]}"))); outcome = { made: typeof s }; } catch (error) { outcome = { threw: error }; }
      return respond(outcome);
    } catch (error) {
      return respond({ probeThrew: error });
    }
  },
};