"""REST API (/api/v1/supplies/): needs, donations, stock and allocations, scoped by accounts.access like the
screens (outside a user's jurisdiction = 404), writes through services."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from core.person import mask_name
from places.models import OrgUnit
from supplies import selectors, services
from supplies.ledger import InsufficientStock
from supplies.models import Allocation, Donation, Donor, Item, Need


def _api_error(exc):
    return ApiValidationError({"detail": "".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)})


class ItemField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Item.objects.filter(active=True), **kwargs)


class UnitField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=OrgUnit.objects.filter(active=True), **kwargs)


class LineSerializer(serializers.Serializer):
    item = ItemField()
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit_of_measure = serializers.CharField(source="item.unit", read_only=True)
    quantity = serializers.IntegerField(min_value=1)


class ProgressSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    item_name = serializers.CharField(source="item.name")
    requested = serializers.IntegerField()
    pledged = serializers.IntegerField()
    received = serializers.IntegerField()
    pledged_fill = serializers.CharField()
    received_fill = serializers.CharField()


class NeedSerializer(serializers.ModelSerializer):
    unit = UnitField()
    lines = LineSerializer(many=True)
    progress = ProgressSerializer(many=True, read_only=True)
    pledged_fill = serializers.CharField(read_only=True)
    received_fill = serializers.CharField(read_only=True)

    class Meta:
        model = Need
        fields = ["code", "unit", "title", "description", "urgency", "deadline", "visibility", "contact",
                  "posted_at", "closed_at", "lines", "progress", "pledged_fill", "received_fill"]
        read_only_fields = ["code", "posted_at", "closed_at"]


class NeedList(generics.ListCreateAPIView):
    serializer_class = NeedSerializer

    def get_queryset(self):
        return selectors.needs_for(self.request.user, open_only=self.request.query_params.get("closed") != "1")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.attach_progress(page) if page is not None else None

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            need = services.post_need(request.user, d["unit"], d["title"],
                                      [(line["item"], line["quantity"]) for line in d["lines"]],
                                      urgency=d.get("urgency", Need.Urgency.URGENT), deadline=d.get("deadline"),
                                      visibility=d.get("visibility", Need.Visibility.INTERNAL),
                                      description=d.get("description", ""), contact=d.get("contact", ""))
        except ValidationError as exc:
            raise _api_error(exc) from None
        selectors.attach_progress([need])
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetail(generics.RetrieveAPIView):
    serializer_class = NeedSerializer

    def get_object(self):
        need = access.get_or_404(self.request.user, Need, "supplies.view", code=self.kwargs["code"])
        return selectors.attach_progress([need])[0]


class DonorSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    credit_code = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, write_only=True)

    class Meta:
        model = Donor
        fields = ["kind", "name", "credit_code", "title", "title_detail", "contact_name", "phone", "consent_public"]

    def to_representation(self, donor):
        data = super().to_representation(donor)
        if donor.kind == Donor.Kind.PERSON:  # person data leaves masked
            data["name"] = mask_name(donor.name)
        return data


class SplitSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    recipient_unit = UnitField(required=False, allow_null=True)
    recipient_name = serializers.CharField(required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class DonationLineSerializer(LineSerializer):
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)


class DonationSerializer(serializers.ModelSerializer):
    donor = DonorSerializer()
    received_by = UnitField()
    lines = DonationLineSerializer(many=True, required=False)
    splits = SplitSerializer(many=True, required=False)
    needs = serializers.SlugRelatedField(slug_field="code", many=True, required=False, queryset=Need.objects.all())
    received = serializers.BooleanField(write_only=True, default=True)

    class Meta:
        model = Donation
        fields = ["code", "kind", "status", "donor", "received_by", "amount", "lines", "splits", "needs", "note",
                  "pledged_at", "received_at", "received"]
        read_only_fields = ["code", "kind", "status", "pledged_at", "received_at"]


class DonationList(generics.ListCreateAPIView):
    serializer_class = DonationSerializer

    def get_queryset(self):
        return selectors.donations_for(self.request.user).prefetch_related("needs")

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            with transaction.atomic():  # a refused donation must not leave its donor behind
                donor = services.find_or_create_donor(**d["donor"])
                donation = services.record_donation(
                    request.user, donor, d["received_by"],
                    lines=[(ln["item"], ln["quantity"], ln.get("estimated_value")) for ln in d.get("lines", [])],
                    amount=d.get("amount"), needs=d.get("needs", []), received=d["received"], note=d.get("note", ""),
                    splits=[services.Split(s["purpose"], s["amount"], s.get("recipient_unit"), s.get("recipient_name", ""))
                            for s in d.get("splits", [])])
        except (ValidationError, InsufficientStock) as exc:
            raise _api_error(exc) from None
        return Response(DonationSerializer(donation).data, status=status.HTTP_201_CREATED)


class DonationDetail(generics.RetrieveAPIView):
    serializer_class = DonationSerializer

    def get_object(self):
        return access.get_or_404(self.request.user, Donation, "supplies.view", code=self.kwargs["code"])


class StockItemSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    item_name = serializers.CharField()
    unit_of_measure = serializers.CharField()
    quantity = serializers.IntegerField()
    minimum = serializers.IntegerField(allow_null=True)
    low = serializers.BooleanField()


class StockLotSerializer(serializers.Serializer):
    lot = serializers.CharField()
    item = serializers.IntegerField()
    source = serializers.CharField()
    quantity = serializers.IntegerField()


class StockSerializer(serializers.Serializer):
    unit = serializers.CharField()
    name = serializers.CharField()
    items = StockItemSerializer(many=True)
    lots = StockLotSerializer(many=True)


class StockView(APIView):
    """Stock of one unit: balances with minimum and low flag, and lots on hand (oldest first)."""

    @extend_schema(responses=StockSerializer)
    def get(self, request, code):
        unit = access.get_or_404(request.user, OrgUnit, "supplies.view", code=code)
        return Response({
            "unit": unit.code, "name": unit.name,
            "items": [{"item": r["item"].pk, "item_name": r["item"].name, "unit_of_measure": r["item"].unit,
                       "quantity": r["quantity"], "minimum": r["minimum"], "low": r["low"]}
                      for r in selectors.stock_of(unit)],
            "lots": [{"lot": r["lot"].code, "item": r["lot"].item_id, "source": r["lot"].source,
                      "quantity": r["quantity"]} for r in selectors.lots_at(unit)],
        })


class AllocationSerializer(serializers.ModelSerializer):
    from_unit = UnitField()
    to_unit = UnitField()
    need = serializers.SlugRelatedField(slug_field="code", queryset=Need.objects.all(), required=False,
                                        allow_null=True)
    lines = LineSerializer(many=True)

    class Meta:
        model = Allocation
        fields = ["code", "from_unit", "to_unit", "need", "status", "note", "created_at", "received_at", "lines"]
        read_only_fields = ["code", "status", "created_at", "received_at"]


class AllocationList(generics.ListCreateAPIView):
    serializer_class = AllocationSerializer

    def get_queryset(self):
        return selectors.allocations_for(self.request.user, status=self.request.query_params.get("status", ""))

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            allocation = services.allocate(request.user, d["from_unit"], d["to_unit"],
                                           [(ln["item"], ln["quantity"]) for ln in d["lines"]],
                                           need=d.get("need"), note=d.get("note", ""))
        except (ValidationError, InsufficientStock) as exc:
            raise _api_error(exc) from None
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)


class AllocationDetail(generics.RetrieveAPIView):
    serializer_class = AllocationSerializer

    def get_object(self):
        return access.get_or_404(self.request.user, Allocation, "supplies.view", code=self.kwargs["code"])


class AllocationConfirm(APIView):
    """POST: the receiving unit confirms receipt (in transit → received)."""

    @extend_schema(request=None, responses=AllocationSerializer)
    def post(self, request, code):
        allocation = get_object_or_404(access.scope(request.user, Allocation.objects.all(), "supplies.view"),
                                       code=code)
        try:
            allocation = services.confirm_allocation(request.user, allocation, note=request.data.get("note", ""))
        except services.InvalidTransition as exc:
            raise _api_error(exc) from None
        return Response(AllocationSerializer(allocation).data)


urlpatterns = [
    path("needs/", NeedList.as_view(), name="needs"),
    path("needs/<str:code>/", NeedDetail.as_view(), name="need"),
    path("donations/", DonationList.as_view(), name="donations"),
    path("donations/<str:code>/", DonationDetail.as_view(), name="donation"),
    path("stock/<str:code>/", StockView.as_view(), name="stock"),
    path("allocations/", AllocationList.as_view(), name="allocations"),
    path("allocations/<str:code>/", AllocationDetail.as_view(), name="allocation"),
    path("allocations/<str:code>/confirm/", AllocationConfirm.as_view(), name="allocation-confirm"),
]
