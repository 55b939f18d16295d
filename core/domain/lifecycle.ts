import { AppError } from '../errors';

/** A transition table: for each action, the states it may start from and the state it leads to. */
export type TransitionTable<S extends string, A extends string> = Record<A, { from: readonly S[]; to: S }>;

/** The actions allowed from a state, in table order (the UI asks this instead of repeating the rules). */
export function allowedActions<S extends string, A extends string>(table: TransitionTable<S, A>, state: S): A[] {
  return (Object.keys(table) as A[]).filter((a) => table[a].from.includes(state));
}

/** The state an action leads to, or INVALID_TRANSITION when it is not allowed from this state. */
export function assertTransition<S extends string, A extends string>(
  table: TransitionTable<S, A>,
  state: S,
  action: A,
  what: string,
): S {
  const rule = table[action];
  if (!rule.from.includes(state)) {
    throw new AppError('INVALID_TRANSITION', `${what}: '${action}' is not allowed from '${state}'`, {
      state,
      action,
      allowed: allowedActions(table, state),
    });
  }
  return rule.to;
}
