/**
 * The 403 of a denied request, composed as apiserver's responsewriters.Forbidden does: the message
 * `<resource> ["<name>"] is forbidden: User "<u>" cannot <verb> resource "<r>" in API group "<g>" ...`
 * (`forbidden: User "<u>" cannot <verb> path "<p>"` for non-resource paths), `: <reason>` appended when
 * the authorizer gave one, and details {name, group, kind: resource}.
 */
import { ApiError } from '../errors.js';
import { forbiddenMessage, type RequestAttributes } from './attributes.js';
import type { UserInfo } from './user.js';

export function forbiddenError(user: UserInfo, attributes: RequestAttributes, reason: string): ApiError {
  const why = reason
    ? `${forbiddenMessage(user, attributes)}: ${reason}`
    : forbiddenMessage(user, attributes);
  if (attributes.kind === 'nonResource') return new ApiError(403, 'Forbidden', `forbidden: ${why}`, {});
  const { group, resource, name } = attributes;
  const qualified = group ? `${resource}.${group}` : resource;
  const subject = name ? `${qualified} ${JSON.stringify(name)}` : qualified;
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    name: name || undefined,
    group: group || undefined,
    kind: resource,
  });
}
