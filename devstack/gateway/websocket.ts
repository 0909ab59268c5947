/**
 * WebSocket routes through the gateway (Kong proxies Realtime's upgrade to its upstream): the
 * upstream socket is opened first, so an upstream refusal (403 for a bad apikey) reaches the
 * client as a failed handshake, and an upstream that cannot be reached answers 502 as Kong does
 * for any route; then frames, text and binary, are relayed both ways and a close on either side
 * closes the other.
 */

const CONNECT_TIMEOUT_MS = 5000;

/** Whether anything listens at the upstream's address (a WebSocket error does not say which). */
async function reachable(upstreamUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(upstreamUrl);
  try {
    const connection = await Deno.connect({ hostname, port: Number(port) || 80 });
    connection.close();
    return true;
  } catch {
    return false;
  }
}

export async function relayWebSocket(request: Request, upstreamUrl: string): Promise<Response> {
  const upstream = new WebSocket(upstreamUrl.replace(/^http/, "ws"));
  upstream.binaryType = "arraybuffer";
  const opened = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS);
    upstream.onopen = () => {
      clearTimeout(timer);
      resolve(true);
    };
    upstream.onerror = () => {
      clearTimeout(timer);
      resolve(false);
    };
  });
  if (!opened) {
    try {
      upstream.close();
    } catch { /* already closed */ }
    if (!(await reachable(upstreamUrl))) {
      return Response.json(
        { message: "An invalid response was received from the upstream server" },
        { status: 502 },
      );
    }
    return Response.json({ message: "Realtime refused the connection" }, { status: 403 });
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.binaryType = "arraybuffer";
  const pending: (string | ArrayBuffer)[] = [];
  socket.onopen = () => {
    for (const data of pending.splice(0)) upstream.send(data);
  };
  socket.onmessage = (event) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.send(event.data);
    else pending.push(event.data);
  };
  upstream.onmessage = (event) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(event.data);
  };
  // The client hears the upstream's close code (1001 when Realtime shuts down: realtime-js then
  // reconnects; 1000 would tell it the close was meant); codes that cannot be sent become 1011.
  const unsendable = [1005, 1006, 1015];
  const closeClient = (code: number, reason: string) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.close(unsendable.includes(code) ? 1011 : code, reason);
  };
  // A WebSocket client may only send 1000 or 3000-4999.
  const closeUpstream = (code: number, reason: string) => {
    if (upstream.readyState !== WebSocket.OPEN) return;
    upstream.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, reason);
  };
  socket.onclose = (event) => closeUpstream(event.code, event.reason);
  upstream.onclose = (event) => closeClient(event.code, event.reason);
  socket.onerror = () => closeUpstream(1000, "");
  upstream.onerror = () => closeClient(1011, "");
  return response;
}
