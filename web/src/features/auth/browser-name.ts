/** A short browser and system name from a user-agent string, for the session list ("Chrome · Windows"). */
export function browserName(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /Whale\//.test(userAgent) ? 'Whale'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Chrome\/|Chromium\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : null;
  const system =
    /Windows/.test(userAgent) ? 'Windows'
    : /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad/.test(userAgent) ? 'iOS'
    : /Mac OS X/.test(userAgent) ? 'macOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : null;
  const parts = [browser, system].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : userAgent.slice(0, 40);
}
