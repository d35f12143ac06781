/** Docker clients prefix every path but /_ping with the negotiated API version (`/v1.41/...`). */
export const DOCKER_VERSION_PREFIX = /^\/v1\.\d+(?=\/)/

/** `POST [/v1.NN]/containers/{id}/attach`, the one route that upgrades the connection. */
export const ATTACH_PATH = /^(?:\/v1\.\d+)?\/containers\/([^/]+)\/attach$/

/** Is this request URL (path and query) an attach? The node server routes those upgrades. */
export function isAttachUrl(url: string | undefined): boolean {
  return ATTACH_PATH.test(new URL(url ?? '/', 'http://localhost').pathname)
}
