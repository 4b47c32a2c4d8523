from datetime import timedelta

from django.utils import timezone

from volunteers import demo, selectors
from volunteers.models import Assignment, Post, Volunteer


def test_demo_is_idempotent_and_puts_zhao_on_the_yonghe_gate(org):
    from accounts import demo as accounts_demo

    accounts_demo.load()
    demo.load()
    demo.load()
    zhao = Volunteer.objects.get(name="赵茂源")
    assert zhao.status == "approved" and zhao.party_member and zhao.user.username == "yh_volunteer"
    assert Volunteer.objects.count() == 6 and Volunteer.objects.filter(status="pending").count() == 1
    now = timezone.now()
    shifts = selectors.shifts_for(zhao.user, now - timedelta(days=7), now + timedelta(days=14))
    assert shifts.exists() and {a.shift.post.name for a in shifts} == {"永和佳苑东门"}
    assert Post.objects.count() == 3
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert selectors.units_without_roster([org.xingfu, org.yonghe, org.huaqiao], monday,
                                          monday + timedelta(days=6)) == [org.huaqiao]
    count = Assignment.objects.count()
    demo.load()
    assert Assignment.objects.count() == count
