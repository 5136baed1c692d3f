import { DeciderSpecification, type ValidationError } from '@workshare/eventsourcing';
import { planDecider, taskIdFor, type PlanCommand } from '../../src/domain/plan.js';
import { proposeTasks } from '../../src/domain/templates.js';
import {
  business,
  BUSINESS_ID,
  cancelled,
  coordinator,
  drafts,
  job,
  JOB_ID,
  operator,
  planned,
  processManager,
  proposed,
  reworkDrafts,
  reworkRequested,
  revised,
  setagayaCoordinator,
} from './fixtures.js';

const spec = DeciderSpecification.for(planDecider);

const propose = (maxTaskMinutes = 120, by = processManager): PlanCommand => ({
  type: 'ProposePlan',
  job: job(),
  maxTaskMinutes,
  by,
});
const revise = (tasks = drafts(), by = coordinator): PlanCommand => ({ type: 'RevisePlan', jobId: JOB_ID, tasks, by });
const confirm = (by = coordinator): PlanCommand => ({ type: 'ConfirmPlan', jobId: JOB_ID, by });
const rework = (reason = 'records 40-60 have wrong postcodes', by = processManager): PlanCommand => ({
  type: 'RequestRework',
  jobId: JOB_ID,
  reason,
  by,
});
const cancel = (reason = 'the business closed the project', by = processManager): PlanCommand => ({
  type: 'CancelPlan',
  jobId: JOB_ID,
  reason,
  by,
});

