import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../api/queries';
import { kstDateTimeLocal } from '../lib/kst-day';
import { useNow } from '../lib/use-format';

const TILES = 120;

/** The KST minute of a moment, as staff read it: 2026-11-27 10:05. */
function kstMinute(at: Date): string {
  return kstDateTimeLocal(at).replace('T', ' ');
}

/**
 * 화면 워터마크 (issue 3 layer 4; 안전성 확보조치 기준 제12조): the signed-in user's login and the current minute,
 * repeated faintly across the whole screen, so that a photo or capture of a screen with citizens' data shows who took
 * it and when. It never takes a click or a selection (pointer-events: none, user-select: none) and is hidden from
 * screen readers; it updates as the minute changes.
 */
export function Watermark() {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow(15_000);
  const minute = kstMinute(now);
  const login = me.data?.login;
  const label = useMemo(() => (login ? t('privacy.watermark', { login, time: minute }) : ''), [login, minute, t]);
  if (!login) return null;
  return (
    <div
      className="watermark"
      aria-hidden="true"
      data-watermark={label}
      style={{ position: 'fixed', inset: 0, overflow: 'hidden', pointerEvents: 'none', userSelect: 'none', WebkitUserSelect: 'none', zIndex: 2147483000 }}
    >
      <div
        style={{
          position: 'absolute',
          top: '-50%',
          left: '-50%',
          width: '200%',
          height: '200%',
          display: 'flex',
          flexWrap: 'wrap',
          alignContent: 'flex-start',
          gap: '88px 120px',
          padding: '40px',
          transform: 'rotate(-24deg)',
          color: 'rgba(30, 41, 59, 0.085)',
          font: '600 14px/1.2 system-ui, sans-serif',
          whiteSpace: 'nowrap',
        }}
      >
        {Array.from({ length: TILES }, (_, i) => (
          <span key={i}>{label}</span>
        ))}
      </div>
    </div>
  );
}
