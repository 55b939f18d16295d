import { useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useDeleteSynonym, useImportSynonyms, useSaveSynonym, useSearchGaps, useSynonyms, type SynonymEntry } from '../../features/kb/kb-api';
import { SynonymFileError, parseSynonymFile, synonymsToCsv, synonymsToJson } from '../../features/kb/synonym-file';
import { useFormat } from '../../lib/use-format';
import '../../features/kb/kb.css';

/**
 * 검색 사전 (issue #13), for the KB owners (supervisors and admins): the city's synonym and colloquial-term dictionary
 * (list, filter, add, edit, delete, import and export as JSON or CSV), and the questions agents asked that found
 * nothing, were recorded as missing articles, or whose results nobody opened, to write articles or entries from.
 */
export function KbSearchPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<{ id: string | null; term: string; expansions: string; note: string }>({ id: null, term: '', expansions: '', note: '' });
  const termRef = useRef<HTMLInputElement>(null);
  const startWith = (term: string) => {
    setDraft({ id: null, term, expansions: '', note: '' });
    termRef.current?.focus();
  };
  return (
    <main id="main" className="page">
      <h1 className="page__title">
        {t('kbAdmin.heading')} <span className="page__note">{t('kbAdmin.note')}</span>
      </h1>
      <SynonymPanel draft={draft} setDraft={setDraft} termRef={termRef} />
      <GapPanel onAddSynonym={startWith} />
    </main>
  );
}

type Draft = { id: string | null; term: string; expansions: string; note: string };

