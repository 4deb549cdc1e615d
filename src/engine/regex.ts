const cache = new Map<string, RegExp>();

/** Rules share patterns; compile each pattern/flags pair once per process. */
export function compileRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(source, flags);
    cache.set(key, re);
  }
  return re;
}
