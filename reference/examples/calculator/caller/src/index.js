export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const a = Number(url.searchParams.get("a") ?? 1);
    const b = Number(url.searchParams.get("b") ?? 2);
    // Looks like a local call, runs in the other worker.
    const sum = await env.ADDER.add(a, b);
    return Response.json({ a, b, sum, type: typeof sum });
  },
};
