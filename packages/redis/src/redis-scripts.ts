/**
 * The Lua scripts (each runs atomically on the server). KEYS and ARGV are listed on each.
 */

/**
 * Switches a session to a new snapshot. KEYS: manifest, fence. ARGV: generation, chunk count, byte
 * length, fence ('' = unfenced). Refuses with `SIRLLM_STALE <newest fence>` when a newer lease exists;
 * returns the old generation and chunk count (nils when there was none).
 */
export const switchManifest = `
if ARGV[4] ~= '' then
  local newest = tonumber(redis.call('GET', KEYS[2]) or '0')
  if newest > tonumber(ARGV[4]) then
    return redis.error_reply('SIRLLM_STALE ' .. newest)
  end
end
local old = redis.call('HMGET', KEYS[1], 'generation', 'chunks')
redis.call('HSET', KEYS[1], 'generation', ARGV[1], 'chunks', ARGV[2], 'length', ARGV[3])
return old
`;

/** Removes a session's manifest. KEYS: manifest. Returns the old generation and chunk count. */
export const removeManifest = `
local old = redis.call('HMGET', KEYS[1], 'generation', 'chunks')
redis.call('DEL', KEYS[1])
return old
`;

/**
 * Takes a lease if nobody holds it. KEYS: lease, fence. ARGV: token, lease time (ms). Returns the new
 * fence, or nil when the lease is held.
 */
export const acquireLease = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false
`;

/** Extends a lease held with this token. KEYS: lease. ARGV: token, lease time (ms). Returns 1 or 0. */
export const renewLease = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** Deletes a lease held with this token (not another holder's). KEYS: lease. ARGV: token. */
export const releaseLease = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
