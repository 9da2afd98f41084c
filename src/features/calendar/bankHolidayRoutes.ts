import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { CalendarError } from './bankHolidayService.ts';

// Bank holidays are one table for every organisation (the Victims' Code clock of
// every force reads it). Administrators of any organisation may see it; the
// support organisation's administrators, who run the service, add and remove days.
const HOLIDAY_READERS = { access: { kind: 'staff', roles: ['admin'] } } as const;
const HOLIDAY_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;

/** /admin/bank-holidays: the working-day calendar of the Victims' Code clock. */
export async function bankHolidayRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const render = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const staff = staffOf(request);
    const year = Number(services.bankHolidays.today().slice(0, 4));
    // Last year to the year after next: enough to check every deadline now running.
    const { holidays, rulesOnlyYears } = await services.bankHolidays.list(year - 1, year + 2);
    const unpublished = rulesOnlyYears.filter((y) => y === year || y === year + 1);
    return reply.render('calendar/views/bank-holidays.njk', {
      pageTitle: 'Bank holidays',
      holidays,
      unpublished,
      canEdit: staff.orgKind === 'support',
      values: {},
      ...extra,
    });
  };

  app.get('/admin/bank-holidays', { config: HOLIDAY_READERS }, async (request, reply) =>
    render(request, reply, { changed: (request.query as Record<string, unknown>).changed === '1' }),
  );

  app.post('/admin/bank-holidays', { config: HOLIDAY_ADMINS }, async (request, reply) => {
    const staff = staffOf(request);
    const body = formBody(request.body);
    try {
      await services.bankHolidays.add(
        { kind: 'user', id: staff.userId, orgId: staff.orgId },
        { date: body.date ?? '', title: body.title ?? '' },
      );
    } catch (error) {
      if (!(error instanceof CalendarError)) throw error;
      return render(request, reply.code(400), {
        values: body,
        ...formErrors([{ field: error.field === 'title' ? 'title' : 'date', message: error.message }]),
      });
    }
    return reply.redirect('/admin/bank-holidays?changed=1', 303);
  });

  app.post<{ Params: { date: string } }>(
    '/admin/bank-holidays/:date/remove',
    { config: HOLIDAY_ADMINS },
    async (request, reply) => {
      const staff = staffOf(request);
      try {
        await services.bankHolidays.remove({ kind: 'user', id: staff.userId, orgId: staff.orgId }, request.params.date);
      } catch (error) {
        if (error instanceof CalendarError) return reply.code(404).send('Not found');
        throw error;
      }
      return reply.redirect('/admin/bank-holidays?changed=1', 303);
    },
  );
}
