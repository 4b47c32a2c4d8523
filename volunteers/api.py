"""REST API for rosters and check-ins (/api/v1/volunteers/). Same access rules as the pages: accounts.access."""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from places.models import OrgUnit
from volunteers import selectors, services
from volunteers.models import Assignment, Post, Shift


class PostSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Post
        fields = ["id", "name", "kind", "staffing", "high_risk", "unit", "unit_name", "active"]


class AssignmentSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    post = serializers.IntegerField(source="shift.post_id", read_only=True)
    post_name = serializers.CharField(source="shift.post.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "shift", "post", "post_name", "user", "name", "start", "end", "status", "late",
                  "checked_in_at", "checked_out_at", "credited_minutes"]

    def get_name(self, obj) -> str:
        return obj.user.first_name or obj.user.username


class ShiftSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(many=True, source="people")
    gap = serializers.IntegerField()

    class Meta:
        model = Shift
        fields = ["id", "post", "start", "end", "min_staff", "gap", "assignments"]


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="first_name")


def _bad(exc):
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


def _day(raw, default):
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        raise serializers.ValidationError({"detail": "日期格式应为YYYY-MM-DD。"}) from None


def _post(request, pk):
    return access.get_or_404(request.user, selectors.posts_for(request.user), pk=pk)


class PostList(APIView):
    @extend_schema(responses=PostSerializer(many=True))
    def get(self, request):
        return Response(PostSerializer(selectors.posts_for(request.user), many=True).data)


class PostShifts(APIView):
    @extend_schema(parameters=[OpenApiParameter("week", str, description="a day of the week (YYYY-MM-DD)")],
                   responses=ShiftSerializer(many=True))
    def get(self, request, pk):
        post = _post(request, pk)
        day = _day(request.query_params.get("week"), timezone.localdate())
        grid = selectors.week_grid(post, day - timedelta(days=day.weekday()))
        return Response(ShiftSerializer([s for _day, shifts in grid for s in shifts], many=True).data)


class PostGenerate(APIView):
    @extend_schema(request=None, parameters=[OpenApiParameter("week", str)],
                   responses=inline_serializer("Generated", {"shifts": serializers.IntegerField(),
                                                             "created": serializers.IntegerField()}))
    def post(self, request, pk):
        post = _post(request, pk)
        day = _day(request.data.get("week") or request.query_params.get("week"), timezone.localdate())
        shifts, created = services.generate_roster(request.user, post, day - timedelta(days=day.weekday()))
        return Response({"shifts": len(shifts), "created": created})


class ShiftAssignments(APIView):
    @extend_schema(request=None, responses=AssignmentSerializer)
    def post(self, request, pk):
        shift = access.get_or_404(request.user, Shift.objects.filter(post__in=selectors.posts_for(request.user)),
                                  pk=pk)
        user = get_object_or_404(get_user_model(), pk=request.data.get("user") or 0)
        try:
            assignment = services.assign(request.user, shift, user)
        except ValidationError as exc:
            return _bad(exc)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentDetail(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        assignment = access.get_or_404(
            request.user, Assignment.objects.filter(shift__post__in=selectors.posts_for(request.user)), pk=pk)
        try:
            services.unassign(request.user, assignment)
        except ValidationError as exc:
            return _bad(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyShifts(APIView):
    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request):
        now = timezone.now()
        rows = selectors.shifts_for(request.user, now - timedelta(hours=12), now + timedelta(days=14))
        return Response(AssignmentSerializer(rows, many=True).data)


class CheckIn(APIView):
    """POST {"assignment": id} or {"post_token": "…"} (the token in the post's QR code)."""

    @extend_schema(request=None, responses=AssignmentSerializer)
    def post(self, request):
        try:
            if request.data.get("post_token"):
                post = get_object_or_404(Post, qr_token=str(request.data["post_token"]), active=True)
                assignment = services.check_in_at_post(request.user, post)
            else:
                own = get_object_or_404(Assignment, pk=request.data.get("assignment") or 0, user=request.user)
                assignment = services.check_in(request.user, own)
        except ValidationError as exc:
            return _bad(exc)
        return Response(AssignmentSerializer(assignment).data)


class CheckOut(APIView):
    @extend_schema(request=None, responses=AssignmentSerializer)
    def post(self, request):
        own = get_object_or_404(Assignment, pk=request.data.get("assignment") or 0, user=request.user)
        try:
            assignment = services.check_out(request.user, own)
        except ValidationError as exc:
            return _bad(exc)
        return Response(AssignmentSerializer(assignment).data)


class OnDuty(APIView):
    @extend_schema(parameters=[OpenApiParameter("unit", str, required=True), OpenApiParameter("at", str)],
                   responses=UserSerializer(many=True))
    def get(self, request):
        unit = access.get_or_404(request.user, OrgUnit, code=request.query_params.get("unit", ""))
        at = None
        if request.query_params.get("at"):
            try:
                at = datetime.fromisoformat(request.query_params["at"])
            except ValueError:
                return Response({"detail": "时间格式应为ISO 8601。"}, status=status.HTTP_400_BAD_REQUEST)
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        return Response(UserSerializer(selectors.on_duty(unit, at), many=True).data)


class UnitsWithoutRoster(APIView):
    @extend_schema(parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)],
                   responses=inline_serializer("MissingRoster", {
                       "unit": serializers.CharField(), "name": serializers.CharField(),
                       "missing_days": serializers.ListField(child=serializers.DateField())}, many=True))
    def get(self, request):
        access.require_perm(request.user, "volunteers.duty")
        start = _day(request.query_params.get("start"), timezone.localdate())
        end = _day(request.query_params.get("end"), start + timedelta(days=6))
        if end < start or (end - start).days > 62:
            return Response({"detail": "日期范围不正确(最长62天)。"}, status=status.HTTP_400_BAD_REQUEST)
        kinds = [OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.COMMUNITY,
                 OrgUnit.Kind.DEPARTMENT]
        units = access.scope(request.user, OrgUnit.objects.filter(active=True, kind__in=kinds), "volunteers.duty")
        coverage = selectors.roster_coverage(units.order_by("path")[:1000], start, end)
        return Response([{"unit": u.code, "name": u.name, "missing_days": [str(d) for d in days]}
                         for u, days in coverage.items() if days])


urlpatterns = [
    path("posts/", PostList.as_view(), name="posts"),
    path("posts/<int:pk>/shifts/", PostShifts.as_view(), name="post-shifts"),
    path("posts/<int:pk>/generate/", PostGenerate.as_view(), name="post-generate"),
    path("shifts/<int:pk>/assignments/", ShiftAssignments.as_view(), name="shift-assignments"),
    path("assignments/<int:pk>/", AssignmentDetail.as_view(), name="assignment"),
    path("me/shifts/", MyShifts.as_view(), name="my-shifts"),
    path("checkins/", CheckIn.as_view(), name="check-in"),
    path("checkouts/", CheckOut.as_view(), name="check-out"),
    path("on-duty/", OnDuty.as_view(), name="on-duty"),
    path("units-without-roster/", UnitsWithoutRoster.as_view(), name="units-without-roster"),
]
