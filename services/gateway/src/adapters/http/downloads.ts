/**
 * A file a service wrote (a closed month's, settlement's; an audit export, the audit service's) as
 * an HTTP answer: its bytes as the service gave them, its media type (`application/pdf`,
 * `text/plain; charset=Shift_JIS`, `text/csv; charset=UTF-8`...) as the
 * Content-Type, its name in `Content-Disposition: attachment` (RFC 6266, with an RFC 5987
 * `filename*` when the name is not plain ASCII), never cached (`Cache-Control: no-store`: the
 * books' files hold pay and bank transfers), never sniffed as another type.
 */
import type { FastifyReply } from 'fastify';
import { UpstreamContractError } from './views.js';

/** `type/subtype` with optional `; name=value` parameters, in header-safe characters. */
const MEDIA_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9!#$&^_.+-]+=[a-z0-9!#$&^_.+-]+)*$/i;

/** RFC 5987 attr-char: what may stand unencoded in `filename*`. */
const encodeRfc5987 = (value: string): string =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment; filename="<name>"`: the name as a file name (no path: `/` and `\` become `_`, control
 * characters are dropped). A name that is not printable ASCII, or holds `"`, `\` or `%`, gets an ASCII
 * stand-in in `filename` (each such character `_`) and itself in `filename*=UTF-8''...`, which
 * clients that know RFC 5987 prefer.
 */
export const contentDisposition = (fileName: string): string => {
  // eslint-disable-next-line no-control-regex
  const name = fileName.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[/\\]/g, '_');
  if (name.trim() === '') throw new UpstreamContractError('a service answered a file without a name');
  const ascii = name.replace(/[^\x20-\x7e]|["%]/gu, '_');
  return ascii === name
    ? `attachment; filename="${name}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
};

/** A file as a service answers it (settlement's Download, the audit service's Export). */
export interface ServiceFile {
  readonly fileName: string;
  readonly mediaType: string;
  readonly content: Uint8Array;
}

/** Sends a file a service answered: its bytes, media type and file name. */
export const sendDownload = (reply: FastifyReply, file: ServiceFile): FastifyReply => {
  if (!MEDIA_TYPE.test(file.mediaType))
    throw new UpstreamContractError(`a service answered a media type that is none: ${JSON.stringify(file.mediaType)}`);
  return reply
    .code(200)
    .header('content-type', file.mediaType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(file.content));
};
