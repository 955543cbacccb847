/** Images the official chart 2.14.2 pins, besides the ones the resource lets users choose. */
export const RELOADER_IMAGE = "natsio/nats-server-config-reloader:0.23.0";

export const imageRef = (img: { repository: string; tag: string }) => `${img.repository}:${img.tag}`;

/** The version label: the tag without its variant (`2.14.2-alpine` -> `2.14.2`), label-safe. */
export function versionLabel(tag: string): string {
  const v = tag.replace(/^v/, "").split("-")[0] ?? tag;
  return v.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 63) || "unknown";
}
