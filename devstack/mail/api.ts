import { Hono } from "hono";
import { z } from "zod";
import { inboxPage, messagePage, notFoundPage } from "./inbox.ts";
import { detailOf, type MailStore, type StoredMessage, summaryOf } from "./store.ts";

const Paging = z.object({
  limit: z.coerce.number().int().min(1).default(50),
  start: z.coerce.number().int().min(0).default(0),
});

const DeleteBody = z.object({ IDs: z.array(z.string()).optional() });

/** Mailpit's list envelope for a page of messages. */
function listing(all: StoredMessage[], total: number, paging: z.infer<typeof Paging>) {
  const page = all.slice(paging.start, paging.start + paging.limit);
  return {
    total,
    unread: all.filter((m) => !m.Read).length,
    count: page.length,
    messages_count: all.length,
    messages_unread: all.filter((m) => !m.Read).length,
    start: paging.start,
    tags: [] as string[],
    messages: page.map(summaryOf),
  };
}

/** The subset of Mailpit's HTTP API (/api/v1) the tests use, plus the human inbox pages. */
export function createMailApp(store: MailStore) {
  const app = new Hono();

  app.get("/api/v1/messages", (c) => {
    const paging = Paging.safeParse(c.req.query());
    if (!paging.success) return c.json({ error: paging.error.issues[0].message }, 400);
    const all = store.list();
    return c.json(listing(all, all.length, paging.data));
  });

  app.delete("/api/v1/messages", async (c) => {
    const text = await c.req.text();
    let ids: string[] | undefined;
    if (text.trim() !== "") {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return c.text("invalid JSON body", 400);
      }
      const body = DeleteBody.safeParse(json);
      if (!body.success) return c.text('body must be {"IDs": ["..."]}', 400);
      ids = body.data.IDs?.length ? body.data.IDs : undefined;
    }
    store.delete(ids);
    return c.text("ok");
  });

  app.get("/api/v1/search", (c) => {
    const query = c.req.query("query");
    if (!query) return c.text("no search query", 400);
    const paging = Paging.safeParse(c.req.query());
    if (!paging.success) return c.json({ error: paging.error.issues[0].message }, 400);
    const found = store.search(query);
    return c.json(listing(found, store.list().length, paging.data));
  });

  app.get("/api/v1/message/:id", (c) => {
    const message = store.get(c.req.param("id"));
    if (!message) return c.text("message not found", 404);
    message.Read = true;
    return c.json(detailOf(message));
  });

  app.get("/api/v1/message/:id/raw", (c) => {
    const message = store.get(c.req.param("id"));
    if (!message) return c.text("message not found", 404);
    return c.body(new TextDecoder().decode(message.raw), 200, {
      "content-type": "text/plain; charset=utf-8",
    });
  });

  app.get("/", (c) => c.html(inboxPage(store.list())));
  app.get("/view/:id", (c) => {
    const message = store.get(c.req.param("id"));
    if (!message) return c.html(notFoundPage(), 404);
    message.Read = true;
    return c.html(messagePage(message));
  });

  app.notFound((c) => c.json({ error: "not found" }, 404));
  return app;
}
