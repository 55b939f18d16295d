import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferTarget } from '../../../../core/contracts/directory';
import { api } from '../../api/client';
import { ErrorNotice, Loading } from '../../components/notice';
import '../cases/one-stop.css';

/** What a typed query matches: name, title, department, extension or number (digits compared without separators). */
function matches(target: TransferTarget, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const digits = q.replace(/\D/g, '');
  const text = [target.name, target.title ?? '', target.departmentName ?? ''].join(' ').toLowerCase();
  return text.includes(q) || (digits.length > 0 && target.target.replace(/\D/g, '').includes(digits));
}

/**
 * 호 전환 target from the directory (issue #11 §3): a search box over the officials' extensions (with presence) and
 * the departments' numbers, as a combobox: ↑/↓ move, Enter chooses, the list is the only source (the server refuses
 * anything else with TRANSFER_TARGET_UNKNOWN).
 */
export function TransferTargetPicker({ value, onChange }: { value: TransferTarget | null; onChange: (target: TransferTarget | null) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const targets = useQuery({
    queryKey: ['directory', 'transfer-targets'],
    queryFn: () => api<{ items: TransferTarget[] }>('/api/directory/transfer-targets'),
    staleTime: 30_000,
  });
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const shown = useMemo(() => (targets.data?.items ?? []).filter((i) => matches(i, query)).slice(0, 50), [targets.data, query]);
  const optionId = (i: number) => `${id}-option-${i}`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (shown.length === 0 ? 0 : (a + step + shown.length) % shown.length));
    } else if (e.key === 'Enter') {
      const chosen = shown[active];
      if (chosen) {
        e.preventDefault();
        onChange(chosen);
      }
    }
  };

  return (
    <div className="target-picker">
      <label className="field-label" htmlFor={`${id}-search`}>
        {t('oneStop.blindTransfer.target')}
      </label>
      <input
        id={`${id}-search`}
        role="combobox"
        aria-expanded="true"
        aria-controls={`${id}-list`}
        aria-activedescendant={shown[active] ? optionId(active) : undefined}
        aria-autocomplete="list"
        autoComplete="off"
        value={query}
        placeholder={t('oneStop.blindTransfer.search')}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {targets.isPending && <Loading />}
      <ErrorNotice error={targets.error} onRetry={() => void targets.refetch()} />
      {targets.data && shown.length === 0 && <p className="field-hint">{t('oneStop.blindTransfer.none')}</p>}
      <ul id={`${id}-list`} role="listbox" aria-label={t('oneStop.blindTransfer.target')} className="target-picker__list" hidden={shown.length === 0}>
        {shown.map((target, i) => {
          const isBusy = target.presence !== null && !target.presence.reachable;
          return (
            <li
              key={`${target.kind}:${target.target}`}
              id={optionId(i)}
              role="option"
              aria-selected={value?.target === target.target}
              className={`target-picker__option${i === active ? ' is-active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setActive(i);
                onChange(target);
              }}
            >
              <span className="target-picker__name">
                {target.name}
                {target.title && <span className="muted"> {target.title}</span>}
              </span>
              <span className="target-picker__dial">{target.target}</span>
              <span className={`target-picker__sub${isBusy ? ' target-picker__sub--busy' : ''}`}>
                {target.kind === 'department'
                  ? t('oneStop.blindTransfer.department')
                  : `${target.departmentName ?? ''}${target.presence ? ` · ${t(`directory.state.${target.presence.state}`)}` : ''}`}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="field-hint" aria-live="polite">
        {value ? t('oneStop.blindTransfer.chosen', { name: value.name, target: value.target }) : t('oneStop.blindTransfer.choose')}
      </p>
    </div>
  );
}
