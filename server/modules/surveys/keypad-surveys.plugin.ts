import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import { KeypadSurveys } from './keypad-surveys.service';

declare module 'fastify' {
  interface FastifyInstance {
    /** 만족도 조사 by keypad (ARS) through the ACD's telephony adapters (issue #15). */
    keypadSurveys: KeypadSurveys;
  }
}

/**
 * Keypad surveys (after the ACD is registered): survey calls are placed through the CTI webhook's phone system when
 * one is configured, else the in-process simulator; the ACD hands the events of survey calls to them. In a demo on the
 * simulator, its seeded citizens answer the prompts (one key per scheduler tick).
 */
export function registerKeypadSurveys(app: FastifyInstance, deps: AppDeps): KeypadSurveys {
  const source = deps.config.telephony.webhookSecret ? 'webhook' : 'simulator';
  // A demo on the simulator has nobody to press keys: its seeded citizens answer (never with a real phone system,
  // never in tests, which press the keys themselves).
  const simulated = source === 'simulator' && deps.config.seedDemo && deps.config.env !== 'test' ? app.acd.simulator : null;
  const keypad = new KeypadSurveys(deps, app.acd, source, simulated);
  app.acd.keypadListener = (source, event) => keypad.handleEvent(source, event);
  app.decorate('keypadSurveys', keypad);
  return keypad;
}
