from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from volunteers import services
from volunteers.models import Assignment, DayPart, Post, Shift, covers
from volunteers.services.roster import Candidate, Slot, plan
from volunteers.tests.factories import MONDAY, at, gate_post, volunteer_user


@pytest.fixture
def gate(org, personas):
    return gate_post(personas.yh_worker, org.yonghe_gate)


def test_double_booking_is_refused(org, personas, gate):
    user = volunteer_user(org.yonghe, personas.yh_worker, 1)
    delivery = gate_post(personas.yh_worker, org.yonghe, "物资配送", templates=((9, 12),), kind=Post.Kind.DELIVERY)
    first = services.ensure_shifts(gate, MONDAY, 1)[0]  # 07–11
    clash = services.ensure_shifts(delivery, MONDAY, 1)[0]  # 09–12
    services.assign(personas.yh_worker, first, user)
    with pytest.raises(services.DoubleBooking) as exc:
        services.assign(personas.yh_worker, clash, user)
    assert "不能同时在两个岗位" in exc.value.messages[0] and "永和佳苑东门" in exc.value.messages[0]
    with pytest.raises(services.DoubleBooking):
        services.assign(personas.yh_worker, first, user)
    assert Assignment.objects.filter(user=user).count() == 1


def test_back_to_back_shifts_are_not_an_overlap(org, personas, gate):
    user = volunteer_user(org.yonghe, personas.yh_worker, 1)
    morning, midday = services.ensure_shifts(gate, MONDAY, 1)
    services.assign(personas.yh_worker, morning, user)
    services.assign(personas.yh_worker, midday, user)
    assert Assignment.objects.filter(user=user).count() == 2


def test_only_approved_volunteers_of_the_community_can_be_put_on_a_gate(org, personas, gate):
    shift = services.ensure_shifts(gate, MONDAY, 1)[0]
    with pytest.raises(Exception) as exc:
        services.assign(personas.yh_worker, shift, personas.xf_liaison)
    assert "不在本岗位可排班的人员中" in str(exc.value)


def test_outsider_cannot_edit_another_streets_roster(org, personas, gate):
    shift = services.ensure_shifts(gate, MONDAY, 1)[0]
    user = volunteer_user(org.yonghe, personas.yh_worker, 1)
    with pytest.raises(PermissionDenied):
        services.assign(personas.outsider, shift, user)


def test_generated_roster_respects_availability_and_fills_up_to_minimum(org, personas, gate):
    early = volunteer_user(org.yonghe, personas.yh_worker, 1, availability=[f"{d}-morning" for d in range(7)])
    volunteer_user(org.yonghe, personas.yh_worker, 2, availability=["0-evening"])
    shifts, created = services.generate_roster(personas.yh_worker, gate, MONDAY)
    assert len(shifts) == 14
    # 07–11 is morning only: the early volunteer takes them; 11–15 needs morning+afternoon: nobody
    assert created == 7
    assert set(Assignment.objects.values_list("user_id", flat=True)) == {early.pk}
    assert all(timezone_hour(a.start) == 7 for a in Assignment.objects.all())


def timezone_hour(moment):
    from django.utils import timezone

    return timezone.localtime(moment).hour


def test_generation_is_idempotent_and_keeps_hand_edits(org, personas, gate):
    users = [volunteer_user(org.yonghe, personas.yh_worker, n) for n in range(1, 4)]
    first = services.ensure_shifts(gate, MONDAY, 1)[0]
    services.assign(personas.yh_worker, first, users[2])
    services.generate_roster(personas.yh_worker, gate, MONDAY)
    count = Assignment.objects.count()
    _shifts, created = services.generate_roster(personas.yh_worker, gate, MONDAY)
    assert created == 0 and Assignment.objects.count() == count == 14
    assert list(first.assignments.values_list("user_id", flat=True)) == [users[2].pk]
    assert Shift.objects.count() == 14


def test_generation_rotates_fairly_across_people(org, personas, gate):
    users = [volunteer_user(org.yonghe, personas.yh_worker, n) for n in range(1, 5)]
    services.generate_roster(personas.yh_worker, gate, MONDAY)
    counts = [Assignment.objects.filter(user=u).count() for u in users]
    assert sum(counts) == 14 and max(counts) - min(counts) <= 1


def test_high_risk_posts_only_take_volunteers_who_agreed(org, personas):
    willing = volunteer_user(org.yonghe, personas.yh_worker, 1, high_risk_ok=True)
    volunteer_user(org.yonghe, personas.yh_worker, 2)
    post = gate_post(personas.yh_worker, org.yonghe, "隔离户上门服务", templates=((9, 11),), high_risk=True,
                     kind=Post.Kind.DELIVERY)
    services.generate_roster(personas.yh_worker, post, MONDAY)
    assert set(Assignment.objects.values_list("user_id", flat=True)) == {willing.pk}


