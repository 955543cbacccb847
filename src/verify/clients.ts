import { connect, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";
import type { ClientAuth } from "./local-plan.js";
import type { ClientTls } from "./tls-files.js";

/** How verify's own clients reach the cluster; connect() adds credentials and TLS. */
export interface ClientAccess {
  auth: ClientAuth;
  tls?: ClientTls;
  timeoutMs: number;
}

export function credentials(auth: ClientAuth): Partial<ConnectionOptions> {
  if (auth.mode === "token") return { token: auth.token };
  if (auth.mode === "user") return { user: auth.user, pass: auth.pass };
  return {};
}

/** A client of `servers` with the cluster's credentials (or `override`), over TLS when the cluster uses it. */
export function connectTo(servers: string | string[], access: ClientAccess, override?: Partial<ConnectionOptions>): Promise<NatsConnection> {
  return connect({
    servers,
    timeout: access.timeoutMs,
    // A refused connection must fail the check at once, not retry in the background.
    reconnect: false,
    ...(access.tls ? { tls: { ...access.tls } } : {}),
    ...credentials(access.auth),
    ...override,
  });
}

/** Opens connections and closes them all at the end, whatever happens. */
export class ConnectionPool {
  private readonly open = new Set<NatsConnection>();

  async add(nc: Promise<NatsConnection>): Promise<NatsConnection> {
    const c = await nc;
    this.open.add(c);
    return c;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.open].map((c) => c.close()));
    this.open.clear();
  }
}
