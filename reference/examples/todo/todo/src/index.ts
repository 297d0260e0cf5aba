import { WorkerEntrypoint } from "cloudflare:workers";

// The few D1 types this worker uses (the full set lives in @cloudflare/workers-types).
interface D1Result<Row> {
  results: Row[];
  meta: { changes: number; last_row_id: number };
}
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  first<Row>(): Promise<Row | null>;
  all<Row>(): Promise<D1Result<Row>>;
  run(): Promise<D1Result<never>>;
}
interface Env {
  D1: { prepare(query: string): D1PreparedStatement };
}

interface User {
  id: number;
  username: string;
}
interface Task {
  id: number;
  title: string;
  done: number;
}

/** For the admin front end only: account management. */
export class AdminEntrypoint extends WorkerEntrypoint<Env> {
  async createUser(username: string): Promise<User> {
    const user = await this.env.D1.prepare("INSERT INTO users (username) VALUES (?) RETURNING id, username").bind(username).first<User>();
    return user!;
  }

  /** Removes the user and, by the schema's cascade, their tasks. */
  async deleteUser(username: string): Promise<{ deleted: number }> {
    const result = await this.env.D1.prepare("DELETE FROM users WHERE username = ?").bind(username).run();
    return { deleted: result.meta.changes };
  }
}

/** For the user-facing front end: one user's tasks. */
export class UserEntrypoint extends WorkerEntrypoint<Env> {
  async getTasks(userId: number): Promise<Task[]> {
    const { results } = await this.env.D1.prepare("SELECT id, title, done FROM tasks WHERE user_id = ? ORDER BY id").bind(userId).all<Task>();
    return results;
  }

  async createTask(userId: number, title: string): Promise<Task> {
    const task = await this.env.D1.prepare("INSERT INTO tasks (user_id, title) VALUES (?, ?) RETURNING id, title, done").bind(userId, title).first<Task>();
    return task!;
  }
}

export default {
  async fetch(): Promise<Response> {
    return new Response("todo: reach it through AdminEntrypoint or UserEntrypoint\n", { status: 404 });
  },
};
