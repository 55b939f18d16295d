import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { clearDraft, loadDraft, saveDraft } from './case-draft';
import { useTranslation } from 'react-i18next';
import { RecordCaseBodySchema, type CaseSummary, type RecordCaseResult, type RecordOutcome } from '../../../../core/contracts/cases';
import type { PiiKind } from '../../../../core/domain/pii';
import type { Category } from '../../../../core/contracts/org';
import { useRecordCase } from '../../api/queries';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import type { UsedArticle } from '../kb/kb-panel';
import { MaskedNotice, PersonalDataWarning, usePersonalDataWhileTyping } from '../pii/pii-notices';
import { CategoryPicker } from './category-picker';
import { AppendChoice } from './append-choice';
import { NO_REPLY_CHOICE, ReplyChoice, replyPreferenceOf, type ReplyChoiceValue } from './reply-choice';
import { RequiredMark } from '../../components/required-mark';

const SUMMARY_MAX = 200;
const NOTES_MAX = 4000;

type FieldErrors = { call?: string; category?: string; summary?: string; reply?: string };

/**
 * 상담 기록: category, summary, notes and the articles used, finished as 처리 완료 (resolved) or 부서 이관 (handed off
 * to the category's owner department, whose official reads these notes). Validated with the API's own schema.
 * Personal data typed into the summary or notes is flagged while typing and masked by the server when saved; the
 * agent is told what was masked. Names count too: the caller's own (`callerName`, as the card shows it: 김*희) and a
 * name after 민원인/성명/이름/본인. A text that masking would make too long is refused by the server with its message.
 * When the caller has hand-offs in progress (`openHandOffs`, from the caller card), the agent may add this call to one
 * of them (추가 민원 / 독촉) instead of a new hand-off: the same button then says 기존 이관에 추가.
 */
