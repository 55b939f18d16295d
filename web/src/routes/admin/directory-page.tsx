import { useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Duty, ImportProblem } from '../../../../core/contracts/directory';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { downloadDirectory, importBodyOf, importProblemsOf, useDirectory, useImportDirectory } from '../../features/directory/directory-api';
import '../../features/directory/directory.css';

/**
 * 업무분장 (issue #11 §1): every duty with its categories, department and officials in order (주 → 부, with 내선);
 * import a CSV/XLSX file (refused whole, the problems listed by line) and export in the same format.
 */
export function DirectoryPage() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const importFile = useImportDirectory();
  const [filter, setFilter] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const needle = filter.trim().toLowerCase();
  const duties = useMemo(
    () =>
      (directory.data?.duties ?? []).filter(
        (d) =>
          !needle ||
          [d.code, d.name, d.departmentName, ...d.categories.map((c) => `${c.code} ${c.path}`), ...d.officials.map((o) => `${o.name} ${o.login} ${o.extension ?? ''}`)]
            .join(' ')
            .toLowerCase()
            .includes(needle),
      ),
    [directory.data, needle],
  );
  const problems = importProblemsOf(importFile.error);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    importFile.mutate(await importBodyOf(file, dryRun));
  };
  const download = (format: 'csv' | 'xlsx') => {
    setDownloadError(null);
    downloadDirectory(format).catch(setDownloadError);
  };

  return (
    <main id="main" className="page">
      <h1 className="page__title">
        {t('directory.heading')} <span className="page__note">{t('directory.note')}</span>
      </h1>
      <section className="panel directory-file-panel" aria-labelledby="dir-file">
        <header className="panel__header">
          <h2 id="dir-file" className="panel__title">
            {t('directory.file')}
          </h2>
          <div className="panel__tools">
            <button type="button" className="btn btn--ghost btn--small" onClick={() => download('xlsx')}>
              {t('directory.exportXlsx')}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => download('csv')}>
              {t('directory.exportCsv')}
            </button>
          </div>
        </header>
        <div className="directory-import">
          <input ref={fileInput} id="dir-import" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" className="visually-hidden" onChange={(e) => void onFile(e)} />
          <button type="button" className="btn btn--primary btn--small" disabled={importFile.isPending} onClick={() => fileInput.current?.click()}>
            {importFile.isPending ? t('directory.importing') : t('directory.import')}
          </button>
          <label className="checkbox">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> {t('directory.dryRun')}
          </label>
          <span className="muted small">{t('directory.columns')}</span>
          {importFile.data && (
            <span role="status" className="strong">
              {importFile.data.dryRun ? t('directory.checked', importFile.data) : t('directory.imported', importFile.data)}
            </span>
          )}
        </div>
        {problems ? <ProblemList problems={problems} /> : <ErrorNotice error={importFile.error} />}
        <ErrorNotice error={downloadError} />
      </section>

      <section className="panel" aria-labelledby="dir-duties">
        <header className="panel__header">
          <h2 id="dir-duties" className="panel__title">
            {t('directory.duties')}
          </h2>
          {directory.data && <span className="panel__meta">{t('directory.count', { count: directory.data.duties.length })}</span>}
          <div className="panel__tools">
            <label htmlFor="dir-filter" className="visually-hidden">
              {t('directory.filter')}
            </label>
            <input id="dir-filter" type="search" className="input--small" placeholder={t('directory.filterPlaceholder')} value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
        </header>
        <div className="panel__scroll">
          {directory.isPending && <Loading />}
          <ErrorNotice error={directory.error} onRetry={() => void directory.refetch()} />
          {directory.data && duties.length === 0 && <Empty>{t('directory.empty')}</Empty>}
          {duties.length > 0 && (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('directory.col.code')}</th>
                  <th scope="col">{t('directory.col.name')}</th>
                  <th scope="col">{t('directory.col.categories')}</th>
                  <th scope="col">{t('directory.col.department')}</th>
                  <th scope="col">{t('directory.col.officials')}</th>
                </tr>
              </thead>
              <tbody>
                {duties.map((d) => (
                  <DutyRow key={d.id} duty={d} />
                ))}
              </tbody>
            </table>
          )}
        </div>
      </section>
    </main>
  );
}

function DutyRow({ duty }: { duty: Duty }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td className="mono">{duty.code}</td>
      <td className="strong">{duty.name}</td>
      <td>
        {duty.categories.map((c) => (
          <div key={c.id} title={c.path}>
            <span className="mono muted">{c.code}</span> {c.path.split(' > ').pop()}
          </div>
        ))}
      </td>
      <td className="nowrap">{duty.departmentName}</td>
      <td>
        <ol className="directory-officials">
          {duty.officials.map((o) => (
            <li key={o.userId} className={o.isActive ? undefined : 'muted'}>
              <span className="tag">{o.rank === 1 ? t('directory.primary') : t('directory.backup', { rank: o.rank - 1 })}</span> {o.name}
              {o.title && <span className="muted small"> {o.title}</span>}
              {o.extension && <span className="mono small"> ☎ {o.extension}</span>}
              {!o.isActive && <span className="small"> ({t('directory.inactive')})</span>}
            </li>
          ))}
        </ol>
      </td>
    </tr>
  );
}

/** A refused file's problems, by line, announced at once. */
function ProblemList({ problems }: { problems: ImportProblem[] }) {
  const { t } = useTranslation();
  return (
    <div className="directory-problems notice notice--error" role="alert">
      <p className="strong">{t('directory.refused', { count: problems.length })}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('directory.problemLine')}</th>
            <th scope="col">{t('directory.problemColumn')}</th>
            <th scope="col">{t('directory.problemMessage')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, i) => (
            <tr key={`${p.line}-${i}`}>
              <td className="mono nowrap">{p.line === 0 ? t('directory.wholeFile') : t('directory.lineN', { line: p.line })}</td>
              <td className="nowrap">{p.column ?? ''}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
