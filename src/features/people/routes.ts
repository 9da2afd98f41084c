import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS } from '../../platform/http/caseAccess.ts';
import { reachMeInputSchema } from './reachMeSchemas.ts';
import { PeopleError } from './peopleService.ts';
import {
  CHANNELS,
  CONTACT_KINDS,
  INTERPRETER,
  OUTCOMES,
  RETIRE_REASONS,
  STAFF_OUTCOMES,
  VALUE_HINTS,
  attemptInputSchema,
  contactPointInputSchema,
  personInputSchema,
  retireSchema,
  splitList,
} from './schemas.ts';

const config = { access: CASE_WORKERS };
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const idParams = z.object({ id: z.string().regex(ID) });
const pointParams = idParams.extend({ cpId: z.string().regex(ID) });
const entryParams = idParams.extend({ entryId: z.string().regex(ID) });
const REFERENCE = /^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/;
const NOT_FOUND = () => new HttpError(404, 'not_found', 'There is no such person in your organisation.');

type Problems = { field: string; message: string }[];
const zodProblems = (error: z.ZodError, prefix = ''): Problems =>
  error.issues.map((i) => ({ field: `${prefix}${String(i.path[0] ?? 'form')}`, message: i.message }));

const staffOutcomes = STAFF_OUTCOMES.map((key) => ({ value: key, text: OUTCOMES[key] }));
const lookups = {
  contactKinds: CONTACT_KINDS,
  valueHints: VALUE_HINTS,
  retireReasons: RETIRE_REASONS,
  channels: CHANNELS,
  staffOutcomes,
  interpreterOptions: INTERPRETER,
};