export function CaseForm({
  interactionId,
  categories,
  used,
  onRemoveUsed,
  onSaved,
  categoryRef,
  summaryRef,
  resolveRef,
  handOffRef,
  callerName = null,
  openHandOffs = [],
  onNotesChange,
}: {
  interactionId: string | null;
  categories: readonly Category[];
  used: UsedArticle[];
  onRemoveUsed: (id: string) => void;
  onSaved: (result: RecordCaseResult) => void;
  categoryRef: Ref<HTMLInputElement>;
  summaryRef: Ref<HTMLInputElement>;
  resolveRef: Ref<HTMLButtonElement>;
  handOffRef: Ref<HTMLButtonElement>;
  callerName?: string | null;
  openHandOffs?: readonly CaseSummary[];
  /** The notes as typed, for the KB panel's suggestions (issue #13). */
  onNotesChange?: (notes: string) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const record = useRecordCase();
  const [formKey, setFormKey] = useState(0);
  const [category, setCategory] = useState<Category | null>(null);
  const [summary, setSummary] = useState('');
  const [notes, setNotes] = useState('');
  // 위치 of a field problem (누수, 가로등 …), for the department (#18 item 6).
  const [location, setLocation] = useState('');
  useEffect(() => onNotesChange?.(notes), [notes, onNotesChange]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [maskedKinds, setMaskedKinds] = useState<PiiKind[]>([]);
  // 추가 민원: the open hand-off (its id) this call adds to; null = a new hand-off. Only one of the caller's open ones.
  const [appendChoice, setAppendChoice] = useState<string | null>(null);
  const appendTo = openHandOffs.find((c) => c.handOff?.id === appendChoice) ?? null;
  // 회신 방법, recorded with a new hand-off (#18 item 6).
  const [reply, setReply] = useState<ReplyChoiceValue>(NO_REPLY_CHOICE);
  // The draft of this call survives a reload of the desk (#18 item 3): restored once per call, kept while typing.
  const restoredFor = useRef<string | null>(null);
  useEffect(() => {
    if (!interactionId || restoredFor.current === interactionId || categories.length === 0) return;
    restoredFor.current = interactionId;
    const draft = loadDraft(interactionId);
    if (!draft) return;
    setSummary(draft.summary);
    setNotes(draft.notes);
    setLocation(draft.location);
    setCategory(categories.find((c) => c.id === draft.categoryId) ?? null);
    setFormKey((k) => k + 1);
  }, [interactionId, categories]);
  useEffect(() => {
    if (interactionId && restoredFor.current === interactionId) saveDraft(interactionId, { categoryId: category?.id ?? null, summary, notes, location });
  }, [interactionId, category, summary, notes, location]);
  const summaryPii = usePersonalDataWhileTyping(summary, callerName);
  const notesPii = usePersonalDataWhileTyping(notes, callerName);

  const save = (outcome: RecordOutcome) => {
    if (record.isPending) return;
    record.reset();
    setMaskedKinds([]);
    const next: FieldErrors = {};
    if (!interactionId) next.call = t('caseForm.needCall');
    const parsed = RecordCaseBodySchema.safeParse({
      interactionId: interactionId ?? undefined,
      categoryId: category?.id,
      summary,
      notes,
      ...(location.trim() ? { location: location.trim() } : {}),
      articleIds: used.map((u) => u.id),
      outcome,
      ...(outcome === 'handed_off' && appendTo?.handOff ? { appendToHandOffId: appendTo.handOff.id } : {}),
      ...(outcome === 'handed_off' && !appendTo ? { replyPreference: replyPreferenceOf(reply) } : {}),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.path[0] === 'categoryId') next.category = t('caseForm.needCategory');
        if (issue.path[0] === 'summary') next.summary = t('caseForm.needSummary');
        if (issue.path[0] === 'replyPreference') next.reply = issue.message;
      }
    }
    setErrors(next);
    if (!parsed.success || next.call) {
      const firstInvalid = next.category ? 'case-category' : next.summary ? 'case-summary' : next.reply ? 'case-reply-address' : null;
      if (firstInvalid) document.getElementById(firstInvalid)?.focus();
      return;
    }
    record.mutate(parsed.data, {
      onSuccess: (result) => {
        if (interactionId) clearDraft(interactionId);
        setCategory(null);
        setSummary('');
        setNotes('');
        setLocation('');
        setErrors({});
        setAppendChoice(null);
        setReply(NO_REPLY_CHOICE);
        setFormKey((k) => k + 1);
        setMaskedKinds(result.maskedKinds);
        onSaved(result);
      },
    });
  };

  // Enter in a field never finishes a case: the agent finishes it with a button or Ctrl+Enter.
  const submit = (e: FormEvent) => e.preventDefault();

  const departmentName = category?.departmentName ?? null;

  return (
    <section className="panel case-panel" aria-labelledby="case-heading">
      <header className="panel__header">
        <h2 id="case-heading" className="panel__title">
          {t('caseForm.heading')}
        </h2>
      </header>
      <form className="case-form" onSubmit={submit} noValidate>
        <div className="panel__scroll case-form__fields">
          {/* First thing on the form while the caller has hand-offs in progress: the same matter is added, not duplicated. */}
          <AppendChoice openHandOffs={openHandOffs} value={appendTo?.handOff?.id ?? null} onChange={setAppendChoice} />
          {errors.call && (
            <p className="notice notice--warn" role="alert">
              {errors.call}
            </p>
          )}
          <div className="field">
            <label htmlFor="case-category">{t('caseForm.category')}</label>
            <CategoryPicker
              key={formKey}
              categories={categories}
              value={category}
              onChange={(c) => {
                setCategory(c);
                if (c) setErrors((e) => ({ ...e, category: undefined }));
              }}
              inputRef={categoryRef}
              invalid={Boolean(errors.category)}
              describedBy={errors.category ? 'case-category-error' : 'case-category-info'}
            />
            {errors.category ? (
              <p id="case-category-error" className="field-error">
                {errors.category}
              </p>
            ) : category ? (
              <dl id="case-category-info" className="category-info">
                <div>
                  <dt>{t('caseForm.ownerDepartment')}</dt>
                  <dd>{category.departmentName ?? t('common.unknown')}</dd>
                </div>
                <div>
                  <dt>{t('caseForm.complaintType')}</dt>
                  <dd>{category.complaintType ? f.complaintType(category.complaintType, true, category.deadlineDays) : t('common.unknown')}</dd>
                </div>
              </dl>
            ) : (
              <p id="case-category-info" className="field-hint">
                {t('caseForm.categoryHint')}
              </p>
            )}
          </div>

          <div className="field">
            <div className="field__label-row">
              <label htmlFor="case-summary">
                {t('caseForm.summary')} <RequiredMark />
              </label>
              <span className="field__count">{t('caseForm.chars', { count: summary.length, max: SUMMARY_MAX })}</span>
            </div>
            <input
              id="case-summary"
              ref={summaryRef}
              type="text"
              required
              maxLength={SUMMARY_MAX}
              autoComplete="off"
              placeholder={t('caseForm.summaryPlaceholder')}
              value={summary}
              onChange={(e) => {
                setSummary(e.target.value);
                if (e.target.value.trim()) setErrors((er) => ({ ...er, summary: undefined }));
              }}
              aria-invalid={errors.summary ? true : undefined}
              aria-describedby={[errors.summary ? 'case-summary-error' : '', summaryPii.length > 0 ? 'case-summary-pii' : ''].filter(Boolean).join(' ') || undefined}
              aria-keyshortcuts="Alt+S"
            />
            {errors.summary && (
              <p id="case-summary-error" className="field-error">
                {errors.summary}
              </p>
            )}
            <PersonalDataWarning id="case-summary-pii" kinds={summaryPii} />
          </div>

          <div className="field">
            <div className="field__label-row">
              <label htmlFor="case-notes">{t('caseForm.notes')}</label>
              <span className="field__count">{t('caseForm.chars', { count: notes.length, max: NOTES_MAX })}</span>
            </div>
            <textarea
              id="case-notes"
              rows={6}
              maxLength={NOTES_MAX}
              placeholder={t('caseForm.notesPlaceholder')}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              aria-describedby={notesPii.length > 0 ? 'case-notes-hint case-notes-pii' : 'case-notes-hint'}
            />
            <p id="case-notes-hint" className="field-hint">
              {t('caseForm.notesHint')}
            </p>
            <PersonalDataWarning id="case-notes-pii" kinds={notesPii} />
          </div>

          <div className="field">
            <label htmlFor="case-location">{t('caseForm.location')}</label>
            <input
              id="case-location"
              maxLength={200}
              placeholder={t('caseForm.locationPlaceholder')}
              value={location}
              onChange={(e) => setLocation(e.target.value)}
              aria-describedby="case-location-hint"
            />
            <p id="case-location-hint" className="field-hint">
              {t('caseForm.locationHint')}
            </p>
          </div>

          {!appendTo && <ReplyChoice value={reply} onChange={(v) => { setReply(v); setErrors((e) => ({ ...e, reply: undefined })); }} error={errors.reply} />}

          <div className="field">
            <span className="field-label" id="case-articles-label">
              {t('caseForm.articles')}
            </span>
            {used.length === 0 ? (
              <p className="field-hint">{t('caseForm.noArticles')}</p>
            ) : (
              <ul className="used-list" aria-labelledby="case-articles-label">
                {used.map((u) => (
                  <li key={u.id} className="used-list__item">
                    <span className="doc-item">{u.title}</span>
                    <button
                      type="button"
                      className="btn btn--ghost btn--icon btn--tiny"
                      aria-label={t('caseForm.removeArticle', { title: u.title })}
                      onClick={() => onRemoveUsed(u.id)}
                    >
                      <span aria-hidden="true">✕</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>

        <div className="case-form__actions">
          {appendTo?.handOff && (
            <div className="handoff-preview" id="append-preview">
              <strong>{t('oneStop.chase.appendPreview', { number: appendTo.number, department: appendTo.handOff.departmentName })}</strong>
              <span className="muted">{t('oneStop.chase.appendPreviewHint')}</span>
            </div>
          )}
          {departmentName && !appendTo && (
            <div className="handoff-preview" id="handoff-preview">
              <strong>{t('caseForm.handOffTo', { department: departmentName, departmentTo: f.to(departmentName) })}</strong>
              {category?.complaintType && (
                <span>{t('caseForm.handOffDeadline', { type: f.complaintType(category.complaintType, false), deadline: f.deadline(category.complaintType, category.deadlineDays) })}</span>
              )}
              <span className="muted">{t('caseForm.handOffNotice')}</span>
            </div>
          )}
          <MaskedNotice kinds={maskedKinds} onClose={() => setMaskedKinds([])} />
          <ErrorNotice error={record.error} />
          <div className="case-form__buttons">
            <button
              ref={resolveRef}
              type="button"
              className="btn btn--primary"
              disabled={record.isPending}
              onClick={() => save('resolved')} aria-keyshortcuts="Control+Enter">
              {record.isPending && record.variables?.outcome === 'resolved' ? t('caseForm.saving') : t('caseForm.resolve')}
              <kbd className="btn__kbd" aria-hidden="true">
                Ctrl+↵
              </kbd>
            </button>
            {/* 3자통화: the official took the call while the agent was on it; the case closes like a resolved one. */}
            <button type="button" className="btn" disabled={record.isPending} onClick={() => save('transferred')} title={t('caseForm.transferHint')}>
              {record.isPending && record.variables?.outcome === 'transferred' ? t('caseForm.saving') : t('caseForm.transfer')}
            </button>
            <button
              ref={handOffRef}
              type="button"
              className="btn btn--teal"
              disabled={record.isPending}
              onClick={() => save('handed_off')}
              aria-keyshortcuts="Control+Shift+Enter"
              aria-describedby={appendTo ? 'append-preview' : departmentName ? 'handoff-preview' : undefined}
              title={appendTo ? t('oneStop.chase.appendHint') : undefined}
            >
              {record.isPending && record.variables?.outcome === 'handed_off' ? t('caseForm.saving') : appendTo ? t('oneStop.chase.append') : t('caseForm.handOff')}
              <kbd className="btn__kbd" aria-hidden="true">
                Ctrl+⇧+↵
              </kbd>
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
