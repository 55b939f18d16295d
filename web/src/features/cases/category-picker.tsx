import { useEffect, useId, useMemo, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../../core/contracts/org';
import { filterCategories, toCategoryOptions, type CategoryOption } from '../../lib/category-match';
import { useFormat } from '../../lib/use-format';

/**
 * 상담 분류: a searchable combobox (WAI-ARIA combobox with a listbox popup) over the 분야 > 업무 > 세부 paths.
 * Type "누수" or "자동차세", move with ↑↓, pick with Enter. Only tasks and details (levels 2-3) are offered.
 * Enter while the Korean IME is still composing only commits the syllable; it does not pick.
 */
export function CategoryPicker({
  categories,
  value,
  onChange,
  inputRef,
  invalid,
  describedBy,
}: {
  categories: readonly Category[];
  value: Category | null;
  onChange: (category: Category | null) => void;
  inputRef: Ref<HTMLInputElement>;
  invalid: boolean;
  describedBy?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const id = useId();
  const listId = `${id}-list`;
  const options = useMemo(() => toCategoryOptions(categories), [categories]);
  // The input shows the chosen path; typing starts a new search. (The form remounts the picker to reset it.)
  const [query, setQuery] = useState(value?.path ?? '');
  const [isOpen, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const matches = useMemo(() => filterCategories(options, query), [options, query]);
  const activeOption = matches[active];

  useEffect(() => {
    if (!isOpen) return;
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active, isOpen]);

  const pick = (option: CategoryOption) => {
    const { compactPath: _p, compactName: _n, choseongPath: _c, ...category } = option;
    onChange(category);
    setQuery(category.path);
    setOpen(false);
  };

  return (
    <div className="combo">
      <div className="combo__control">
        <input
          id="case-category"
          ref={inputRef}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-expanded={isOpen}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={isOpen && activeOption ? `${id}-opt-${activeOption.id}` : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          aria-keyshortcuts="Alt+C"
          placeholder={t('caseForm.categoryPlaceholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
            setOpen(true);
            if (value) onChange(null);
          }}
          onFocus={(e) => {
            if (value) e.target.select();
          }}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              if (!isOpen) {
                setOpen(true);
                return;
              }
              const step = e.key === 'ArrowDown' ? 1 : -1;
              setActive((a) => Math.max(0, Math.min(matches.length - 1, a + step)));
            } else if (e.key === 'PageDown' || e.key === 'PageUp') {
              if (!isOpen) return;
              e.preventDefault();
              const step = e.key === 'PageDown' ? 8 : -8;
              setActive((a) => Math.max(0, Math.min(matches.length - 1, a + step)));
            } else if (e.key === 'Enter') {
              if (e.nativeEvent.isComposing || e.ctrlKey || e.metaKey) return;
              if (isOpen && activeOption) {
                e.preventDefault();
                pick(activeOption);
              }
            } else if (e.key === 'Escape') {
              if (isOpen) {
                e.preventDefault();
                e.stopPropagation();
                setOpen(false);
              }
            }
          }}
        />
        {value && (
          <button
            type="button"
            className="combo__clear"
            aria-label={t('caseForm.clearCategory')}
            onClick={() => {
              onChange(null);
              setQuery('');
            }}
          >
            <span aria-hidden="true">✕</span>
          </button>
        )}
      </div>
      <ul id={listId} ref={listRef} role="listbox" aria-label={t('caseForm.category')} className="combo__list" hidden={!isOpen}>
        {matches.length === 0 ? (
          <li className="combo__empty" role="presentation">
            {t('caseForm.categoryNoMatch')}
          </li>
        ) : (
          matches.map((o, i) => {
            const segments = o.path.split(' > ');
            const last = segments.pop();
            return (
              <li
                key={o.id}
                id={`${id}-opt-${o.id}`}
                role="option"
                aria-selected={i === active}
                data-index={i}
                className={`combo__option${i === active ? ' is-active' : ''}${value?.id === o.id ? ' is-chosen' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => setActive(i)}
                onClick={() => pick(o)}
              >
                <span className="combo__path">
                  {segments.length > 0 && <span className="combo__parents">{segments.join(' › ')} › </span>}
                  <strong>{last}</strong>
                </span>
                <span className="combo__meta">
                  {o.departmentName}
                  {o.complaintType && <> · {f.complaintType(o.complaintType, true, o.deadlineDays)}</>}
                </span>
              </li>
            );
          })
        )}
      </ul>
    </div>
  );
}
