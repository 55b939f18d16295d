import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SetCitizenNameBodySchema } from '../../../../core/contracts/calls';
import { api } from '../../api/client';
import { ErrorNotice } from '../../components/notice';

/**
 * 이름 입력 on the caller card of an unknown caller (issue #18 item 6): the agent writes down the name the caller
 * gives; the server seals it and the card shows it masked (최*수). Validated with the API's own schema.
 */
export function NameCaller({ citizenId }: { citizenId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);
  const [name, setName] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: { name: string }) => api<null>(`/api/citizens/${encodeURIComponent(citizenId)}/name`, { method: 'PUT', body }),
    onSuccess: () => {
      setIsOpen(false);
      setName('');
      void client.invalidateQueries({ queryKey: ['citizen-card', citizenId] });
    },
  });

  if (!isOpen) {
    return (
      <button type="button" className="btn btn--ghost btn--tiny" onClick={() => setIsOpen(true)}>
        {t('oneStop.callerName.add')}
      </button>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = SetCitizenNameBodySchema.safeParse({ name });
    if (!parsed.success) {
      setFormError(parsed.error.issues[0]?.message ?? t('oneStop.callerName.hint'));
      return;
    }
    setFormError(null);
    save.mutate(parsed.data);
  };

  return (
    <form className="name-caller" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={`name-caller-${citizenId}`}>
        {t('oneStop.callerName.label')}
      </label>
      <input
        id={`name-caller-${citizenId}`}
        autoFocus
        autoComplete="off"
        maxLength={30}
        value={name}
        placeholder={t('oneStop.callerName.label')}
        title={t('oneStop.callerName.hint')}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setIsOpen(false);
          }
        }}
        aria-invalid={formError ? true : undefined}
        aria-describedby={formError ? `name-caller-${citizenId}-error` : undefined}
      />
      <button type="submit" className="btn btn--small" disabled={save.isPending}>
        {save.isPending ? t('oneStop.callerName.saving') : t('oneStop.callerName.save')}
      </button>
      <button type="button" className="btn btn--ghost btn--small" onClick={() => setIsOpen(false)}>
        {t('common.cancel')}
      </button>
      {formError && (
        <p id={`name-caller-${citizenId}-error`} className="field-error">
          {formError}
        </p>
      )}
      <ErrorNotice error={save.error} />
    </form>
  );
}
