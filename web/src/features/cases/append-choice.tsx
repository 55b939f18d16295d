import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../../../core/contracts/cases';
import { useFormat } from '../../lib/use-format';
import { ChaseMark } from './handoff-chase';
import './one-stop.css';

/**
 * 추가 민원 / 독촉 on the desk: the caller's hand-offs in progress as radio choices beside "새로 이관". Choosing one
 * makes the hand-off button add this call to it (the department is told, the chase counted, no duplicate).
 */
export function AppendChoice({ openHandOffs, value, onChange }: { openHandOffs: readonly CaseSummary[]; value: string | null; onChange: (handOffId: string | null) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const choices = openHandOffs.filter((c) => c.handOff);
  if (choices.length === 0) return null;
  return (
    <fieldset className="append-choice">
      <legend>{t('oneStop.chase.chooseHeading')}</legend>
      <p id="append-choice-lead" className="append-choice__lead">
        {t('oneStop.chase.chooseLead')}
      </p>
      <label className="append-choice__option">
        <input type="radio" name="append-choice" checked={value === null} onChange={() => onChange(null)} />
        <span>{t('oneStop.chase.newHandOff')}</span>
      </label>
      {choices.map((c) => (
        <label key={c.id} className="append-choice__option">
          <input type="radio" name="append-choice" checked={value === c.handOff!.id} onChange={() => onChange(c.handOff!.id)} />
          <span>
            {t('oneStop.chase.option', { number: c.number, department: c.handOff!.departmentName, summary: c.summary })}{' '}
            <span className="muted">· {f.short(c.createdAt)}</span> <ChaseMark count={c.handOff!.chaseCount} />
          </span>
        </label>
      ))}
    </fieldset>
  );
}
