import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS } from '../../platform/http/caseAccess.ts';
import { CaseWorkError, noteSchema, taskSchema } from './caseWork.ts';
import type { CasePage } from './casePage.ts';

const CASE_PAGE = 'reporting/views/staff-report.njk';
const taskDoneSchema = z.object({ done: z.enum(['yes', 'no']) });
const taskParams = z.object({ taskId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/**
 * Notes and tasks posted from the case page. Registered by the case page's
 * routes (which own `showReport`), so a form with a problem re-renders the
 * whole page with the error summary and what was typed.
 */
export function caseActionRoutes(app: FastifyInstance, services: Services, showReport: CasePage): void {
  const config = { access: CASE_WORKERS };

  app.post('/staff/reports/:reference/notes', { config }, async (request, reply) => {
    const { report } = await showReport(request);
    const noteValues = formBody(request.body);
    const parsed = noteSchema.safeParse({ body: noteValues.note ?? '' });
    if (!parsed.success)
      return reply.code(400).render(
        CASE_PAGE,
        await showReport(request, {
          ...formErrors([{ field: 'note', message: parsed.error.issues[0]!.message }]),
          noteValues,
        }),
      );
    await services.caseWork.addNote(actorOf(request), report.id, parsed.data.body);
    return reply.redirect(`/staff/reports/${report.reference}#notes`, 303);
  });

  app.post('/staff/reports/:reference/tasks', { config }, async (request, reply) => {
    const { report } = await showReport(request);
    const taskValues = formBody(request.body);
    const parsed = taskSchema.safeParse(taskValues);
    const fail = async (problems: { field: string; message: string }[]) =>
      reply.code(400).render(
        CASE_PAGE,
        await showReport(request, {
          ...formErrors(problems.map((p) => ({ field: `task-${p.field}`, message: p.message }))),
          taskValues,
        }),
      );
    if (!parsed.success)
      return fail(parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message })));
    try {
      await services.caseWork.addTask(actorOf(request), report.id, parsed.data);
    } catch (error) {
      if (!(error instanceof CaseWorkError)) throw error;
      return fail([{ field: error.field, message: error.message }]);
    }
    return reply.redirect(`/staff/reports/${report.reference}#tasks`, 303);
  });

  app.post('/staff/reports/:reference/tasks/:taskId', { config }, async (request, reply) => {
    const { report } = await showReport(request);
    const params = taskParams.safeParse(request.params);
    const parsed = taskDoneSchema.safeParse(formBody(request.body));
    if (!params.success || !parsed.success)
      return reply.code(400).render(
        CASE_PAGE,
        await showReport(request, {
          ...formErrors([{ field: 'tasks', message: 'Choose a task to mark done or not done' }]),
        }),
      );
    try {
      await services.caseWork.setTaskDone(actorOf(request), report.id, params.data.taskId, parsed.data.done === 'yes');
    } catch (error) {
      if (!(error instanceof CaseWorkError)) throw error;
      return reply
        .code(400)
        .render(CASE_PAGE, await showReport(request, { ...formErrors([{ field: 'tasks', message: error.message }]) }));
    }
    return reply.redirect(`/staff/reports/${report.reference}#tasks`, 303);
  });
}

/** "My tasks": open tasks the signed-in person owns, overdue first. */
export async function caseWorkRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/staff/tasks', { config: { access: CASE_WORKERS } }, async (request, reply) => {
    const staff = staffOf(request);
    const tasks = await services.caseWork.myTasks(staff.orgId, staff.userId);
    return reply.render('casework/views/tasks.njk', { pageTitle: 'My tasks', tasks });
  });
}
