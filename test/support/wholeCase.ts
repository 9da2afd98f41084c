import { expect } from 'vitest';
import type { Actor } from '../../src/platform/actors/actor.ts';
import { TestBrowser } from './httpClient.ts';
import { charityWithForces, policeLiaisonStaff } from './policeLiaison.ts';
import { signedInStaff, type SignedInStaff } from './staff.ts';
import type { TestApp } from './testApp.ts';

/** The charity (safe-streets), a partner force (northshire) and the staff who work a case end to end. */
export interface CaseWorld {
  t: TestApp;
  caseworker: SignedInStaff;
  liaison: SignedInStaff;
  supervisor: SignedInStaff;
  officer: SignedInStaff;
  as(who: SignedInStaff): Actor;
}

export async function caseWorld(t: TestApp): Promise<CaseWorld> {
  await charityWithForces(t, ['northshire', 'southshire']);
  const { liaison, supervisor, officer } = await policeLiaisonStaff(t);
  const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
  await t.services.shownNames.set(caseworker, 'Kerina');
  return {
    t,
    caseworker,
    liaison,
    supervisor,
    officer,
    as: (who) => ({ kind: 'user', id: who.userId, orgId: who.orgId }),
  };
}

/**
 * Words planted in each part of a case, marked by who wrote them and whether
 * the person who reported may be given them back (`own`) or not (`internal`:
 * the charity's notes and flags, the police's words and references).
 */
export function plantsFor(tag: string) {
  return {
    own: {
      account: `${tag}-ACCOUNT he hurt me behind the old mill`,
      place: `${tag}-PLACE the lane behind the mill`,
      perpetrator: `${tag}-PERP Big Steve`,
      contactName: `${tag}-NAME Ruby`,
      messageFromPerson: `${tag}-MSG-IN can you ring me after six`,
      messageFromCharity: `${tag}-MSG-OUT we will ring you tonight`,
      addition: `${tag}-ADDITION he had a blue van`,
      update: `${tag}-UPDATE someone has been charged`,
      venue: `${tag}-VENUE drop-in, 4 Mill Lane`,
      warningTitle: `${tag}-WARNING man near the mill`,
      workingName: `${tag}-WORKING Ruby R`,
      contactValue: '07700900456',
      codeWord: `${tag}-CODEWORD bluebell`,
      reachMeMessage: `${tag}-REACHME please ring Kerina`,
    },
    internal: {
      note: `${tag}-NOTE she seemed frightened of her partner`,
      caseMessage: `${tag}-CASEMSG suspect has previous`,
      crimeReference: `NS/${tag.length}${tag.charCodeAt(0)}/26`,
      personNotes: `${tag}-PERSONNOTES lives with him`,
      attemptNote: `${tag}-ATTEMPTNOTE partner answered`,
      engagementNote: `${tag}-ENGAGEMENT wavering because of court`,
      task: `${tag}-TASK ring back`,
      attendees: `${tag}-ATTENDEES DC Example`,
      recognise: `${tag}-RECOGNISE red coat`,
      whereSeen: `${tag}-WHERESEEN Canal Street`,
      summary: `${tag}-SUMMARY a man hit a worker`,
    },
    flag: 'repeat-victim' as const,
  };
}

export type Plants = ReturnType<typeof plantsFor>;

/**
 * One report worked end to end through the real services, touching most
 * tables that hold encrypted fields: the report, the person's messages and
 * additions, triage and notes, a person record with a contact point, an
 * attempt and a reach-me entry, referrals, a police case with a case message,
 * a charge and the update passed on, an appointment, a published warning and
 * an engagement change. Returns the receipt code and a signed-in /check browser.
 */
