export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const username = url.searchParams.get("username") ?? "aNewUser";
    try {
      if (url.pathname === "/") {
        await env.ADMIN.createUser("aNewUser");
        return new Response("User created.\n");
      }
      if (url.pathname === "/users/create") return Response.json(await env.ADMIN.createUser(username));
      if (url.pathname === "/users/delete") return Response.json(await env.ADMIN.deleteUser(username));
      return new Response("not found\n", { status: 404 });
    } catch (error) {
      // e.g. a second user with the same name: the database's refusal, passed on.
      return Response.json({ error: error.message }, { status: 409 });
    }
  },
};
