import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS, POLICE_REFERRAL_READERS, POLICE_SUPERVISORS } from '../../platform/http/caseAccess.ts';
import { INCIDENT_TYPES } from '../vocabulary/index.ts';
import { PartnershipError } from './partnershipService.ts';
import { CONSENT_FOR_LEVEL, REFERRAL_LEVELS, toCsv, type ReferralLevel } from './referralContent.ts';
import {
  ReferralError,
  acceptSchema,
  declineSchema,
  referralFormSchema,
  type PoliceViewer,
} from './referralService.ts';

const SUPPORT_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;
const POLICE_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'police' } } as const;
const ADMINS = { access: { kind: 'staff', roles: ['admin'] } } as const;
const referenceSchema = z.object({ reference: z.string().regex(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/) });
const idSchema = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/) });
const partnerSchema = z.string().trim().min(1).max(64);
const STATUS_FILTER = z.object({ status: z.enum(['new', 'accepted', 'declined']).optional().catch(undefined) });

export const LEVEL_LABELS: Record<ReferralLevel, string> = {
  intelligence: 'Intelligence (anonymous)',
  full: 'Full crime report',
};

const STATUS_LABELS = { new: 'New', accepted: 'Accepted', declined: 'Declined' } as const;

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'Page not found');
}

function policeViewer(request: FastifyRequest): PoliceViewer {
  return { ...actorOf(request), role: staffOf(request).role };
}

/**
 * Partnerships (support organisation administrators), sending referrals from
 * a case (caseworkers and liaison officers), and the police side: the force's
 * referrals, each checked against live consent, accepted or declined.
 */