/** People pages: the list, a person's record, contact points (the call view), attempts, merging, reach-me entries. */
export async function peopleRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const params = <T extends z.ZodType>(schema: T, request: FastifyRequest): z.infer<T> => {
    const parsed = schema.safeParse(request.params);
    if (!parsed.success) throw NOT_FOUND();
    return parsed.data;
  };

  /** The person page's context; the view is audited. */
  const personPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const { id } = params(idParams, request);
    const actor = actorOf(request);
    const person = await services.people.view(actor, id);
    if (!person) throw NOT_FOUND();
    return {
      pageTitle: person.workingName,
      person,
      activePoints: person.contactPoints.filter((p) => !p.retiredAt),
      retiredPoints: person.contactPoints.filter((p) => p.retiredAt),
      reachMe: await services.reachMe.forPerson(actor.orgId, id),
      cpValues: { safeToLeaveMessage: '' },
      atValues: {},
      rmValues: {},
      ...lookups,
      ...extra,
    };
  };
  const renderPerson = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown>,
    problems: Problems,
  ) =>
    reply.code(400).render('people/views/person.njk', await personPage(request, { ...formErrors(problems), ...extra }));

  app.get('/staff/people', { config }, async (request, reply) => {
    const query = z
      .object({
        name: z.string().trim().max(100).optional(),
        linkTo: z.string().regex(REFERENCE).optional(),
        page: z.coerce.number().int().min(1).max(10_000).optional(),
      })
      .safeParse(request.query);
    const q = query.success ? query.data : {};
    const actor = actorOf(request);
    const { items, hasMore } = await services.people.list(actor.orgId, { name: q.name || undefined, page: q.page });
    return reply.render('people/views/list.njk', {
      pageTitle: 'People',
      items,
      hasMore,
      page: q.page ?? 1,
      name: q.name ?? '',
      linkTo: q.linkTo ?? '',
    });
  });

  app.get('/staff/people/new', { config }, async (request, reply) => {
    const report = z.object({ report: z.string().regex(REFERENCE) }).safeParse(request.query);
    return reply.render('people/views/new.njk', {
      pageTitle: 'Add a person',
      values: { interpreter: 'unknown', report: report.success ? report.data.report : '' },
      interpreterOptions: INTERPRETER,
    });
  });

  app.post('/staff/people', { config }, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = personInputSchema.safeParse({
      workingName: values.workingName ?? '',
      otherNames: splitList(values.otherNames),
      languages: splitList(values.languages),
      interpreter: values.interpreter || 'unknown',
      notes: values.notes ?? '',
    });
    const fail = (problems: Problems) =>
      reply.code(400).render('people/views/new.njk', {
        pageTitle: 'Add a person',
        values,
        interpreterOptions: INTERPRETER,
        ...formErrors(problems),
      });
    if (!parsed.success) return fail(zodProblems(parsed.error));
    const actor = actorOf(request);
    let reportId: string | undefined;
    if (values.report) {
      reportId = REFERENCE.test(values.report)
        ? await services.caseWork.reportId(actor.orgId, values.report)
        : undefined;
      if (!reportId)
        return fail([{ field: 'workingName', message: 'The report to link to was not found in your organisation' }]);
    }
    const { id } = await services.people.create(actor, parsed.data, reportId);
    return reply.redirect(reportId ? `/staff/reports/${values.report}#person` : `/staff/people/${id}`, 303);
  });

  app.get('/staff/people/:id', { config }, async (request, reply) =>
    reply.render('people/views/person.njk', await personPage(request)),
  );

  app.post('/staff/people/:id/reports', { config }, async (request, reply) => {
    const { id } = params(idParams, request);
    const values = formBody(request.body);
    try {
      await services.people.linkReport(actorOf(request), id, values.reference ?? '');
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      if (error.field === 'person') throw NOT_FOUND();
      return renderPerson(request, reply, { linkValues: values }, [{ field: 'reference', message: error.message }]);
    }
    return reply.redirect(
      values.back === 'report' ? `/staff/reports/${values.reference}#person` : `/staff/people/${id}#reports`,
      303,
    );
  });

  app.post('/staff/people/:id/contact-points', { config }, async (request, reply) => {
    const { id } = params(idParams, request);
    const values = formBody(request.body);
    const cpValues = {
      kind: values.kind,
      value: values.value,
      safeToLeaveMessage: values.safeToLeaveMessage,
      safeTimes: values.safeTimes,
      codeWord: values.codeWord,
    };
    const parsed = contactPointInputSchema.safeParse({
      ...cpValues,
      safeToLeaveMessage:
        values.safeToLeaveMessage === 'yes' ? true : values.safeToLeaveMessage === 'no' ? false : undefined,
    });
    if (!parsed.success) return renderPerson(request, reply, { cpValues }, zodProblems(parsed.error, 'cp-'));
    try {
      await services.people.addContactPoint(actorOf(request), id, parsed.data, 'staff');
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      if (error.field === 'person') throw NOT_FOUND();
      return renderPerson(request, reply, { cpValues }, [{ field: `cp-${error.field}`, message: error.message }]);
    }
    return reply.redirect(`/staff/people/${id}#contact-points`, 303);
  });

  app.post('/staff/people/:id/contact-attempts', { config }, async (request, reply) => {
    const { id } = params(idParams, request);
    const values = formBody(request.body);
    const parsed = attemptInputSchema.safeParse({ ...values, contactPointId: values.contactPointId || undefined });
    const back =
      values.back && ID.test(values.back)
        ? `/staff/people/${id}/contact-points/${values.back}`
        : `/staff/people/${id}#attempts`;
    if (!parsed.success) return renderPerson(request, reply, { atValues: values }, zodProblems(parsed.error, 'at-'));
    try {
      await services.people.recordAttempt(actorOf(request), id, parsed.data);
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      if (error.field === 'person') throw NOT_FOUND();
      return renderPerson(request, reply, { atValues: values }, [
        { field: `at-${error.field}`, message: error.message },
      ]);
    }
    return reply.redirect(back, 303);
  });

  /** The call view: the safe-contact rules first, then the value. Audited. */
  const callPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const { id, cpId } = params(pointParams, request);
    const point = await services.people.contactPointForCall(actorOf(request), id, cpId);
    if (!point) throw new HttpError(404, 'not_found', 'There is no such contact point.');
    return {
      pageTitle: `${point.kindLabel} for ${point.workingName}`,
      personId: id,
      point,
      atValues: {},
      ...lookups,
      ...extra,
    };
  };

  app.get('/staff/people/:id/contact-points/:cpId', { config }, async (request, reply) =>
    reply.render('people/views/contact-point.njk', await callPage(request)),
  );

  app.post('/staff/people/:id/contact-points/:cpId/retire', { config }, async (request, reply) => {
    const { id, cpId } = params(pointParams, request);
    const parsed = retireSchema.safeParse(formBody(request.body));
    const fail = async (message: string) =>
      reply
        .code(400)
        .render(
          'people/views/contact-point.njk',
          await callPage(request, { ...formErrors([{ field: 'reason', message }]) }),
        );
    if (!parsed.success) return fail(parsed.error.issues[0]!.message);
    try {
      await services.people.retireContactPoint(actorOf(request), id, cpId, parsed.data.reason);
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      if (error.field === 'contactPoint') throw new HttpError(404, 'not_found', 'There is no such contact point.');
      return fail(error.message);
    }
    return reply.redirect(`/staff/people/${id}#contact-points`, 303);
  });

  app.post('/staff/people/:id/contact-points/:cpId/confirm', { config }, async (request, reply) => {
    const { id, cpId } = params(pointParams, request);
    try {
      await services.people.confirmContactPoint(actorOf(request), id, cpId);
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      if (!(await services.people.exists(actorOf(request).orgId, id))) throw NOT_FOUND();
      return reply
        .code(400)
        .render(
          'people/views/contact-point.njk',
          await callPage(request, { ...formErrors([{ field: 'confirm', message: error.message }]) }),
        );
    }
    return reply.redirect(`/staff/people/${id}#contact-points`, 303);
  });

  const mergePage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const { id } = params(idParams, request);
    const actor = actorOf(request);
    const workingName = await services.people.workingName(actor.orgId, id);
    if (workingName === undefined) throw NOT_FOUND();
    return {
      pageTitle: `Merge another record into ${workingName}`,
      personId: id,
      workingName,
      candidates: await services.people.mergeCandidates(actor.orgId, id),
      ...extra,
    };
  };

  app.get('/staff/people/:id/merge', { config }, async (request, reply) =>
    reply.render('people/views/merge.njk', await mergePage(request)),
  );

  app.post('/staff/people/:id/merge', { config }, async (request, reply) => {
    const { id } = params(idParams, request);
    const values = formBody(request.body);
    const fail = async (message: string) =>
      reply
        .code(400)
        .render('people/views/merge.njk', await mergePage(request, { ...formErrors([{ field: 'other', message }]) }));
    if (!values.other || !ID.test(values.other)) return fail('Choose the record to merge into this one');
    if (values.confirm !== 'yes') return fail('Confirm that both records are the same person');
    try {
      await services.people.merge(actorOf(request), id, values.other);
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      if (error.field === 'person') throw NOT_FOUND();
      return fail(error.message);
    }
    return reply.redirect(`/staff/people/${id}#history`, 303);
  });

  app.post('/staff/people/:id/reach-me', { config }, async (request, reply) => {
    const { id } = params(idParams, request);
    const values = formBody(request.body);
    const parsed = reachMeInputSchema.safeParse(values);
    if (!parsed.success) return renderPerson(request, reply, { rmValues: values }, zodProblems(parsed.error, 'rm-'));
    try {
      await services.reachMe.add(actorOf(request), id, parsed.data);
    } catch (error) {
      if (error instanceof PeopleError) throw NOT_FOUND();
      throw error;
    }
    return reply.redirect(`/staff/people/${id}#reach-me`, 303);
  });

  app.post('/staff/people/:id/reach-me/:entryId/close', { config }, async (request, reply) => {
    const { id, entryId } = params(entryParams, request);
    try {
      await services.reachMe.close(actorOf(request), id, entryId);
    } catch (error) {
      if (error instanceof PeopleError) throw new HttpError(404, 'not_found', 'There is no such reach-me entry.');
      throw error;
    }
    return reply.redirect(`/staff/people/${id}#reach-me`, 303);
  });
}