def test_overnight_duty_roster_for_community_staff(org, personas):
    office = gate_post(personas.yh_worker, org.yonghe, "社区办公室夜间值班", templates=((20, 8),),
                       kind=Post.Kind.OFFICE, staffing=Post.Staffing.STAFF)
    shifts, created = services.generate_roster(personas.yh_worker, office, MONDAY)
    assert created == 7 and shifts[0].end - shifts[0].start == timedelta(hours=12)
    assert set(Assignment.objects.values_list("user_id", flat=True)) == {personas.yh_worker.pk}


def test_gaps_show_until_filled(org, personas, gate):
    from volunteers import selectors

    shifts = services.ensure_shifts(gate, MONDAY, 1)
    assert selectors.gaps([gate], at(MONDAY, 0), at(MONDAY, 23)).count() == 2
    user = volunteer_user(org.yonghe, personas.yh_worker, 1)
    services.assign(personas.yh_worker, shifts[0], user)
    assert list(selectors.gaps([gate], at(MONDAY, 0), at(MONDAY, 23))) == [shifts[1]]


# --- the planner, as a property ----------------------------------------------------------------------------------

BASE = datetime(2026, 2, 2, tzinfo=UTC)  # Monday 08:00 in Shanghai
KEYS = [f"{d}-{p}" for d in range(7) for p in DayPart.values]


@st.composite
def rosters(draw):
    n_slots = draw(st.integers(1, 14))
    slots = []
    for i in range(n_slots):
        start = BASE + timedelta(hours=draw(st.integers(0, 7 * 24 - 4)))
        length = timedelta(hours=draw(st.sampled_from([2, 4, 6])))
        slots.append(Slot(i, start, start + length, draw(st.integers(0, 3))))
    people = draw(st.lists(st.one_of(st.none(), st.sets(st.sampled_from(KEYS), max_size=28)), min_size=1,
                           max_size=6))
    return slots, people


def _candidates(people):
    return [Candidate(i + 1, None if avail is None else set(avail)) for i, avail in enumerate(people)]


@settings(max_examples=150, deadline=None)
@given(rosters())
def test_planner_respects_availability_never_double_books_and_is_fair(roster):
    slots, people = roster
    candidates = _candidates(people)
    result = plan(slots, candidates)
    by_key = {s.key: s for s in slots}
    booked = {c.id: [] for c in candidates}
    for key, ids in result.items():
        slot = by_key[key]
        assert len(ids) <= max(slot.need, 0) and len(set(ids)) == len(ids)
        for pid in ids:
            avail = people[pid - 1]
            assert avail is None or covers(avail, slot.start, slot.end)  # respects availability
            booked[pid].append((slot.start, slot.end))
    for spans in booked.values():  # never in two places at once
        spans.sort()
        assert all(a_end <= b_start for (_s, a_end), (b_start, _e) in zip(spans, spans[1:]))
    # fairness: replay; whenever someone eligible was passed over, the chosen had no more hours than them
    replay = _candidates(people)
    for slot in sorted(slots, key=lambda s: (s.start, s.end, str(s.key))):
        chosen = result[slot.key]
        eligible = [c for c in replay if c.available(slot.start, slot.end) and c.free(slot.start, slot.end)]
        left_out = [c for c in eligible if c.id not in chosen]
        if left_out:
            assert len(chosen) == max(slot.need, 0)  # nobody left out while places stayed empty
            worst_chosen = max(((c.hours, c.id) for c in eligible if c.id in chosen), default=(-1, -1))
            assert all(worst_chosen <= (c.hours, c.id) for c in left_out)
        for c in replay:
            if c.id in chosen:
                c.hours += (slot.end - slot.start).total_seconds() / 3600
                c.busy.append((slot.start, slot.end))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6), st.integers(1, 28))
def test_planner_with_equal_people_and_equal_shifts_differs_by_at_most_one(people, n_slots):
    slots = [Slot(i, BASE + timedelta(hours=4 * i), BASE + timedelta(hours=4 * i + 4), 1) for i in range(n_slots)]
    result = plan(slots, [Candidate(i, None) for i in range(people)])
    counts = [sum(1 for ids in result.values() if pid in ids) for pid in range(people)]
    assert max(counts) - min(counts) <= 1 and sum(counts) == n_slots


def test_platform_duty_roster_takes_the_district_staff(org, personas):
    platform = gate_post(personas.supervisor, org.district, "12345平台值班", templates=((8, 20),),
                         kind=Post.Kind.DUTY, staffing=Post.Staffing.STAFF, min_staff=2)
    services.generate_roster(personas.supervisor, platform, MONDAY, days=2)
    names = set(Assignment.objects.values_list("user__username", flat=True))
    assert len(names) == 4 and names <= {"operator", "dispatcher", "supervisor", "auditor"}
    with pytest.raises(PermissionDenied):
        services.generate_roster(personas.xf_liaison, platform, MONDAY)
