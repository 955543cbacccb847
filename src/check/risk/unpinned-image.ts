import type { PathSegment } from "../../diagnostics/diagnostic.js";
import { NATS_BOX_IMAGE } from "../../spec/schema/access.js";
import { RELOADER_IMAGE } from "../../spec/schema/images.js";
import { EXPORTER_IMAGE } from "../../spec/schema/monitoring.js";
import { NACK_IMAGE } from "../../spec/schema/nack.js";
import { NATS_IMAGE } from "../../spec/schema/resource.js";
import { defineRule } from "../risk-rule.js";

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
    "`render` no longer says what runs. This applies to every image: nats, the config reloader, nats-box, the exporter and NACK.",
  fix: `Use a full version tag, e.g. nats ${NATS_IMAGE.tag}, and upgrade by changing it.`,
  examples: { fail: { spec: { image: { tag: "latest" } } }, pass: { spec: { image: { tag: NATS_IMAGE.tag } } } },
  check({ spec }) {
    const images: { what: string; path: PathSegment[]; image: { repository: string; tag: string }; on: boolean }[] = [
      { what: "nats", path: ["spec", "image", "tag"], image: spec.image, on: true },
      { what: "reloader", path: ["spec", "reloader", "image", "tag"], image: spec.reloader.image, on: true },
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

/** The default tags the schema gives each image. */
function defaultTag(what: string): string {
  return { nats: NATS_IMAGE.tag, reloader: RELOADER_IMAGE.tag, "nats-box": NATS_BOX_IMAGE.tag, exporter: EXPORTER_IMAGE.tag, NACK: NACK_IMAGE.tag }[what] ?? "x.y.z";
}
