import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import type { StaffIdentity } from '../../platform/http/principal.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS, WARNING_READERS } from '../../platform/http/caseAccess.ts';
import { INCIDENT_TYPES } from '../vocabulary/index.ts';
import { describeIdentifier, readCheckForm } from '../identifiers/index.ts';
import { listFilterSchema, splitLines, warningDraftSchema, withdrawSchema } from './warningSchema.ts';
import { WarningError, type WarningFormValues } from './warningService.ts';

const WORKERS = { access: CASE_WORKERS } as const;
const READERS = { access: WARNING_READERS } as const;
/** Checks are cheap to make and could be used to probe the list: limited per address. */
const CHECK_LIMIT = { max: 60, timeWindow: '1 minute' };
const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/) });
const PRINT_CSS = fs.readFileSync(new URL('./views/print.css', import.meta.url), 'utf8');

const NOT_FOUND = () => new HttpError(404, 'not_found', 'There is no warning with that address in your organisation.');
const worksCases = (staff: StaffIdentity) =>
  [staff.role, staff.caseworkRole].some((r) => r === 'caseworker' || r === 'liaison');

/** Warnings to others, for staff: drafting from reports, four-eyes approval, the lists, the printable sheet and the checker. */
export async function warningRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const choices = async (orgId: string) => ({
    areas: await services.organisations.areas(orgId),
    incidentTypes: INCIDENT_TYPES,
  });

  // ---- lists ----------------------------------------------------------------

  app.get('/staff/warnings', { config: READERS }, async (request, reply) => {
    const staff = staffOf(request);
    const filter = listFilterSchema.parse(request.query ?? {});
    const overview = await services.warnings.overview(staff.orgId, {
      area: filter.area || undefined,
      type: filter.type || undefined,
    });
    const caseworker = worksCases(staff);
    return reply.render('warnings/views/list.njk', {
      pageTitle: 'Warnings',
      caseworker,
      // Outreach and administrators see what is published, never drafts or ended ones.
      drafts: caseworker ? overview.drafts : [],
      active: overview.active,
      ended: caseworker ? overview.ended : [],
      filter,
      printQuery: new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString(),
      ...(await choices(staff.orgId)),
    });
  });

  app.get('/staff/warnings/print', { config: READERS }, async (request, reply) => {
    const staff = staffOf(request);
    const filter = listFilterSchema.parse(request.query ?? {});
    const warnings = await services.warnings.activeViews(staff.orgId, {
      area: filter.area || undefined,
      type: filter.type || undefined,
    });
    return reply.render('warnings/views/print.njk', {
      pageTitle: 'Warnings',
      warnings,
      printedAt: services.now().toISOString(),
      filter,
      incidentTypes: INCIDENT_TYPES,
    });
  });

  app.get('/staff/warnings/print.css', { config: READERS }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(PRINT_CSS),
  );

  // ---- the number and vehicle checker ---------------------------------------

  app.get('/staff/warnings/check', { config: READERS }, async (_request, reply) =>
    reply.render('warnings/views/check.njk', { pageTitle: 'Check a number or vehicle', values: {} }),
  );

  app.post('/staff/warnings/check', { config: { ...READERS, rateLimit: CHECK_LIMIT } }, async (request, reply) => {
    const form = readCheckForm(formBody(request.body));
    const values = { value: form.value };
    if (!form.ok)
      return reply.code(400).render('warnings/views/check.njk', {
        pageTitle: 'Check a number or vehicle',
        values,
        ambiguous: form.ambiguous,
        ...formErrors([{ field: form.field, message: form.message }]),
      });
    const matches = await services.warnings.staffCheck(actorOf(request), form.identifier);
    return reply.render('warnings/views/check.njk', {
      pageTitle: 'Check a number or vehicle',
      values,
      checked: describeIdentifier(form.identifier),
      matches,
    });
  });

  // ---- drafting ---------------------------------------------------------------

  const editor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refs: string[],
    values: Partial<WarningFormValues>,
    status: number,
    problems: { field: string; message: string }[] = [],
  ) => {
    const staff = staffOf(request);
    let sources: Awaited<ReturnType<typeof services.warnings.prefill>> | undefined;
    try {
      sources = refs.length ? await services.warnings.prefill(actorOf(request), refs) : undefined;
    } catch (error) {
      if (!(error instanceof WarningError)) throw error;
      problems = [...problems, { field: 'reports', message: error.message }];
    }
    if (!sources) {
      return reply.code(refs.length || problems.length ? 400 : status).render('warnings/views/choose.njk', {
        pageTitle: 'Draft a warning',
        values: { reports: refs.join(', ') },
        ...(problems.length ? formErrors(problems) : {}),
      });
    }
    return reply.code(status).render('warnings/views/editor.njk', {
      pageTitle: 'Draft a warning',
      reports: sources.reports,
      values: { ...sources.values, ...values },
      ...(await choices(staff.orgId)),
      ...(problems.length ? formErrors(problems) : {}),
    });
  };

  app.get('/staff/warnings/new', { config: WORKERS }, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const refs = ([] as unknown[])
      .concat(query.reports ?? [])
      .flatMap((r) => splitLines(String(r).replace(/\s+/g, ','), true))
      .slice(0, 20);
    return editor(request, reply, refs, {}, 200);
  });

  app.post('/staff/warnings/new', { config: WORKERS }, async (request, reply) => {
    const raw = formBody(request.body);
    const values: WarningFormValues = {
      reports: raw.reports ?? '',
      title: raw.title ?? '',
      body: raw.body ?? '',
      type: raw.type ?? '',
      area: raw.area ?? '',
      phones: raw.phones ?? '',
      registrations: raw.registrations ?? '',
      handles: raw.handles ?? '',
      vehicle: raw.vehicle ?? '',
      description: raw.description ?? '',
    };
    const refs = splitLines(values.reports.replace(/\s+/g, ','), true).slice(0, 20);
    const parsed = warningDraftSchema.safeParse({
      ...values,
      reports: refs,
      area: values.area || null,
      phones: splitLines(values.phones, true),
      registrations: splitLines(values.registrations, true),
      handles: splitLines(values.handles),
    });
    if (!parsed.success)
      return editor(
        request,
        reply,
        refs,
        values,
        400,
        parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'title'), message: i.message })),
      );
    try {
      const id = await services.warnings.draft(actorOf(request), parsed.data);
      return reply.redirect(`/staff/warnings/${id}`, 303);
    } catch (error) {
      if (!(error instanceof WarningError)) throw error;
      return editor(request, reply, refs, values, 400, [{ field: error.field ?? 'title', message: error.message }]);
    }
  });

  // ---- one warning: approve (someone else), withdraw --------------------------

  const showWarning = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    extra: Record<string, unknown> = {},
  ) => {
    const params = idParams.safeParse(request.params);
    const actor = actorOf(request);
    const warning = params.success ? await services.warnings.detail(actor, params.data.id) : undefined;
    if (!warning) throw NOT_FOUND();
    const isAuthor = warning.author.kind === actor.kind && warning.author.id === actor.id;
    return reply
      .code(status)
      .render('warnings/views/show.njk', { pageTitle: warning.title, warning, isAuthor, values: {}, ...extra });
  };

  app.get('/staff/warnings/:id', { config: WORKERS }, async (request, reply) => showWarning(request, reply));

  app.post('/staff/warnings/:id/approve', { config: WORKERS }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) throw NOT_FOUND();
    try {
      await services.warnings.approve(actorOf(request), params.data.id);
    } catch (error) {
      if (!(error instanceof WarningError)) throw error;
      if (error.code === 'not_found') throw NOT_FOUND();
      return showWarning(request, reply, error.code === 'same-author' ? 409 : 400, {
        ...formErrors([{ field: 'approve', message: error.message }]),
      });
    }
    return reply.redirect(`/staff/warnings/${params.data.id}?published=1`, 303);
  });

  app.post('/staff/warnings/:id/withdraw', { config: WORKERS }, async (request, reply) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) throw NOT_FOUND();
    const values = formBody(request.body);
    const parsed = withdrawSchema.safeParse(values);
    try {
      if (!parsed.success) {
        // Still a 404 for a warning that is not this organisation's.
        return await showWarning(request, reply, 400, {
          values,
          ...formErrors(parsed.error.issues.map((i) => ({ field: 'reason', message: i.message }))),
        });
      }
      await services.warnings.withdraw(actorOf(request), params.data.id, parsed.data.reason);
    } catch (error) {
      if (!(error instanceof WarningError)) throw error;
      if (error.code === 'not_found') throw NOT_FOUND();
      return showWarning(request, reply, 400, { values, ...formErrors([{ field: 'reason', message: error.message }]) });
    }
    return reply.redirect(`/staff/warnings/${params.data.id}`, 303);
  });
}
