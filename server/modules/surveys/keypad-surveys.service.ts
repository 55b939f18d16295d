import type { Question } from '../../../core/contracts/surveys';
import { KEYPAD_CALL_PREFIX, TelephonyEventSchema, type TelephonyCommandDraft, type TelephonyEvent, type TelephonyEventResult } from '../../../core/contracts/telephony';
import { advanceKeypadSurvey, keypadPrompt, startKeypadSurvey, type KeypadState, type KeypadStep } from '../../../core/domain/surveys';
import type { AppDeps } from '../../deps';
import * as repo from './surveys.repository';
import { getSettings, prepareResponse, storeResponse } from './surveys.service';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config'>;

/** What the keypad surveys need of the ACD: to send a command through a telephony adapter. */
export type KeypadTelephony = { sendTelephonyCommand(source: string, command: TelephonyCommandDraft): Promise<boolean> };

/** Why a keypad survey ended without answers (counted as asked and not answered). */
const HUNG_UP = 'hung_up';
const NO_VALID_KEY = 'keypad_invalid';

/**
 * 만족도 조사 by keypad (ARS, issue #15 §1): a citizen who agreed to be asked this way is called by the phone system
 * after the call (the scheduler's usual rules: settled by the agent, sampled, consent, quiet period, the same day
 * after the delay). OneCall drives the dialogue through the telephony port, one question at a time: `collect_digits`
 * (the prompt, the scale), the phone system answers `digits_collected`. A key off the scale (or none in time) is asked
 * once more, a second miss ends the call and nothing is stored; after the last question the answers are checked like
 * any other (the same scales, the named overall question) and stored with channel 'keypad', once (the invitation's
 * conditional sent → answered). A citizen who hangs up leaves no response and counts as not answered. The dialogue
 * lives on the invitation (keypad_state), so a restart loses nothing but the call itself.
 */
export class KeypadSurveys {
  constructor(
    private readonly deps: Deps,
    private readonly telephony: KeypadTelephony,
    /** The telephony adapter that places survey calls (the simulator, or the CTI webhook's PBX). */
    private readonly source: string,
    /**
     * The demo's simulated citizens: the in-process phone system whose waiting prompts a seeded citizen answers on
     * each {@link answerSimulatedCitizens} (without them nobody presses a key and every demo keypad survey expires).
     */
    private readonly simulatedCitizens: { answerPrompts(): Promise<number> } | null = null,
  ) {}

  /** The demo only: every waiting keypad prompt answered once by the simulator's seeded citizen; how many. */
  async answerSimulatedCitizens(): Promise<number> {
    return this.simulatedCitizens ? this.simulatedCitizens.answerPrompts() : 0;
  }

  /** Places the keypad surveys that are due: consent and opt-out checked again, then the first question. */
  async sendDue(now: Date, limit = 100): Promise<{ called: number; skipped: number }> {
    const at = now.toISOString();
    const result = { called: 0, skipped: 0 };
    const due = await repo.listDueKeypadInvitations(this.deps.db, at, limit);
    if (due.length === 0) return result;
    const expiryHours = (await getSettings(this.deps.db)).expiryHours;
    const indexes = [...new Set(due.map((d) => d.phone_index))];
    const [optOuts, consents] = await Promise.all([repo.findOptOuts(this.deps.db, indexes), repo.findConsents(this.deps.db, indexes)]);
    for (const inv of due) {
      const consent = consents.get(inv.phone_index);
      const reason = optOuts.has(inv.phone_index) ? 'opted_out' : consent?.surveys !== 1 || consent.channel !== 'keypad' || !consent.address_sealed ? 'no_consent' : null;
      const questions = await this.questionsOf(inv.template_id);
      const step = startKeypadSurvey(questions);
      if (reason || step.kind !== 'ask') {
        await repo.markInvitationSkipped(this.deps.db, inv.id, reason ?? 'no_keypad_questions');
        result.skipped++;
        continue;
      }
      const callId = `${KEYPAD_CALL_PREFIX}${inv.id}`;
      const expiresAt = new Date(now.getTime() + expiryHours * 3_600_000).toISOString();
      if (!(await repo.markKeypadCallPlaced(this.deps.db, inv.id, callId, JSON.stringify(step.state), at, expiresAt))) continue;
      const template = (await repo.findTemplateById(this.deps.db, inv.template_id))!;
      await this.ask(callId, this.deps.vault.open(consent!.address_sealed!), step, template.intro);
      result.called++;
    }
    return result;
  }

