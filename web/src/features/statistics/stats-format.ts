/** Figures as the statistics screens show them: rates in %, durations as m:ss, counts with separators. */

const DASH = '–';

/** 0.8123 → "81.2%" (null → "–"). */
export function pct(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? DASH : `${(rate * 100).toFixed(digits)}%`;
}

/** 1234 → "1,234". */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? DASH : n.toLocaleString('ko-KR');
}

/** Seconds as m:ss (272.4 → "4:32"), the call centre's way of writing AHT and ASA; an hour or more as h:mm:ss. */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Hours with one decimal (null → "–"). */
export function hours(h: number | null | undefined): string {
  return h === null || h === undefined ? DASH : (Math.round(h * 10) / 10).toFixed(1);
}

/** A change against the previous period: +12.5% / −3.0% / "–" when there was nothing before. */
export function change(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return DASH;
  const v = (rate * 100).toFixed(1);
  return rate > 0 ? `+${v}%` : rate < 0 ? `−${v.slice(1)}%` : '0.0%';
}

/** "2026-11-01 ~ 2026-11-30", or the one day. */
export function periodText(p: { fromDay: string; toDay: string }): string {
  return p.fromDay === p.toDay ? p.fromDay : `${p.fromDay} ~ ${p.toDay}`;
}
