import { NATS_BOX_IMAGE } from "../spec/schema/access.js";
import { RELOADER_IMAGE } from "../spec/schema/images.js";
import { EXPORTER_IMAGE } from "../spec/schema/monitoring.js";
import { NACK_IMAGE } from "../spec/schema/nack.js";
import { NATS_IMAGE } from "../spec/schema/resource.js";
import type { Spec } from "../spec/types.js";

type Image = { repository: string; tag: string };

export const imageRef = (img: Image) => `${img.repository}:${img.tag}`;

/**
 * The image a container runs. With `registry` set, a default repository becomes `<registry>/<repository>` as
 * Docker Hub short names spell it (nats -> <registry>/nats, natsio/nats-box -> <registry>/natsio/nats-box),
 * as the chart's global.image.registry does; a repository other than the default is used as written.
 */
export function resolveImage(img: Image, defaults: Image, registry: string | undefined): string {
  const repository = registry && img.repository === defaults.repository ? `${registry}/${img.repository}` : img.repository;
  return `${repository}:${img.tag}`;
}

export interface ModelImages {
  nats: string;
  reloader: string;
  natsBox: string;
  exporter: string;
  nack: string;
  /** On every pod natskube renders, each Secret once, in the order written. */
  pullSecrets: { name: string }[];
}

export function modelImages(spec: Spec): ModelImages {
  const r = spec.imageRegistry;
  return {
    nats: resolveImage(spec.image, NATS_IMAGE, r),
    reloader: resolveImage(spec.reloader.image, RELOADER_IMAGE, r),
    natsBox: resolveImage(spec.natsBox.image, NATS_BOX_IMAGE, r),
    exporter: resolveImage(spec.monitoring.image, EXPORTER_IMAGE, r),
    nack: resolveImage(spec.nack.image, NACK_IMAGE, r),
    pullSecrets: [...new Set(spec.imagePullSecrets)].map((name) => ({ name })),
  };
}

/** `imagePullSecrets` for a pod spec: nothing when none are set, so defaults render the same bytes. */
export const pullSecrets = (images: ModelImages) => (images.pullSecrets.length ? { imagePullSecrets: images.pullSecrets } : {});

/** The version label: the tag without its variant (`2.14.2-alpine` -> `2.14.2`), label-safe. */
export function versionLabel(tag: string): string {
  const v = tag.replace(/^v/, "").split("-")[0] ?? tag;
  return v.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 63) || "unknown";
}