  /** An event of a survey call (`digits_collected`, `ended`, `abandoned`): the next question, the answers, or the end. */
  async handleEvent(source: string, input: TelephonyEvent): Promise<TelephonyEventResult> {
    const parsed = TelephonyEventSchema.safeParse(input);
    if (!parsed.success) return ignored('invalid_event');
    const event = parsed.data;
    const inv = await repo.findKeypadInvitation(this.deps.db, event.callId);
    if (!inv || inv.status !== 'sent' || !inv.keypad_state) return ignored('unknown_call');
    const at = this.deps.clock.now().toISOString();
    if (event.type === 'ended' || event.type === 'abandoned') {
      await repo.markInvitationSkipped(this.deps.db, inv.id, HUNG_UP);
      return applied();
    }
    if (event.type !== 'digits_collected') return ignored('out_of_order');
    const questions = await this.questionsOf(inv.template_id);
    const state = JSON.parse(inv.keypad_state) as KeypadState;
    const step = advanceKeypadSurvey(questions, state, event.digits);
    if (step.kind === 'ask') {
      // Conditional on the state read: a repeated event (the phone system's retry) does not advance twice.
      if (!(await repo.saveKeypadState(this.deps.db, inv.id, inv.keypad_state, JSON.stringify(step.state)))) return ignored('duplicate');
      const consent = (await repo.findConsents(this.deps.db, [inv.phone_index])).get(inv.phone_index);
      await this.ask(event.callId, consent?.address_sealed ? this.deps.vault.open(consent.address_sealed) : '', step, null);
      return applied();
    }
    if (step.kind === 'stop') {
      await repo.markInvitationSkipped(this.deps.db, inv.id, NO_VALID_KEY);
    } else {
      const response = await prepareResponse(this.deps.db, inv.template_id, step.answers, { keypadOnly: true });
      await this.deps.db.transaction().execute(async (trx) => {
        if (!(await repo.markInvitationAnswered(trx, inv.id, at))) return;
        await storeResponse(trx, inv, response, at, 'keypad', null);
      });
    }
    await this.telephony.sendTelephonyCommand(source, { type: 'hang_up', callId: event.callId });
    return applied();
  }

  private async questionsOf(templateId: string): Promise<Question[]> {
    return JSON.parse((await repo.findTemplateById(this.deps.db, templateId))!.questions) as Question[];
  }

  private async ask(callId: string, number: string, step: Extract<KeypadStep, { kind: 'ask' }>, intro: string | null): Promise<void> {
    const prompt = keypadPrompt(step.question)!;
    const sent = await this.telephony.sendTelephonyCommand(this.source, {
      type: 'collect_digits',
      callId,
      number,
      intro,
      prompt: step.again ? `잘못 누르셨습니다. 다시 한 번 눌러 주십시오. ${prompt.text}` : prompt.text,
      min: prompt.min,
      max: prompt.max,
      maxDigits: prompt.maxDigits,
      again: step.again,
    });
    if (!sent) throw new Error(`keypad surveys: no telephony adapter '${this.source}'`);
  }
}

const applied = (): TelephonyEventResult => ({ outcome: 'applied', reason: null, decision: null });
const ignored = (reason: string): TelephonyEventResult => ({ outcome: 'ignored', reason, decision: null });
