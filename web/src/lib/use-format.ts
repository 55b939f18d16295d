import { josa } from 'es-hangul';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplaintType } from '../../../core/contracts/enums';
import { deadlineRuleFor } from '../../../core/domain/deadlines';
import { formatDate, formatDateTime, formatShortDateTime, formatTime, splitSpan } from './format';

/** Date, span and deadline formatting bound to the current language. */
export function useFormat() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ko';

  const span = (ms: number): string => {
    const { days, hours, minutes } = splitSpan(ms);
    const parts: string[] = [];
    if (days > 0) parts.push(t('time.days', { count: days }));
    if (hours > 0) parts.push(t('time.hours', { count: hours }));
    if (days === 0 && minutes > 0) parts.push(t('time.minutes', { count: minutes }));
    return parts.length > 0 ? parts.slice(0, 2).join(' ') : t('time.lessThanMinute');
  };

  // 즉시 is three working hours by law (민원처리법 시행령 제16조); longer hour rules are shown as hours. Kept inside the
  // hook: a `t` passed around as ReturnType<typeof useTranslation>['t'] makes TypeScript expand every key (TS2589).
  const deadlineText = (type: ComplaintType, deadlineDays: number | null): string => {
    const rule = deadlineRuleFor(type, deadlineDays);
    if (rule.unit === 'days') return t('deadline.days', { count: rule.amount });
    return rule.amount <= 3 ? t('deadline.immediate') : t('deadline.hours', { count: rule.amount });
  };

  return {
    lang,
    dateTime: (v: string | null | undefined) => formatDateTime(v, lang),
    date: (v: string | null | undefined) => formatDate(v, lang),
    time: (v: string | null | undefined) => formatTime(v, lang),
    short: (v: string | null | undefined) => formatShortDateTime(v, lang),
    /** "3시간 20분 남음" / "1일 2시간 초과" */
    remaining: (dueAt: string, now: Date) => {
      const ms = new Date(dueAt).getTime() - now.getTime();
      return ms < 0 ? t('time.overdueBy', { span: span(ms) }) : t('time.dueIn', { span: span(ms) });
    },
    /** "질의민원 7일", "법정민원 즉시" */
    complaintType: (type: ComplaintType | null | undefined, withDeadline = true, deadlineDays: number | null = null): string => {
      if (!type) return '';
      const name = t(`complaintType.${type}`);
      if (!withDeadline) return name;
      return lang === 'en' ? `${name}, ${deadlineText(type, deadlineDays)}` : `${name} ${deadlineText(type, deadlineDays)}`;
    },
    deadline: (type: ComplaintType, deadlineDays: number | null = null) => deadlineText(type, deadlineDays),
    /** "상하수도사업소로", "민원여권과로": the department with the right particle for "(으)로". */
    to: (word: string) => (word ? josa(word, '으로/로') : word),
  };
}

/** The current time, refreshed every `everyMs` so deadlines turn red while the screen is open. */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}
