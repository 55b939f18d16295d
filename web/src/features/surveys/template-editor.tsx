import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Question, QuestionType, Template, TemplateBody } from '../../../../core/contracts/surveys';
import { DAY_MS } from '../../../../core/domain/kst';
import { ErrorNotice } from '../../components/notice';
import { kstDateTimeLocal, kstIsoOf } from '../../lib/kst-day';
import { useCreatePoll, usePublishTemplate } from './surveys-api';

const TYPES: QuestionType[] = ['csat', 'resolved', 'nps', 'single', 'multiple', 'text'];
const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s', '70+'] as const;
type AgeBand = (typeof AGE_BANDS)[number];

/** A question while it is edited: choice options as lines of text (ids kept by position, new ones numbered). */
type DraftQuestion = { id: string; type: QuestionType; text: string; required: boolean; options: string };
const isChoice = (type: QuestionType) => type === 'single' || type === 'multiple';

export function draftOf(questions: readonly Question[]): DraftQuestion[] {
  return questions.map((q) => ({ id: q.id, type: q.type, text: q.text, required: q.required, options: (q.options ?? []).map((o) => o.label).join('\n') }));
}

/** The drafts as the API's questions: options from the non-empty lines, keeping the old option ids where there were some. */
export function questionsOf(drafts: readonly DraftQuestion[], before: readonly Question[]): Question[] {
  return drafts.map((d) => {
    const q: Question = { id: d.id, type: d.type, text: d.text.trim(), required: d.required };
    if (isChoice(d.type)) {
      const old = before.find((b) => b.id === d.id)?.options ?? [];
      const labels = d.options.split('\n').map((l) => l.trim()).filter(Boolean);
      const used = new Set<string>();
      q.options = labels.map((label, i) => {
        let id = old[i]?.id ?? `o${i + 1}`;
        for (let n = i + 1; used.has(id); n++) id = `o${n}`;
        used.add(id);
        return { id, label };
      });
    }
    return q;
  });
}

function nextId(drafts: readonly DraftQuestion[]): string {
  for (let n = drafts.length + 1; ; n++) if (!drafts.some((d) => d.id === `q${n}`)) return `q${n}`;
}

/** Which question is the 전반적 만족도 (surveys only): its id, and how to choose another. */
type OverallChoice = { id: string | null; choose: (id: string) => void };

/** The chosen overall question while it is still a 1–5 question of the drafts; null otherwise (the server then refuses). */
export function overallOf(drafts: readonly DraftQuestion[], id: string | null): string | null {
  return drafts.some((d) => d.id === id && d.type === 'csat') ? id : null;
}

/**
 * The questions of a template, edited in place: text, kind, required, options (one a line); add, remove, move up;
 * for a survey, which 1–5 question is the 전반적 만족도 (a radio on each 1–5 question).
 */