export async function wholeCase(w: CaseWorld, tag: string) {
  const { t, caseworker, liaison, supervisor, officer } = w;
  const plants = plantsFor(tag);
  const submitted = await t.services.reports.submit(
    {
      org: 'safe-streets',
      incidentTypes: ['physical-assault'],
      account: plants.own.account,
      occurredOn: '2026-11-02',
      area: plants.own.place,
      consents: { support: true, warnOthers: true, policeIntelligence: true, policeReport: true, policeContact: true },
      perpetrator: { names: [plants.own.perpetrator], phones: ['07700900111'], emails: [], handles: [] },
      contact: {
        name: plants.own.contactName,
        methods: [{ kind: 'text', value: plants.own.contactValue, safeToLeaveMessage: false }],
      },
    },
    { source: 'online', recordedBy: null, idempotencyKey: undefined },
  );
  const { reportId, reference } = submitted;
  const code = submitted.receiptCode!;
  const person = new TestBrowser(t.app);
  await person.get('/check');
  expect((await person.post('/check', { code })).headers.location).toBe('/check/report');

  await t.services.reports.addMessage(reportId, plants.own.messageFromPerson, { sender: 'reporter' });
  await t.services.reports.addAddition(reportId, plants.own.addition, null);
  await caseworker.browser.get(`/staff/reports/${reference}`);
  await t.services.triage.apply(w.as(caseworker), reportId, {
    status: 'open',
    priority: 'high',
    flags: [plants.flag],
    assignee: caseworker.userId,
    reason: '',
  });
  await t.services.reports.addMessage(reportId, plants.own.messageFromCharity, {
    sender: 'support',
    userId: caseworker.userId,
  });
  await t.services.caseWork.addNote(w.as(caseworker), reportId, plants.internal.note);
  await t.services.caseWork.addTask(w.as(caseworker), reportId, {
    title: plants.internal.task,
    dueOn: '2030-12-01',
    owner: caseworker.userId,
  });

  const personRecord = await t.services.people.create(
    w.as(caseworker),
    {
      workingName: plants.own.workingName,
      otherNames: [],
      languages: ['English'],
      interpreter: 'no',
      notes: plants.internal.personNotes,
    },
    reportId,
  );
  const point = await t.services.people.addContactPoint(w.as(caseworker), personRecord.id, {
    kind: 'mobile',
    value: plants.own.contactValue,
    safeToLeaveMessage: false,
    safeTimes: 'after six',
    codeWord: plants.own.codeWord,
  });
  await t.services.people.recordAttempt(w.as(caseworker), personRecord.id, {
    contactPointId: point.id,
    channel: 'call',
    outcome: 'no-answer',
    note: plants.internal.attemptNote,
  });
  await t.services.reachMe.add(w.as(caseworker), personRecord.id, {
    recognise: plants.internal.recognise,
    whereSeen: plants.internal.whereSeen,
    message: plants.own.reachMeMessage,
  });

  await t.services.referrals.send(w.as(liaison), reportId, {
    force: 'northshire',
    level: 'intelligence',
    summary: plants.internal.summary,
  });
  const referralId = await t.services.referrals.send(w.as(liaison), reportId, { force: 'northshire', level: 'full' });
  const caseId = await t.services.referrals.accept({ ...w.as(supervisor), role: 'supervisor' }, referralId, {
    crimeReference: plants.internal.crimeReference,
    officer: officer.userId,
  });
  await t.services.caseMessages.send(caseId, w.as(officer), plants.internal.caseMessage);
  const { dutyId } = await t.services.caseTimeline.recordEvent(caseId, w.as(officer), {
    type: 'charged',
    occurredAt: t.clock.now().toISOString(),
  });
  await t.services.duties.tellThroughCheck(dutyId!, w.as(liaison), plants.own.update);
  const { id: appointmentId } = await t.services.appointments.propose(caseId, w.as(liaison), {
    kind: 'statement',
    venueKind: 'charity-premises',
    venueDetails: plants.own.venue,
    startsAt: '2030-12-27T10:00:00.000Z',
    attendees: plants.internal.attendees,
    interpreter: false,
    interviewerGender: 'no-preference',
    specialMeasures: [],
  });
  await t.services.appointments.change(appointmentId, w.as(liaison), { status: 'confirmed', how: 'call' });

  const warningId = await t.services.warnings.draft(w.as(caseworker), {
    reports: [reference],
    title: plants.own.warningTitle,
    body: 'Hits workers. Do not get in his van.',
    type: 'physical-assault',
    area: null,
    phones: ['07700900111'],
    registrations: [],
    handles: [],
    vehicle: '',
    description: '',
  });
  await t.services.warnings.approve(w.as(liaison), warningId);
  await t.services.engagement.record(w.as(caseworker), reportId, {
    status: 'wavering',
    reasons: [],
    note: plants.internal.engagementNote,
    on: t.clock.now().toISOString().slice(0, 10),
  });
  return { reportId, reference, code, person, personId: personRecord.id, caseId, warningId, plants };
}