export async function referralRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { referrals, partnerships } = services;

  // ---- Partnerships: the charity asks, the force's administrator accepts; either ends it ----
  const partnershipPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const staff = staffOf(request);
    const sides =
      staff.orgKind === 'support'
        ? {
            linked: await partnerships.linkedForces(staff.orgId),
            requested: await partnerships.requestedForces(staff.orgId),
            available: await partnerships.unlinkedForces(staff.orgId),
          }
        : await partnerships.forForce(staff.orgId);
    return reply.code(status).render(`referrals/views/partnerships-${staff.orgKind}.njk`, {
      pageTitle: 'Police partnerships',
      ...sides,
      saved: (request.query as Record<string, unknown>).saved,
      ...extra,
    });
  };

  app.get('/admin/partnerships', { config: ADMINS }, async (request, reply) => partnershipPage(request, reply));

  for (const [path, change, config, field] of [
    ['/admin/partnerships', 'requested', SUPPORT_ADMINS, 'police'],
    ['/admin/partnerships/accept', 'accepted', POLICE_ADMINS, 'support'],
    ['/admin/partnerships/remove', 'removed', ADMINS, 'partner'],
  ] as const) {
    app.post(path, { config }, async (request, reply) => {
      const staff = staffOf(request);
      const admin = { userId: staff.userId, orgId: staff.orgId, orgKind: staff.orgKind };
      const chosen = partnerSchema.safeParse(formBody(request.body)[field]);
      const choose = staff.orgKind === 'support' ? 'Choose a police force' : 'Choose an organisation';
      if (!chosen.success) return partnershipPage(request, reply, { ...formErrors([{ field, message: choose }]) }, 400);
      try {
        if (change === 'requested') await partnerships.request(admin, chosen.data);
        else if (change === 'accepted') await partnerships.accept(admin, chosen.data);
        else await partnerships.end(admin, chosen.data);
      } catch (error) {
        if (!(error instanceof PartnershipError)) throw error;
        return partnershipPage(request, reply, { ...formErrors([{ field, message: error.message }]) }, 400);
      }
      return reply.redirect(`/admin/partnerships?saved=${change}`, 303);
    });
  }

  // ---- Sending a referral from a case ----
  const reportOf = async (request: FastifyRequest) => {
    const params = referenceSchema.safeParse(request.params);
    const reportId = params.success
      ? await referrals.reportIdOf(staffOf(request).orgId, params.data.reference)
      : undefined;
    if (!params.success || !reportId)
      throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
    return { reference: params.data.reference, reportId };
  };

  const newReferralPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const { reference, reportId } = await reportOf(request);
    const orgId = staffOf(request).orgId;
    const consents = await referrals.consents(reportId);
    const level = (REFERRAL_LEVELS as readonly string[]).includes(values.level ?? '')
      ? (values.level as ReferralLevel)
      : undefined;
    const consentMissing = level ? !consents[CONSENT_FOR_LEVEL[level]] : false;
    return reply.code(status).render('referrals/views/new-referral.njk', {
      pageTitle: `Refer ${reference} to the police`,
      reference,
      forces: await partnerships.linkedForces(orgId),
      levels: LEVEL_LABELS,
      level,
      consents,
      consentMissing,
      values: {
        ...values,
        summary: values.summary ?? (level && !consentMissing ? await referrals.draft(orgId, reportId, level) : ''),
      },
      ...extra,
    });
  };

  app.get('/staff/reports/:reference/referrals/new', { config: { access: CASE_WORKERS } }, async (request, reply) => {
    // Choosing the force and level is a GET form: any choice (or none) shows the form; sending validates.
    const query = formBody(request.query);
    return newReferralPage(request, reply, { force: query.force ?? '', level: query.level ?? '' });
  });

  app.post('/staff/reports/:reference/referrals', { config: { access: CASE_WORKERS } }, async (request, reply) => {
    const { reference, reportId } = await reportOf(request);
    const values = formBody(request.body);
    const kept = { force: values.force ?? '', level: values.level ?? '', summary: values.summary ?? '' };
    const parsed = referralFormSchema.safeParse(kept);
    if (!parsed.success) return newReferralPage(request, reply, kept, { ...zodFormErrors(parsed.error) }, 400);
    try {
      await referrals.send(actorOf(request), reportId, parsed.data);
    } catch (error) {
      if (!(error instanceof ReferralError)) throw error;
      return newReferralPage(
        request,
        reply,
        kept,
        { ...formErrors([{ field: error.field, message: error.message }]) },
        error.code === 'consent-required' ? 409 : 400,
      );
    }
    return reply.redirect(`/staff/reports/${reference}?referred=1#referrals`, 303);
  });

  // ---- Police ----
  const asHttp = (error: unknown): never => {
    if (error instanceof ReferralError && error.code === 'not-found') throw notFound();
    throw error;
  };

  app.get('/police/referrals', { config: { access: POLICE_REFERRAL_READERS } }, async (request, reply) => {
    const { status } = STATUS_FILTER.parse(request.query);
    const viewer = policeViewer(request);
    return reply.render('referrals/views/police-list.njk', {
      pageTitle: 'Referrals',
      items: await referrals.policeList(viewer, status),
      status,
      supervisor: viewer.role === 'supervisor',
      levels: LEVEL_LABELS,
      statuses: STATUS_LABELS,
    });
  });

  const referralPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const params = idSchema.safeParse(request.params);
    if (!params.success) throw notFound();
    const viewer = policeViewer(request);
    const referral = await referrals.policeView(viewer, params.data.id).catch(asHttp);
    const supervisor = viewer.role === 'supervisor';
    return reply.code(status).render('referrals/views/police-referral.njk', {
      pageTitle: `Referral ${referral.id.slice(0, 8)}`,
      referral,
      supervisor,
      // Officers who completed a partner charity's training are marked (features/training).
      officers:
        supervisor && referral.status === 'new'
          ? await services.training.markOfficers(viewer.orgId, await referrals.forceOfficers(viewer.orgId))
          : [],
      levels: LEVEL_LABELS,
      statuses: STATUS_LABELS,
      incidentTypes: INCIDENT_TYPES,
      values: {},
      ...extra,
    });
  };

  app.get('/police/referrals/:id', { config: { access: POLICE_REFERRAL_READERS } }, async (request, reply) =>
    referralPage(request, reply),
  );

  for (const format of ['json', 'csv'] as const) {
    // Every intelligence referral the person may see, with consent current now, for the force's own system.
    app.get(
      `/police/referrals/intelligence.${format}`,
      { config: { access: POLICE_REFERRAL_READERS } },
      async (request, reply) => {
        const records = await referrals.intelligenceRecords(policeViewer(request), format);
        reply.header('content-disposition', `attachment; filename="intelligence-referrals.${format}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(records));
        return reply.type('application/json; charset=utf-8').send(JSON.stringify({ items: records }, null, 2));
      },
    );

    app.get(
      `/police/referrals/:id/download.${format}`,
      { config: { access: POLICE_REFERRAL_READERS } },
      async (request, reply) => {
        const params = idSchema.safeParse(request.params);
        if (!params.success) throw notFound();
        let record;
        try {
          record = await referrals.intelligenceRecord(policeViewer(request), params.data.id, format);
        } catch (error) {
          if (error instanceof ReferralError && error.code === 'consent-withdrawn')
            throw new HttpError(409, 'consent_withdrawn', error.message);
          return asHttp(error);
        }
        reply.header('content-disposition', `attachment; filename="referral-${record.id}.${format}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv([record]));
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(record, null, 2));
      },
    );
  }

  app.post('/police/referrals/:id/accept', { config: { access: POLICE_SUPERVISORS } }, async (request, reply) => {
    const params = idSchema.safeParse(request.params);
    if (!params.success) throw notFound();
    const values = formBody(request.body);
    const kept = { crimeReference: values.crimeReference ?? '', officer: values.officer ?? '' };
    const parsed = acceptSchema.safeParse(kept);
    if (!parsed.success) return referralPage(request, reply, { values: kept, ...zodFormErrors(parsed.error) }, 400);
    try {
      await referrals.accept(policeViewer(request), params.data.id, parsed.data);
    } catch (error) {
      if (!(error instanceof ReferralError) || error.code === 'not-found') return asHttp(error);
      return referralPage(
        request,
        reply,
        {
          values: kept,
          ...formErrors([{ field: error.field === 'id' ? 'crimeReference' : error.field, message: error.message }]),
        },
        error.code === 'invalid' ? 400 : 409,
      );
    }
    return reply.redirect(`/police/referrals/${params.data.id}`, 303);
  });

  app.post('/police/referrals/:id/decline', { config: { access: POLICE_SUPERVISORS } }, async (request, reply) => {
    const params = idSchema.safeParse(request.params);
    if (!params.success) throw notFound();
    const values = formBody(request.body);
    const kept = { reason: values.reason ?? '' };
    const parsed = declineSchema.safeParse(kept);
    if (!parsed.success) return referralPage(request, reply, { values: kept, ...zodFormErrors(parsed.error) }, 400);
    try {
      await referrals.decline(policeViewer(request), params.data.id, parsed.data.reason);
    } catch (error) {
      if (!(error instanceof ReferralError) || error.code === 'not-found') return asHttp(error);
      return referralPage(
        request,
        reply,
        { values: kept, ...formErrors([{ field: 'reason', message: error.message }]) },
        409,
      );
    }
    return reply.redirect(`/police/referrals/${params.data.id}`, 303);
  });
}
