/**
 * What `kubectl port-forward` does, for natskube's own NATS clients: a listener on 127.0.0.1 whose
 * every connection is carried to a pod's port through the API server (pods/portforward), so that
 * natskube reaches servers wherever it runs, with only the kubeconfig's access.
 */
import { createServer, type Socket } from "node:net";
import { Writable, type Readable } from "node:stream";

/** The WebSocket a port-forward runs on, as far as it is used here. */
interface ForwardSocket {
  on(event: "close", listener: () => void): unknown;
  on(event: "error", listener: (e: Error) => void): unknown;
  close(): void;
}

/** The official client's PortForward, which client.ts (the one file that imports the client) hands in. */
export interface PortForwarder {
  portForward(namespace: string, pod: string, ports: number[], output: Writable, err: Writable | null, input: Readable): Promise<ForwardSocket | (() => ForwardSocket | null)>;
}

export interface LocalForward {
  /** `nats://127.0.0.1:PORT`-style address of the local end. */
  host: string;
  port: number;
  /** What went wrong on a forwarded connection (the API server's or the pod's words), the last few. */
  errors(): string[];
  close(): Promise<void>;
}

const KEEP_ERRORS = 5;

export async function forwardPort(pf: PortForwarder, namespace: string, pod: string, port: number): Promise<LocalForward> {
  const sockets = new Set<Socket>();
  const errors: string[] = [];
  const note = (message: string) => {
    errors.push(`${namespace}/${pod}:${port}: ${message}`);
    if (errors.length > KEEP_ERRORS) errors.shift();
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    // The port's error channel: the pod side refused or lost the connection. Its first frame carries
    // only the port number, which the client strips, leaving an empty write.
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (chunk.length === 0) return done();
        note(chunk.toString("utf8").trim());
        socket.destroy();
        done();
      },
    });
    pf.portForward(namespace, pod, [port], socket, stderr, socket).then(
      (ws) => {
        const w = typeof ws === "function" ? ws() : ws;
        if (!w) return socket.destroy();
        w.on("close", () => socket.end());
        w.on("error", (e: Error) => {
          note(e.message);
          socket.destroy();
        });
        socket.on("close", () => w.close());
      },
      (e: unknown) => {
        note(describeError(e));
        socket.destroy();
      },
    );
  });
  await new Promise<void>((done, fail) => server.once("error", fail).listen(0, "127.0.0.1", () => done()));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the local end of the port-forward has no TCP address");
  return {
    host: "127.0.0.1",
    port: address.port,
    errors: () => [...errors],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** The client rejects with an Error, or with the WebSocket's error event (its `message`, or its `error`). */
function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  const o = e as { message?: unknown; error?: unknown } | undefined;
  if (typeof o?.message === "string" && o.message) return o.message;
  if (o?.error instanceof Error) return o.error.message;
  return String(e);
}
