export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const user = Number(url.searchParams.get("user"));
    try {
      if (url.pathname === "/tasks") return Response.json(await env.TASKS.getTasks(user));
      if (url.pathname === "/tasks/create") return Response.json(await env.TASKS.createTask(user, url.searchParams.get("title") ?? "untitled"));
      return new Response("not found\n", { status: 404 });
    } catch (error) {
      return Response.json({ error: error.message }, { status: 409 });
    }
  },
};
