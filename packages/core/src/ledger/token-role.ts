/** Who produced a token. Stored as a small integer in the ledger. */
export type TokenRole = 'system' | 'user' | 'assistant' | 'other';

/** The token roles in code order (`system`, `user`, `assistant`, `other`): a role's code is its index. */
export const tokenRoles: readonly TokenRole[] = ['system', 'user', 'assistant', 'other'];

export function roleCode(role: TokenRole): number {
  const code = tokenRoles.indexOf(role);
  if (code < 0) throw new RangeError(`unknown role ${String(role)}`);
  return code;
}

export function roleName(code: number): TokenRole {
  return tokenRoles[code] ?? 'other';
}
