import type { TelephonyCommand, TelephonyCommandDraft, TelephonyEvent, TelephonyEventResult } from '../../../core/contracts/telephony';

export type { TelephonyCommand, TelephonyCommandDraft, TelephonyEvent, TelephonyEventResult };

/**
 * The telephony port (issue #4): one interface through which OneCall learns of calls and commands them.
 *
 * Events come in through {@link TelephonyEventSink} (the ACD service implements it): the simulator calls it in
 * process, the CTI webhook route calls it for each verified HTTP event, and the SIP adapter will call it from
 * Kamailio's dialog events. `offered` answers with a route decision, so a proxy that asks "where does this call go?"
 * (Kamailio's http_async_client) gets the answer in the same round trip.
 *
 * Commands go out through {@link TelephonyPort.send}: a rejected or failed command never corrupts the ACD; the
 * periodic reconciliation compares the ACD's agents with {@link TelephonyPort.facts} and corrects drift.
 */
export interface TelephonyPort {
  /** The adapter's name, recorded with each contact so that its commands go back to the system it came from. */
  readonly name: string;
  /** Sends one command. Resolves when the adapter accepted it; rejects when it could not deliver it. */
  send(command: TelephonyCommandDraft): Promise<void>;
  /**
   * The telephony facts reconciliation compares with (contact-center.md §3): which calls are live and which agents'
   * devices are registered. `registeredAgentIds` null = the adapter does not know registrations (all count as registered).
   */
  facts(): Promise<TelephonyFacts>;
}

/** Live facts of the phone system. */
export type TelephonyFacts = {
  /** The phone system's ids of calls still connected (queued, ringing, talking, on hold); null = not known. */
  liveCallIds: ReadonlySet<string> | null;
  registeredAgentIds: ReadonlySet<string> | null;
};

/** Where adapters deliver events: the ACD. Never throws for a bad or unknown event: answers `ignored` instead. */
export interface TelephonyEventSink {
  handleTelephonyEvent(source: string, event: TelephonyEvent): Promise<TelephonyEventResult>;
}
