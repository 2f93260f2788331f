/**
 * DecodeDiagnosticMessage: turns the `EncodedDiagnosticMessage` of a NoPermission error (see
 * `authorize.ts`) back into the structured explanation. Only messages this emulator issued decode.
 */
import { invalidParameter } from '../errors.js';
import { onAccount, type ActionTable } from './action.js';

function decode(encoded: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'AuthAction' in parsed) {
      return parsed;
    }
  } catch {
    // Falls through to the error below.
  }
  throw invalidParameter('EncodedDiagnosticMessage', 'The parameter EncodedDiagnosticMessage is invalid.');
}

export const DIAGNOSTIC_ACTIONS: ActionTable = {
  DecodeDiagnosticMessage: onAccount('ram:DecodeDiagnosticMessage', (ctx) => {
    const message = decode(ctx.params.required('EncodedDiagnosticMessage'));
    return { DecodedDiagnosticMessage: { AuthConditions: [], MatchedPolicies: [], ...message } };
  }),
};
