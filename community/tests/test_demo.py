def test_demo_loads_twice_without_duplicates(db):
    from accounts import demo as accounts_demo
    from community import demo
    from community.models import GateEntry, Inspection, QuarantineCase, Resident, ServiceRequest
    from places import demo as places_demo

    places_demo.load()
    accounts_demo.load()
    demo.load()
    counts = [GateEntry.objects.count(), Resident.objects.count(), QuarantineCase.objects.count(),
              ServiceRequest.objects.count(), Inspection.objects.count()]
    demo.load()
    assert counts == [GateEntry.objects.count(), Resident.objects.count(), QuarantineCase.objects.count(),
                      ServiceRequest.objects.count(), Inspection.objects.count()]
    head = GateEntry.objects.get(idempotency_key="demo-entry-district-head")
    assert head.plate_local and head.people.count() == 4 and not head.alerted
    assert GateEntry.objects.get(idempotency_key="demo-entry-hubei-plate").alerted
    assert Inspection.objects.filter(flagged=True).count() == 1
    assert ServiceRequest.objects.get(kind="thermometer").status == "done"
