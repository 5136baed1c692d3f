/**
 * Whether the demo cooperative may be seeded into a store, the launcher's decision: once per
 * store, never over a seed that began and did not finish. The seed itself is identity's
 * (`seedDemoCooperative`, a plain workflow over its facade); this guard brackets it on a
 * stream of its own (`identityDemoSeed-fujisato`, the name stores seeded before already hold),
 * decided by `demoSeedDecider`: DemoSeedStarted when the seed may begin, DemoSeedCompleted
 * once it is done. Of two launchers starting on one store, one seeds; the other finds the seed
 * begun.
 */
import {
  CommandHandler,
  DomainError,
  SYSTEM_ACTORS,
  type CommandContext,
  type Decider,
  type DomainEvent,
  type EventStore,
} from '@workshare/eventsourcing';
import {
  demoAccounts,
  seedDemoCooperative,
  type BusinessView,
  type DemoAccount,
  type DemoCooperative,
  type IdentityService,
} from '@workshare/identity';

export const DEMO_SEED_STREAM = 'identityDemoSeed-fujisato';

export type DemoSeedEvent =
  DomainEvent<'DemoSeedStarted', Record<string, never>> | DomainEvent<'DemoSeedCompleted', Record<string, never>>;
export type DemoSeedCommand = { readonly type: 'StartDemoSeed' } | { readonly type: 'CompleteDemoSeed' };
/** Where a store stands: no demo, a seed begun, the demo seeded. */
export type DemoSeedState = 'none' | 'started' | 'completed';

/**
 * The guard's rules. StartDemoSeed: on a store without the demo, DemoSeedStarted; refused with
 * `demo.already_seeded` when the demo is there, `demo.incomplete` when a seed began and never
 * finished (the store holds part of it: only an empty store gets the whole demo).
 * CompleteDemoSeed: DemoSeedCompleted after a start, nothing the second time, `demo.not_started`
 * before any start.
 */
export const demoSeedDecider: Decider<DemoSeedCommand, DemoSeedEvent, DemoSeedState> = {
  initialState: () => 'none',
  decide(command, state) {
    switch (command.type) {
      case 'StartDemoSeed':
        if (state === 'completed')
          throw new DomainError('demo.already_seeded', 'the demo cooperative was seeded before', 'rule');
        if (state === 'started')
          throw new DomainError(
            'demo.incomplete',
            'a demo seed began on this store and did not finish: start again on an empty store to get the whole demo',
            'rule',
          );
        return [{ type: 'DemoSeedStarted', data: {} }];
      case 'CompleteDemoSeed':
        if (state === 'none') throw new DomainError('demo.not_started', 'no demo seed began on this store', 'rule');
        return state === 'completed' ? [] : [{ type: 'DemoSeedCompleted', data: {} }];
    }
  },
  evolve: (_state, event) => (event.type === 'DemoSeedStarted' ? 'started' : 'completed'),
};

export type DemoSeedResult =
  | {
      readonly status: 'seeded';
      readonly password: string;
      readonly accounts: readonly DemoAccount[];
      readonly businesses: readonly BusinessView[];
    }
  | {
      readonly status: 'already_seeded' | 'incomplete';
      readonly message: string;
      readonly accounts: readonly DemoAccount[];
    };

const GUARD: CommandContext = Object.freeze({ actor: SYSTEM_ACTORS.demoSeed });

/** Where `store` stands with the demo: its guard's stream folded (nothing stored). */
export const demoSeedStateOf = async (store: EventStore): Promise<DemoSeedState> =>
  (await store.readStream(DEMO_SEED_STREAM)).reduce<DemoSeedState>(
    (state, event) => demoSeedDecider.evolve(state, event as unknown as DemoSeedEvent),
    demoSeedDecider.initialState(),
  );

/** What a store that has the demo, or a part of it, answers: its accounts, never its password. */
export const demoNotSeeded = (state: 'started' | 'completed'): DemoSeedResult =>
  state === 'completed'
    ? {
        status: 'already_seeded',
        message: 'the demo cooperative was seeded before; its password was printed then',
        accounts: demoAccounts(),
      }
    : {
        status: 'incomplete',
        message:
          'a demo seed began on this store and did not finish: start again on an empty store to get the whole demo',
        accounts: demoAccounts(),
      };

export interface SeedDemoOptions {
  /** The demo accounts' one password (default a random one, returned). */
  readonly password?: string;
  /**
   * More of the demo, done once the cooperative is seeded and before the seed counts as complete
   * (the demo's past month): a failure there leaves the seed incomplete, never repeated over.
   */
  readonly then?: (cooperative: DemoCooperative) => Promise<void>;
}

/**
 * Seeds the demo cooperative into `store` (identity's store, served by `service`) if the guard
 * lets it: once per store. All demo accounts share one password: `options.password`, or a
 * random one returned with the accounts. `options.then` runs inside the guard's bracket.
 */
export const seedDemoOnce = async (
  store: EventStore,
  service: IdentityService,
  options: SeedDemoOptions = {},
): Promise<DemoSeedResult> => {
  const guard = new CommandHandler({ store, decider: demoSeedDecider });
  try {
    await guard.handle(DEMO_SEED_STREAM, { type: 'StartDemoSeed' }, { context: GUARD, assumeNewStream: true });
  } catch (error) {
    if (!(error instanceof DomainError) || (error.code !== 'demo.already_seeded' && error.code !== 'demo.incomplete'))
      throw error;
    return demoNotSeeded(error.code === 'demo.already_seeded' ? 'completed' : 'started');
  }
  const seeded = await seedDemoCooperative(
    service,
    options.password !== undefined ? { password: options.password } : {},
  );
  await options.then?.(seeded);
  await guard.handle(DEMO_SEED_STREAM, { type: 'CompleteDemoSeed' }, { context: GUARD });
  return { status: 'seeded', ...seeded };
};