function QuestionsEditor({ drafts, onChange, idPrefix, overall }: { drafts: DraftQuestion[]; onChange: (d: DraftQuestion[]) => void; idPrefix: string; overall?: OverallChoice }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<DraftQuestion>) => onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <ol className="survey-editor__questions">
      {drafts.map((d, i) => {
        const id = `${idPrefix}-${i}`;
        return (
          <li key={d.id} className="survey-editor__question">
            <div className="field survey-editor__text">
              <label htmlFor={`${id}-text`}>{t('surveys.editor.questionText', { n: i + 1 })}</label>
              <input id={`${id}-text`} maxLength={300} value={d.text} onChange={(e) => set(i, { text: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-type`}>{t('surveys.editor.type')}</label>
              <select id={`${id}-type`} value={d.type} onChange={(e) => set(i, { type: e.target.value as QuestionType })}>
                {TYPES.map((ty) => (
                  <option key={ty} value={ty}>
                    {t(`surveys.editor.types.${ty}`)}
                  </option>
                ))}
              </select>
            </div>
            <label className="survey-editor__check">
              <input type="checkbox" checked={d.required} onChange={(e) => set(i, { required: e.target.checked })} /> {t('surveys.editor.required')}
            </label>
            {overall && d.type === 'csat' && (
              <label className="survey-editor__check">
                <input type="radio" name={`${idPrefix}-overall`} checked={overall.id === d.id} onChange={() => overall.choose(d.id)} aria-label={t('surveys.editor.overallLabel', { n: i + 1 })} />{' '}
                {t('surveys.editor.overall')}
              </label>
            )}
            {isChoice(d.type) && (
              <div className="field survey-editor__options">
                <label htmlFor={`${id}-options`}>{t('surveys.editor.options')}</label>
                <textarea id={`${id}-options`} rows={3} value={d.options} onChange={(e) => set(i, { options: e.target.value })} />
              </div>
            )}
            <div className="survey-editor__row-actions">
              <button type="button" className="btn btn--ghost btn--small" disabled={i === 0} onClick={() => onChange(drafts.map((x, j) => (j === i - 1 ? d : j === i ? drafts[i - 1]! : x)))} aria-label={t('surveys.editor.moveUp', { n: i + 1 })}>
                ↑
              </button>
              <button type="button" className="btn btn--ghost btn--small" disabled={drafts.length === 1} onClick={() => onChange(drafts.filter((_, j) => j !== i))} aria-label={t('surveys.editor.remove', { n: i + 1 })}>
                {t('surveys.editor.removeShort')}
              </button>
            </div>
          </li>
        );
      })}
      <li className="survey-editor__add">
        <button type="button" className="btn btn--small" onClick={() => onChange([...drafts, { id: nextId(drafts), type: 'csat', text: '', required: true, options: '' }])}>
          {t('surveys.editor.add')}
        </button>
      </li>
    </ol>
  );
}

/** Validation problems from the server (zod issues) as lines. */
function Problems({ error }: { error: unknown }) {
  return <ErrorNotice error={error} />;
}

/**
 * 양식 고치기: the current version's title, intro and questions, edited; 새 판 게시 publishes the next version. The
 * answers already given stay with the version they answered (a published version never changes).
 */
export function TemplateEditor({ template, onDone }: { template: Template; onDone: () => void }) {
  const { t } = useTranslation();
  const publish = usePublishTemplate();
  const [title, setTitle] = useState(template.title);
  const [intro, setIntro] = useState(template.intro);
  const [drafts, setDrafts] = useState(() => draftOf(template.questions));
  const [overallId, setOverallId] = useState(template.overallQuestionId);
  const isSurvey = template.audience === 'survey';
  const id = `tpl-${template.key}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: TemplateBody = {
      key: template.key,
      title: title.trim(),
      intro: intro.trim(),
      audience: template.audience,
      questions: questionsOf(drafts, template.questions),
      overallQuestionId: isSurvey ? overallOf(drafts, overallId) : null,
    };
    publish.mutate(body, { onSuccess: onDone });
  };
  return (
    <form className="survey-editor" onSubmit={submit} aria-label={t('surveys.editor.editing', { title: template.title })}>
      <p className="muted small">{t('surveys.editor.versionNote', { version: template.version, next: template.version + 1 })}</p>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('surveys.editor.title')}</label>
        <input id={`${id}-title`} maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-intro`}>{t('surveys.editor.intro')}</label>
        <textarea id={`${id}-intro`} rows={2} maxLength={500} value={intro} onChange={(e) => setIntro(e.target.value)} />
      </div>
      {isSurvey && <p className="muted small">{t('surveys.editor.overallHint')}</p>}
      <QuestionsEditor drafts={drafts} onChange={setDrafts} idPrefix={id} overall={isSurvey ? { id: overallId, choose: setOverallId } : undefined} />
      <Problems error={publish.error} />
      <div className="survey-editor__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={publish.isPending}>
          {t('surveys.editor.publish')}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * 여론조사 만들기: the questions (from a poll template, edited; a change publishes the template's next version first),
 * the audience (districts, age bands: empty = everyone who consented to polls), the channel, the closing time, and
 * whether the results are published at /p/:id after closing.
 */
export function PollCreator({ templates, onDone }: { templates: Template[]; onDone: () => void }) {
  const { t } = useTranslation();
  const publish = usePublishTemplate();
  const create = useCreatePoll();
  const pollTemplates = templates.filter((x) => x.isCurrent && x.audience === 'poll');
  const [key, setKey] = useState(pollTemplates[0]?.key ?? '');
  const base = pollTemplates.find((x) => x.key === key);
  const [drafts, setDrafts] = useState(() => draftOf(base?.questions ?? []));
  const [title, setTitle] = useState('');
  const [closesAt, setClosesAt] = useState(() => kstDateTimeLocal(Date.now() + 7 * DAY_MS));
  const [districts, setDistricts] = useState('');
  const [ages, setAges] = useState<AgeBand[]>([]);
  const [channel, setChannel] = useState<'sms' | 'email'>('sms');
  const [publicResults, setPublicResults] = useState(false);
  const choose = (k: string) => {
    setKey(k);
    setDrafts(draftOf(pollTemplates.find((x) => x.key === k)?.questions ?? []));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!base) return;
    const questions = questionsOf(drafts, base.questions);
    const changed = JSON.stringify(questions) !== JSON.stringify(base.questions);
    try {
      if (changed) await publish.mutateAsync({ key: base.key, title: base.title, intro: base.intro, audience: 'poll', questions, overallQuestionId: null });
      await create.mutateAsync({
        templateKey: base.key,
        title: title.trim(),
        closesAt: new Date(kstIsoOf(closesAt)).toISOString(),
        districts: districts.split(',').map((d) => d.trim()).filter(Boolean),
        ageBands: ages,
        channel,
        publicResults,
      });
      onDone();
    } catch {
      // shown below from the mutations' errors
    }
  };
  const id = 'poll-new';
  return (
    <form className="survey-editor" onSubmit={(e) => void submit(e)} aria-label={t('surveys.editor.newPoll')}>
      <div className="survey-editor__grid">
        <div className="field">
          <label htmlFor={`${id}-title`}>{t('surveys.editor.pollTitle')}</label>
          <input id={`${id}-title`} maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-template`}>{t('surveys.editor.pollTemplate')}</label>
          <select id={`${id}-template`} value={key} onChange={(e) => choose(e.target.value)}>
            {pollTemplates.map((x) => (
              <option key={x.key} value={x.key}>
                {x.title} ({t('surveys.page.version', { version: x.version })})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-closes`}>{t('surveys.editor.closesAt')}</label>
          <input id={`${id}-closes`} type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-districts`}>{t('surveys.editor.districts')}</label>
          <input id={`${id}-districts`} value={districts} onChange={(e) => setDistricts(e.target.value)} aria-describedby={`${id}-districts-hint`} />
          <span id={`${id}-districts-hint`} className="muted small">
            {t('surveys.editor.districtsHint')}
          </span>
        </div>
      </div>
      <fieldset className="survey-editor__fieldset">
        <legend>{t('surveys.editor.ageBands')}</legend>
        {AGE_BANDS.map((a) => (
          <label key={a} className="survey-editor__check">
            <input type="checkbox" checked={ages.includes(a)} onChange={(e) => setAges(e.target.checked ? [...ages, a] : ages.filter((x) => x !== a))} /> {t(`surveys.consent.ages.${a}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="survey-editor__fieldset">
        <legend>{t('surveys.editor.channel')}</legend>
        {(['sms', 'email'] as const).map((c) => (
          <label key={c} className="survey-editor__check">
            <input type="radio" name={`${id}-channel`} checked={channel === c} onChange={() => setChannel(c)} /> {t(`surveys.consent.channels.${c}`)}
          </label>
        ))}
        <label className="survey-editor__check">
          <input type="checkbox" checked={publicResults} onChange={(e) => setPublicResults(e.target.checked)} /> {t('surveys.editor.publicResults')}
        </label>
      </fieldset>
      <h3 className="survey-editor__subhead">{t('surveys.editor.questions')}</h3>
      <QuestionsEditor drafts={drafts} onChange={setDrafts} idPrefix={id} />
      <Problems error={publish.error ?? create.error} />
      <div className="survey-editor__actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={publish.isPending || create.isPending || !base}>
          {t('surveys.editor.sendPoll')}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