describe('plan decider', () => {
  describe('ProposePlan (JobAccepted)', () => {
    it("proposes round 1 from the category's template, keeping the job's data and the window", () => {
      spec.given([]).when(propose()).then([proposed()]);
      spec
        .given([])
        .when(propose(45))
        .then([proposed({}, 45)]);
    });

    it('keeps a local-only town', () => {
      spec
        .given([])
        .when({
          type: 'ProposePlan',
          job: job({ localOnlyTownId: 'fujisato/kasuge' }),
          maxTaskMinutes: 120,
          by: processManager,
        })
        .then([proposed({ localOnlyTownId: 'fujisato/kasuge' })]);
    });

    it('proposes once: a second JobAccepted, or one after cancellation, proposes nothing', () => {
      spec.given([proposed()]).when(propose()).thenNothing();
      spec.given([proposed(), revised()]).when(propose()).thenNothing();
      spec.given([proposed(), cancelled()]).when(propose()).thenNothing();
    });

    it.each([
      ['a coordinator of the region', coordinator],
      ['an operator', operator],
      ['the business', business],
    ])('is the process manager’s only: %s is refused', (_, by) => {
      spec.given([]).when(propose(120, by)).thenThrows('plan.forbidden', 'forbidden');
      spec.given([proposed()]).when(propose(120, by)).thenThrows('plan.forbidden', 'forbidden');
    });
  });

  describe('RevisePlan', () => {
    it("replaces the open round's drafts", () => {
      spec.given([proposed()]).when(revise()).then([revised()]);
      spec
        .given([proposed(), revised()])
        .when(revise(drafts().reverse()))
        .then([revised(drafts().reverse())]);
    });

    it('revises a rework round with the remaining work (any positive total)', () => {
      spec
        .given([proposed(), planned(), reworkRequested(2)])
        .when(revise(reworkDrafts()))
        .then([revised(reworkDrafts(), 2)]);
    });

    it('refuses an invalid plan with every violation, kind invalid', () => {
      const tasks = drafts();
      tasks[0] = { ...tasks[0]!, estimatedMinutes: 200, skills: [] };
      tasks[2] = { ...tasks[2]!, dependsOn: ['a', 'ghost'] };
      const error = spec
        .given([proposed()])
        .when(revise(tasks))
        .thenThrows('plan.invalid', 'invalid') as ValidationError;
      const codes = (error.details.violations as { code: string }[]).map((v) => v.code);
      expect(codes).toEqual([
        'plan.task_too_long',
        'plan.skills_missing',
        'plan.unknown_dependency',
        'plan.estimates_mismatch',
      ]);
    });

    it("holds round 1 to the job's estimate", () => {
      const tasks = drafts();
      tasks[2] = { ...tasks[2]!, estimatedMinutes: 59 };
      spec.given([proposed()]).when(revise(tasks)).thenThrows('plan.invalid', 'invalid');
    });

    it('refuses a plan that does not exist', () => {
      spec.given([]).when(revise()).thenThrows('plan.not_found', 'not_found');
    });

    it('refuses a draft holding text the store cannot keep (a NUL, a lone surrogate), naming the field', () => {
      const nul = (change: Partial<ReturnType<typeof drafts>[number]>, field: string) => {
        const tasks = drafts();
        tasks[1] = { ...tasks[1]!, ...change };
        const error = spec.given([proposed()]).when(revise(tasks)).thenThrows('text.invalid_characters', 'invalid');
        expect(error.details).toMatchObject({ field });
      };
      nul({ title: 'Enter\u0000records' }, 'tasks[1].title');
      nul({ key: 'b\u0000' }, 'tasks[1].key');
      nul({ skills: ['data entry', 'excel\ud800'] }, 'tasks[1].skills[1]');
      nul({ dependsOn: ['\u0000'] }, 'tasks[1].depends_on[0]');
    });

    it("refuses anyone but a coordinator of the job's region", () => {
      for (const someone of [setagayaCoordinator, business, operator, processManager]) {
        spec.given([proposed()]).when(revise(drafts(), someone)).thenThrows('plan.forbidden', 'forbidden');
      }
    });

    it('refuses when no round is open (confirmed) or the job was cancelled', () => {
      spec.given([proposed(), planned()]).when(revise()).thenThrows('plan.not_open', 'rule');
      spec.given([proposed(), cancelled()]).when(revise()).thenThrows('plan.cancelled', 'rule');
    });
  });

  describe('ConfirmPlan', () => {
    it('plans the proposed tasks with ids derived from job, round and key, dependencies as task ids', () => {
      const tasks = proposeTasks(job(), 120);
      spec
        .given([proposed()])
        .when(confirm())
        .then([planned(tasks)]);
      const [event] = planDecider.decide(confirm(), planDecider.evolve(planDecider.initialState(), proposed()));
      expect(event?.type === 'TasksPlanned' && event.data.tasks.map((t) => t.taskId)).toEqual(
        tasks.map((t) => taskIdFor(JOB_ID, 1, t.key)),
      );
      expect(event?.data).toMatchObject({
        businessId: BUSINESS_ID,
        regionId: 'fujisato',
        workCategory: 'data_entry',
        round: 1,
        plannedBy: coordinator.id,
      });
    });

    it('plans the revised tasks', () => {
      spec.given([proposed(), revised()]).when(confirm()).then([planned()]);
    });

    it('plans a rework round once revised: its own ids, its own dependencies', () => {
      spec
        .given([proposed(), planned(), reworkRequested(2), revised(reworkDrafts(), 2)])
        .when(confirm())
        .then([planned(reworkDrafts(), 2)]);
      expect(taskIdFor(JOB_ID, 2, 'a')).not.toBe(taskIdFor(JOB_ID, 1, 'a'));
    });

    it('refuses a rework round with no tasks yet', () => {
      spec
        .given([proposed(), planned(), reworkRequested(2)])
        .when(confirm())
        .thenThrows('plan.no_tasks', 'rule');
    });

    it('refuses a missing plan, another region, a confirmed or a cancelled plan', () => {
      spec.given([]).when(confirm()).thenThrows('plan.not_found', 'not_found');
      spec.given([proposed()]).when(confirm(setagayaCoordinator)).thenThrows('plan.forbidden', 'forbidden');
      spec.given([proposed(), planned()]).when(confirm()).thenThrows('plan.not_open', 'rule');
      spec.given([proposed(), cancelled()]).when(confirm()).thenThrows('plan.cancelled', 'rule');
    });

    it('refuses drafts that no longer hold (a plan proposed over a window it does not fit)', () => {
      const event = proposed();
      if (event.type !== 'PlanProposed') throw new Error('fixture');
      const tooLong = { ...event, data: { ...event.data, maxTaskMinutes: 30 } };
      spec.given([tooLong]).when(confirm()).thenThrows('plan.invalid', 'invalid');
    });
  });

  describe('RequestRework (JobInspected, rejected)', () => {
    it('opens the next round after a confirmed one', () => {
      spec
        .given([proposed(), planned()])
        .when(rework())
        .then([reworkRequested(2)]);
      spec
        .given([proposed(), planned(), reworkRequested(2), revised(reworkDrafts(), 2), planned(reworkDrafts(), 2)])
        .when(rework('still wrong'))
        .then([reworkRequested(3, 'still wrong')]);
    });

    it('keeps a round still open as the round of the remaining work, drafts and all', () => {
      spec
        .given([proposed(), revised()])
        .when(rework())
        .then([reworkRequested(1)]);
      const state = [proposed(), revised(), reworkRequested(1)].reduce(planDecider.evolve, planDecider.initialState());
      expect(state).toMatchObject({ status: 'rework_needed', round: 1, drafts: drafts() });
      spec
        .given([proposed(), revised(), reworkRequested(1)])
        .when(confirm())
        .then([planned()]);
    });

    it('refuses a missing or cancelled plan', () => {
      spec.given([]).when(rework()).thenThrows('plan.not_found', 'not_found');
      spec.given([proposed(), cancelled()]).when(rework()).thenThrows('plan.cancelled', 'rule');
    });

    it('is the process manager’s only: a coordinator or an operator is refused', () => {
      for (const by of [coordinator, operator]) {
        spec.given([proposed(), planned()]).when(rework('done badly', by)).thenThrows('plan.forbidden', 'forbidden');
      }
    });
  });

  describe('CancelPlan (JobCancelled)', () => {
    it('cancels a proposed, confirmed or reworked plan', () => {
      spec.given([proposed()]).when(cancel()).then([cancelled()]);
      spec.given([proposed(), planned()]).when(cancel()).then([cancelled()]);
      spec
        .given([proposed(), planned(), reworkRequested(2)])
        .when(cancel())
        .then([cancelled()]);
    });

    it('does nothing for a job that never had a plan, or a plan cancelled already', () => {
      spec.given([]).when(cancel()).thenNothing();
      spec.given([proposed(), cancelled()]).when(cancel()).thenNothing();
    });

    it('is the process manager’s only: a coordinator or the business is refused', () => {
      for (const by of [coordinator, business]) {
        spec.given([proposed()]).when(cancel('no longer needed', by)).thenThrows('plan.forbidden', 'forbidden');
      }
    });
  });

  describe('evolve', () => {
    it('keeps every confirmed round, dependencies by key, and clears the rework reason once planned', () => {
      const events = [
        proposed(),
        revised(),
        planned(),
        reworkRequested(2),
        revised(reworkDrafts(), 2),
        planned(reworkDrafts(), 2),
      ];
      const states = events.map((_, i) =>
        events.slice(0, i + 1).reduce(planDecider.evolve, planDecider.initialState()),
      );
      expect(states.map((s) => s.status)).toEqual([
        'proposed',
        'proposed',
        'confirmed',
        'rework_needed',
        'proposed',
        'confirmed',
      ]);
      expect(states[3]).toMatchObject({ round: 2, drafts: [], reworkReason: 'records 40-60 have wrong postcodes' });
      const last = states[5]!;
      if (last.status === 'none') throw new Error('no plan');
      expect(last.reworkReason).toBeNull();
      expect(last.planned.map((t) => [t.key, t.round, t.dependsOn])).toEqual([
        ['a', 1, []],
        ['b', 1, []],
        ['check', 1, ['a', 'b']],
        ['fix', 2, []],
        ['recheck', 2, ['fix']],
      ]);
    });
  });
});
