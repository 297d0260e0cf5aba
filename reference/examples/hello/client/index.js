// GET /?name=Ada → "Hello, Ada!" — the greeting itself comes from another worker.
export default {
  async fetch(request, env) {
    const name = new URL(request.url).searchParams.get("name") ?? env.DEFAULT_NAME;
    // A method call on a service binding is an RPC: it runs in the greeter worker, and the
    // returned string is copied back here.
    const greeting = await env.GREETER.greet(name);
    return new Response(`${greeting}\n`, { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};
