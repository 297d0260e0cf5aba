export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/signup") return Response.json(await env.ACCOUNTS.signup(url.searchParams.get("email") ?? "someone@example.com"));
    if (url.pathname === "/sent") return Response.json(await env.ACCOUNTS.sent());
    return new Response("POST /signup?email=… or GET /sent\n", { status: 404 });
  },
};
