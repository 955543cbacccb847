/** A token written as is: env references (`$NATS_TOKEN`) and sizes (`45Gi`). */
export interface Raw {
  raw: string;
}
export type ConfValue = string | number | boolean | Raw | ConfValue[] | ConfBlock;
export interface ConfBlock {
  [key: string]: ConfValue | undefined;
}

export const raw = (text: string): Raw => ({ raw: text });
/** An environment reference; unquoted, because nats-server takes a quoted "$VAR" literally. */
export const env = (name: string): Raw => raw(`$${name}`);

export function isRaw(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as Raw).raw === "string";
}
