import type { PathSegment } from "../../diagnostics/diagnostic.js";
import { defineRule } from "../rule.js";

/** A tag names one release when it carries a full x.y.z version (variants such as -alpine are fine). */
const PINNED = /(^|[^0-9.])v?\d+\.\d+\.\d+([^0-9.]|$)/;

export function unpinnedReason(tag: string): string | undefined {
  if (tag === "latest") return "`latest` moves with every release";
  if (!PINNED.test(tag)) return /\d/.test(tag) ? "it names no full x.y.z version, so it moves with patch or minor releases" : "it names no version and moves with every release";
  return undefined;
}

export const unpinnedImage = defineRule({
  id: "unpinned-image",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "image", "tag"],
  title: "An image tag that is `latest` or names no full version",
  why:
    "A moving tag is resolved whenever a pod starts: a rescheduled pod can run a newer NATS than its peers (a mixed-version " +
    "cluster nobody chose), an upgrade happens without review and cannot be rolled back by reverting the manifest, and " +
    "`render` no longer says what runs. This applies to every image: nats, nats-box, the exporter and NACK.",
  fix: "Use a full version tag, e.g. nats 2.14.2-alpine, and upgrade by changing it.",
  examples: { fail: { spec: { image: { tag: "latest" } } }, pass: { spec: { image: { tag: "2.14.2-alpine" } } } },
  check({ spec }) {
    const images: { what: string; path: PathSegment[]; image: { repository: string; tag: string }; on: boolean }[] = [
      { what: "nats", path: ["spec", "image", "tag"], image: spec.image, on: true },
      { what: "nats-box", path: ["spec", "natsBox", "image", "tag"], image: spec.natsBox.image, on: spec.natsBox.enabled },
      { what: "exporter", path: ["spec", "monitoring", "image", "tag"], image: spec.monitoring.image, on: spec.monitoring.enabled },
      { what: "NACK", path: ["spec", "nack", "image", "tag"], image: spec.nack.image, on: spec.nack.enabled },
    ];
    return images.flatMap(({ what, path, image, on }) => {
      const reason = on ? unpinnedReason(image.tag) : undefined;
      if (!reason) return [];
      return [
        {
          path,
          message: `the ${what} image ${image.repository}:${image.tag} is not pinned: ${reason}; pods restarted later may run a different version`,
          fix: `Set ${path.slice(1).join(".")} to a full version, e.g. ${defaultTag(what)}.`,
        },
      ];
    });
  },
});

function defaultTag(what: string): string {
  return { nats: "2.14.2-alpine", "nats-box": "0.19.7", exporter: "0.20.1", NACK: "0.23.0" }[what] ?? "x.y.z";
}