function SynonymPanel({ draft, setDraft, termRef }: { draft: Draft; setDraft: (d: Draft) => void; termRef: React.RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const synonyms = useSynonyms();
  const save = useSaveSynonym();
  const remove = useDeleteSynonym();
  const importFile = useImportSynonyms();
  const [filter, setFilter] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const needle = filter.trim().toLowerCase();
  const rows = useMemo(
    () => (synonyms.data?.synonyms ?? []).filter((s) => !needle || [s.term, ...s.expansions, s.note ?? ''].join(' ').toLowerCase().includes(needle)),
    [synonyms.data, needle],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expansions = draft.expansions.split(/[,，]/).map((x) => x.trim()).filter(Boolean);
    save.mutate(
      { id: draft.id, body: { term: draft.term.trim(), expansions, note: draft.note.trim() || null } },
      { onSuccess: () => setDraft({ id: null, term: '', expansions: '', note: '' }) },
    );
  };
  const edit = (s: SynonymEntry) => {
    save.reset();
    setDraft({ id: s.id, term: s.term, expansions: s.expansions.join(', '), note: s.note ?? '' });
    termRef.current?.focus();
  };
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    setFileError(null);
    if (!file) return;
    try {
      importFile.mutate(parseSynonymFile(await file.text()));
    } catch (err) {
      if (!(err instanceof SynonymFileError)) throw err;
      setFileError(err.at > 0 ? t('kbAdmin.fileErrorAt', { at: err.at, message: err.message }) : err.message);
    }
  };
  const download = (format: 'json' | 'csv') => {
    const list = synonyms.data?.synonyms ?? [];
    const text = format === 'json' ? synonymsToJson(list) : `\uFEFF${synonymsToCsv(list)}`;
    const url = URL.createObjectURL(new Blob([text], { type: format === 'json' ? 'application/json' : 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `search-synonyms.${format}`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="panel" aria-labelledby="kb-synonyms">
      <header className="panel__header">
        <h2 id="kb-synonyms" className="panel__title">
          {t('kbAdmin.synonyms')}
        </h2>
        {synonyms.data && <span className="panel__meta">{t('kbAdmin.count', { count: synonyms.data.synonyms.length })}</span>}
        <div className="panel__tools kb-admin__tools">
          <label htmlFor="kb-syn-filter" className="visually-hidden">
            {t('kbAdmin.filter')}
          </label>
          <input id="kb-syn-filter" type="search" className="input--small kb-admin__filter" placeholder={t('kbAdmin.filterPlaceholder')} value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => download('json')} disabled={!synonyms.data}>
            {t('kbAdmin.exportJson')}
          </button>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => download('csv')} disabled={!synonyms.data}>
            {t('kbAdmin.exportCsv')}
          </button>
          <input ref={fileInput} id="kb-syn-import" type="file" accept=".json,.csv,application/json,text/csv" className="visually-hidden" onChange={(e) => void onFile(e)} />
          <button type="button" className="btn btn--ghost btn--small" disabled={importFile.isPending} onClick={() => fileInput.current?.click()}>
            {t('kbAdmin.import')}
          </button>
        </div>
      </header>
      {importFile.data && (
        <p role="status" className="notice kb-admin__notice kb-admin__ok">
          {t('kbAdmin.imported', { count: importFile.data.imported })}
        </p>
      )}
      {fileError && (
        <p role="alert" className="notice notice--error kb-admin__notice">
          {fileError}
        </p>
      )}
      <ErrorNotice error={importFile.error} />

      <form className="kb-admin__form" onSubmit={submit} aria-label={draft.id ? t('kbAdmin.editEntry') : t('kbAdmin.addEntry')}>
        <label className="field">
          <span>{t('kbAdmin.term')}</span>
          <input ref={termRef} value={draft.term} onChange={(e) => setDraft({ ...draft, term: e.target.value })} maxLength={100} required placeholder={t('kbAdmin.termPlaceholder')} />
        </label>
        <label className="field">
          <span>{t('kbAdmin.expansions')}</span>
          <input value={draft.expansions} onChange={(e) => setDraft({ ...draft, expansions: e.target.value })} required placeholder={t('kbAdmin.expansionsPlaceholder')} />
        </label>
        <label className="field">
          <span>{t('kbAdmin.noteLabel')}</span>
          <input value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} maxLength={200} />
        </label>
        <div className="kb-admin__actions">
          <button type="submit" className="btn btn--primary btn--small" disabled={save.isPending}>
            {draft.id ? t('kbAdmin.saveEdit') : t('kbAdmin.add')}
          </button>
          {draft.id && (
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setDraft({ id: null, term: '', expansions: '', note: '' })}>
              {t('common.cancel')}
            </button>
          )}
        </div>
      </form>
      {save.isSuccess && !draft.id && (
        <p role="status" className="muted small kb-admin__notice">
          {t('kbAdmin.saved')}
        </p>
      )}
      <ErrorNotice error={save.error ?? remove.error} />

      <div className="panel__scroll">
        {synonyms.isPending && <Loading />}
        <ErrorNotice error={synonyms.error} onRetry={() => void synonyms.refetch()} />
        {synonyms.data && rows.length === 0 && <Empty>{needle ? t('kbAdmin.noMatch') : t('kbAdmin.empty')}</Empty>}
        {rows.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('kbAdmin.term')}</th>
                <th scope="col">{t('kbAdmin.expansions')}</th>
                <th scope="col">{t('kbAdmin.noteLabel')}</th>
                <th scope="col">{t('kbAdmin.updated')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('kbAdmin.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td className="strong">{s.term}</td>
                  <td>
                    <span className="kb-admin__expansions">
                      {s.expansions.map((x) => (
                        <span key={x} className="chip">
                          {x}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td className="muted">{s.note ?? ''}</td>
                  <td className="nowrap">{f.date(s.updatedAt)}</td>
                  <td>
                    <span className="kb-admin__actions">
                      <button type="button" className="btn btn--ghost btn--small" onClick={() => edit(s)} aria-label={t('kbAdmin.editOf', { term: s.term })}>
                        {t('kbAdmin.edit')}
                      </button>
                      <button
                        type="button"
                        className="btn btn--ghost btn--small"
                        disabled={remove.isPending}
                        aria-label={t('kbAdmin.deleteOf', { term: s.term })}
                        onClick={() => {
                          if (window.confirm(t('kbAdmin.confirmDelete', { term: s.term }))) remove.mutate(s.id);
                        }}
                      >
                        {t('kbAdmin.delete')}
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function GapPanel({ onAddSynonym }: { onAddSynonym: (term: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const gaps = useSearchGaps();
  return (
    <section className="panel" aria-labelledby="kb-gaps">
      <header className="panel__header">
        <h2 id="kb-gaps" className="panel__title">
          {t('kbAdmin.gaps')}
        </h2>
        <span className="panel__meta">{t('kbAdmin.gapsNote')}</span>
      </header>
      <div className="panel__scroll">
        {gaps.isPending && <Loading />}
        <ErrorNotice error={gaps.error} onRetry={() => void gaps.refetch()} />
        {gaps.data?.gaps.length === 0 && <Empty>{t('kbAdmin.noGaps')}</Empty>}
        {gaps.data && gaps.data.gaps.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('kbAdmin.question')}</th>
                <th scope="col">{t('kbAdmin.nothingFound')}</th>
                <th scope="col">{t('kbAdmin.recordedMissing')}</th>
                <th scope="col">{t('kbAdmin.shownNotOpened')}</th>
                <th scope="col">{t('kbAdmin.lastAsked')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('kbAdmin.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {gaps.data.gaps.map((g) => (
                <tr key={g.queryKey}>
                  <td>{g.query}</td>
                  <td className="kb-admin__num">{g.nothingFound || ''}</td>
                  <td className="kb-admin__num">{g.recordedMissing || ''}</td>
                  <td className="kb-admin__num">{g.shownNotOpened || ''}</td>
                  <td className="nowrap">{f.dateTime(g.lastAt)}</td>
                  <td>
                    <button type="button" className="btn btn--ghost btn--small" onClick={() => onAddSynonym(g.query)} aria-label={t('kbAdmin.addFromOf', { query: g.query })}>
                      {t('kbAdmin.addFrom')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
